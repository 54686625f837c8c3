/** Who calls, as the domain sees it: a person with a role and the units in their scope (read from a token in shared/auth/). */
import { DomainError } from './errors';
import type { Actor, Role } from './types';
import { isWithin } from './unit-codes';
import type { UnitDirectory } from './units';

/**
 * A person id: letters, digits and `.` `_` `:` `-`, up to 128 (the roster's are like `gw-ouyang-lingqiao`). No `#`
 * or spaces: ids are parts of stored keys (`person#<grid>#<id>` lists, idempotency scopes, counters).
 */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface Caller {
  /**
   * The person's id, as the roster knows them (`gw-ouyang-lingqiao`): who the caller is for every rule — the
   * handler, the reporter, "my cases", the requester, who acted. One person, one role.
   */
  person: string;
  /** The account's subject (Cognito's generated UUID): for audit only, never to decide who someone is. */
  sub: string;
  name: string;
  role: Role;
  /** Unit codes in scope: the caller sees and acts on these and everything below them. */
  units: string[];
  department?: string;
  phone?: string;
}

export function canSeeUnit(caller: Caller, code: string): boolean {
  return caller.units.some((scope) => isWithin(code, scope));
}

/** The caller as the actor of what they did: their person id, and the account's sub beside it for audit. */
export function actorOf(caller: Caller): Actor {
  return { id: caller.person, name: caller.name, role: caller.role, sub: caller.sub };
}

/**
 * One person, one role: a token whose role is not the one the roster gives its person is refused (403, naming
 * `custom:role`) — someone with two roles has two accounts, each with its own person id. A person the roster does
 * not know is taken as the token says (generic accounts; the roster may lag an account by a version).
 */
export function assertOneRole(caller: Caller, directory: Pick<UnitDirectory, 'person'>): void {
  const known = directory.person(caller.person);
  if (!known || known.role === caller.role) return;
  throw new DomainError(
    403,
    'forbidden',
    `Person ${caller.person} holds the role ${known.role} on the roster, not ${caller.role}: one person holds one role; someone with two roles has two accounts, each with its own person id`,
    [{ field: 'custom:role', message: `the roster's role of ${caller.person} is ${known.role}` }],
  );
}
