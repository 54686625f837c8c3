/**
 * What `users sync` does to make the Cognito user pool hold the roster (pure): an account per person, its username
 * the person id, with `custom:person`, `custom:role`, `custom:units`, `custom:department`, `name` and `phone_number`
 * (E.164) as the roster says, in the group of its role; an account whose person left the roster is disabled (never
 * deleted: its sub stays in the audit), one that comes back enabled. Accounts without `custom:person` are not the
 * roster's (made by hand) and are left alone.
 */
import { toE164 } from '../../shared/domain/phones';
import type { Person } from '../../shared/domain/units';

/** An account of the pool as ListUsers and the groups' listings tell it. */
export interface Account {
  username: string;
  enabled: boolean;
  attributes: Record<string, string>;
  groups: string[];
}

export type UserChange =
  | { kind: 'create'; username: string; attributes: Record<string, string>; group: string }
  | { kind: 'update'; username: string; attributes: Record<string, string> }
  | { kind: 'enable'; username: string }
  | { kind: 'join'; username: string; group: string }
  | { kind: 'leave'; username: string; group: string }
  | { kind: 'disable'; username: string };

/** The attributes the roster gives a person's account. */
export function attributesOf(person: Person): Record<string, string> {
  return {
    name: person.name,
    phone_number: toE164(person.phone),
    'custom:person': person.id,
    'custom:role': person.role,
    'custom:units': person.unit,
    'custom:department': person.department ?? '',
  };
}

/** The changes that bring the accounts to the roster; none when they hold it already (sync is idempotent). */
export function usersPlan(people: readonly Person[], accounts: readonly Account[], roles: readonly string[]): UserChange[] {
  const byUsername = new Map(accounts.map((account) => [account.username.toLowerCase(), account]));
  const changes: UserChange[] = [];
  for (const person of people) {
    const wanted = attributesOf(person);
    const account = byUsername.get(person.id.toLowerCase());
    if (!account) {
      const { 'custom:department': department, ...rest } = wanted;
      changes.push({ kind: 'create', username: person.id, attributes: department ? wanted : rest, group: person.role });
      continue;
    }
    const differing = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => (account.attributes[name] ?? '') !== value));
    if (Object.keys(differing).length > 0) changes.push({ kind: 'update', username: account.username, attributes: differing });
    if (!account.enabled) changes.push({ kind: 'enable', username: account.username });
    if (!account.groups.includes(person.role)) changes.push({ kind: 'join', username: account.username, group: person.role });
    for (const group of account.groups)
      if (group !== person.role && roles.includes(group)) changes.push({ kind: 'leave', username: account.username, group });
  }
  const ids = new Set(people.map((person) => person.id.toLowerCase()));
  for (const account of accounts)
    if (account.enabled && account.attributes['custom:person'] && !ids.has(account.username.toLowerCase()))
      changes.push({ kind: 'disable', username: account.username });
  return changes;
}

/** A change as a line of the plan. */
export function changeLine(change: UserChange): string {
  switch (change.kind) {
    case 'create':
      return `+ create ${change.username} (${change.attributes['custom:role']}, ${change.attributes['custom:units']}), group ${change.group}`;
    case 'update':
      return `~ update ${change.username}: ${Object.keys(change.attributes).join(', ')}`;
    case 'enable':
      return `+ enable ${change.username} (back on the roster)`;
    case 'join':
      return `> add ${change.username} to group ${change.group}`;
    case 'leave':
      return `< remove ${change.username} from group ${change.group}`;
    case 'disable':
      return `- disable ${change.username} (no longer on the roster)`;
  }
}
