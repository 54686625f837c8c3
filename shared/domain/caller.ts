/** Who calls, as the domain sees it: a person with a role and the units in their scope (read from a token in shared/auth/). */
import type { Actor, Role } from './types';
import { isWithin } from './unit-codes';

export interface Caller {
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

export function actorOf(caller: Caller): Actor {
  return { id: caller.sub, name: caller.name, role: caller.role };
}
