/** Who calls, as the domain sees it: a person with a role and the units in their scope (read from a token in shared/auth/). */
import type { Actor, Role } from './types';
import { isWithin } from './unit-codes';

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
