/**
 * `npm run district -- users sync` against a Cognito user pool (aws-sdk-client-mock: Cognito itself cannot run
 * here): new people get an account named by their person id with `custom:person`, role, units, department, name and
 * phone, and join their role's group, Cognito sending the temporary password (none of ours, nothing printed); a
 * changed person is updated, a changed role moves groups, a person gone is disabled, one back is enabled; accounts
 * made by hand are left alone; a second run does nothing; the dry run prints the plan and calls nothing that writes.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { attributesOf } from '../../bin/district/users-plan';
import { syncUsers } from '../../bin/district/users-sync';
import type { Person } from '../../shared/domain/units';

const POOL = 'us-east-1_District';
const cognito = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: 'us-east-1' });

const OUYANG: Person = { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker', unit: '441302010001001', phone: '13000001001' };
const NEW: Person = {
  id: 'gw-441302003005007',
  name: '江南第5社区第7网格网格员',
  role: 'grid_worker',
  unit: '441302003005007',
  phone: '13001000999',
};
const CLERK: Person = {
  id: 'ds-urban-management-441302010',
  name: '小金口街道城管执法中队办件员',
  role: 'department',
  unit: '441302010',
  phone: '13000020102',
  department: 'urban-management',
};
const LAN: Person = { id: 'cs-lan-bin', name: '蓝彬', role: 'community_station', unit: '441302010001', phone: '13000002001', head: true };

/** A pool account as ListUsers returns it, made from a person (with changes). */
const user = (person: Person, extra: Partial<UserType> = {}, attributes: Record<string, string> = {}): UserType => ({
  Username: person.id,
  Enabled: true,
  UserStatus: 'CONFIRMED',
  Attributes: Object.entries({ sub: `uuid-of-${person.id}`, ...attributesOf(person), ...attributes }).map(([Name, Value]) => ({
    Name,
    Value,
  })),
  ...extra,
});

/** The pool: its users, in pages of two, and each role group's members. */
function pool(users: UserType[], groups: Record<string, string[]>) {
  cognito.reset();
  cognito.on(ListUsersCommand).callsFake(({ PaginationToken }) => {
    const from = Number(PaginationToken ?? 0);
    return { Users: users.slice(from, from + 2), PaginationToken: from + 2 < users.length ? String(from + 2) : undefined };
  });
  cognito
    .on(ListUsersInGroupCommand)
    .callsFake(({ GroupName }) => ({ Users: (groups[GroupName] ?? []).map((Username) => ({ Username })) }));
}

const WRITES = [
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
];
const writes = () => WRITES.flatMap((command) => cognito.commandCalls(command as never));

const roster = [OUYANG, NEW, CLERK, LAN];
/** Before: 欧阳玲巧 as on the roster; the clerk with an old phone and in the wrong group; 蓝彬 disabled and in no
 * group; a person who left; an account made by hand (no custom:person). */
function poolBefore() {
  pool(
    [
      user(OUYANG),
      user(CLERK, {}, { phone_number: '+8613000020199' }),
      user(LAN, { Enabled: false }),
      user({ ...OUYANG, id: 'gw-left-last-year', name: '已调离' }),
      { Username: 'first-admin', Enabled: true, Attributes: [{ Name: 'name', Value: '平台管理员' }] },
    ],
    { grid_worker: [OUYANG.id, 'gw-left-last-year'], town_center: [CLERK.id] },
  );
}

test('the plan, in a dry run: printed, nothing written', async () => {
  poolBefore();
  const lines: string[] = [];
  await syncUsers(roster, { client, userPoolId: POOL, dryRun: true, print: (line) => lines.push(line) });
  expect(writes()).toHaveLength(0);
  expect(lines).toEqual([
    '  + create gw-441302003005007 (grid_worker, 441302003005007), group grid_worker',
    '  ~ update ds-urban-management-441302010: phone_number',
    '  > add ds-urban-management-441302010 to group department',
    '  < remove ds-urban-management-441302010 from group town_center',
    '  + enable cs-lan-bin (back on the roster)',
    '  > add cs-lan-bin to group community_station',
    '  - disable gw-left-last-year (no longer on the roster)',
    'users sync (dry run): 1 to create, 1 to update, 1 to enable, 2 to add to a group, 1 to remove from a group, 1 to disable for 4 people; nothing changed',
  ]);
});

test('the sync: accounts created with their attributes and group, Cognito sending the password; updated, moved, enabled, disabled', async () => {
  poolBefore();
  const lines: string[] = [];
  await syncUsers(roster, { client, userPoolId: POOL, dryRun: false, print: (line) => lines.push(line) });
  const created = cognito.commandCalls(AdminCreateUserCommand).map((call) => call.args[0].input);
  expect(created).toEqual([
    {
      UserPoolId: POOL,
      Username: NEW.id,
      UserAttributes: [
        { Name: 'name', Value: NEW.name },
        { Name: 'phone_number', Value: '+8613001000999' },
        { Name: 'custom:person', Value: NEW.id },
        { Name: 'custom:role', Value: 'grid_worker' },
        { Name: 'custom:units', Value: NEW.unit },
      ],
      DesiredDeliveryMediums: ['SMS'],
    },
  ]);
  // No password of ours (Cognito makes and sends the temporary one), and none suppressed.
  expect(created[0]).not.toHaveProperty('TemporaryPassword');
  expect(created[0]).not.toHaveProperty('MessageAction');
  const groupsAdded = cognito
    .commandCalls(AdminAddUserToGroupCommand)
    .map((call) => [call.args[0].input.Username, call.args[0].input.GroupName]);
  expect(groupsAdded.sort()).toEqual(
    [
      [NEW.id, 'grid_worker'],
      [CLERK.id, 'department'],
      [LAN.id, 'community_station'],
    ].sort(),
  );
  expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((call) => call.args[0].input)).toEqual([
    { UserPoolId: POOL, Username: CLERK.id, GroupName: 'town_center' },
  ]);
  expect(cognito.commandCalls(AdminUpdateUserAttributesCommand).map((call) => call.args[0].input)).toEqual([
    { UserPoolId: POOL, Username: CLERK.id, UserAttributes: [{ Name: 'phone_number', Value: '+8613000020102' }] },
  ]);
  expect(cognito.commandCalls(AdminEnableUserCommand).map((call) => call.args[0].input.Username)).toEqual([LAN.id]);
  expect(cognito.commandCalls(AdminDisableUserCommand).map((call) => call.args[0].input.Username)).toEqual(['gw-left-last-year']);
  expect(lines.at(-1)).toBe(
    'users sync: 1 created, 1 updated, 1 enabled, 2 added to a group, 1 removed from a group, 1 disabled for 4 people',
  );
});

test('a second run finds the pool holding the roster and does nothing', async () => {
  pool([...roster.map((person) => user(person)), user({ ...OUYANG, id: 'gw-left-last-year' }, { Enabled: false })], {
    grid_worker: [OUYANG.id, NEW.id],
    department: [CLERK.id],
    community_station: [LAN.id],
  });
  const lines: string[] = [];
  await syncUsers(roster, { client, userPoolId: POOL, dryRun: false, print: (line) => lines.push(line) });
  expect(writes()).toHaveLength(0);
  expect(lines).toEqual(['users sync: nothing to do for 4 people']);
});
