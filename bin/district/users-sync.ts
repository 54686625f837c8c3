/**
 * `users sync [--dry-run]`: the Cognito user pool brought to the roster in effect (users-plan.ts says what changes).
 * New accounts are made with AdminCreateUser and no password of ours: Cognito makes the temporary password and sends
 * it itself (the invitation SMS to the person's phone), so it is never printed or logged here; the person sets their
 * own at first sign-in. Idempotent: a second run finds nothing to do. The dry run prints the plan and changes nothing.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLES } from '../../shared/domain/types';
import type { Person } from '../../shared/domain/units';
import type { Print } from './import-command';
import { type Account, changeLine, type UserChange, usersPlan } from './users-plan';

/** Changes sent at once (Cognito's admin APIs allow tens a second; the SDK retries a throttled one). */
const AT_ONCE = 4;

export interface UsersSyncOptions {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
  dryRun: boolean;
  print: Print;
}

/** Syncs the pool to `people`; the summary line is the last printed. Returns the changes made (or planned). */
export async function syncUsers(people: readonly Person[], options: UsersSyncOptions): Promise<UserChange[]> {
  const { client, userPoolId, print } = options;
  const accounts = await accountsOf(client, userPoolId);
  const changes = usersPlan(people, accounts, ROLES);
  for (const change of changes) print(`  ${changeLine(change)}`);
  if (options.dryRun) {
    print(
      `users sync (dry run): ${summaryOf(changes, PLANNED) || 'nothing to do'} for ${people.length.toLocaleString('en')} people; nothing changed`,
    );
    return changes;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      // A new account joins its group in the same step; an account's other changes are independent of one another.
      while (next < changes.length) {
        const change = changes[next++];
        await apply(client, userPoolId, change);
      }
    }),
  );
  print(`users sync: ${summaryOf(changes, DONE) || 'nothing to do'} for ${people.length.toLocaleString('en')} people`);
  return changes;
}

const DONE: Record<UserChange['kind'], string> = {
  create: 'created',
  update: 'updated',
  enable: 'enabled',
  join: 'added to a group',
  leave: 'removed from a group',
  disable: 'disabled',
};
const PLANNED: Record<UserChange['kind'], string> = {
  create: 'to create',
  update: 'to update',
  enable: 'to enable',
  join: 'to add to a group',
  leave: 'to remove from a group',
  disable: 'to disable',
};

function summaryOf(changes: UserChange[], words: Record<UserChange['kind'], string>): string {
  return (Object.keys(words) as UserChange['kind'][])
    .map((kind) => [kind, changes.filter((change) => change.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n.toLocaleString('en')} ${words[kind]}`)
    .join(', ');
}

async function apply(client: CognitoIdentityProviderClient, UserPoolId: string, change: UserChange): Promise<void> {
  const Username = change.username;
  const attributes = (values: Record<string, string>) => Object.entries(values).map(([Name, Value]) => ({ Name, Value }));
  switch (change.kind) {
    case 'create':
      // No TemporaryPassword: Cognito makes one and sends the invitation itself.
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username,
          UserAttributes: attributes(change.attributes),
          DesiredDeliveryMediums: ['SMS'],
        }),
      );
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: change.group }));
      return;
    case 'update':
      await client.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes: attributes(change.attributes) }));
      return;
    case 'enable':
      await client.send(new AdminEnableUserCommand({ UserPoolId, Username }));
      return;
    case 'join':
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: change.group }));
      return;
    case 'leave':
      await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: change.group }));
      return;
    case 'disable':
      await client.send(new AdminDisableUserCommand({ UserPoolId, Username }));
      return;
  }
}

/** Every account of the pool with its attributes, and the role groups it is in (a listing per group, not per user). */
async function accountsOf(client: CognitoIdentityProviderClient, UserPoolId: string): Promise<Account[]> {
  const accounts = new Map<string, Account>();
  let PaginationToken: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ UserPoolId, PaginationToken, Limit: 60 }));
    for (const user of page.Users ?? []) accounts.set(user.Username ?? '', accountOf(user));
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  for (const role of ROLES) {
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListUsersInGroupCommand({ UserPoolId, GroupName: role, NextToken, Limit: 60 }));
      for (const user of page.Users ?? []) accounts.get(user.Username ?? '')?.groups.push(role);
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return [...accounts.values()];
}

function accountOf(user: UserType): Account {
  return {
    username: user.Username ?? '',
    enabled: user.Enabled !== false,
    attributes: Object.fromEntries((user.Attributes ?? []).map((attribute) => [attribute.Name ?? '', attribute.Value ?? ''])),
    groups: [],
  };
}
