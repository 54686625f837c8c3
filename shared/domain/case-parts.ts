/** The parts of a case its stage or an action's rule promise, read with the promise stated (no non-null assertion). */
import { BrokenInvariant } from './errors';
import type { Case } from './types';

/** The case's `part`, which `promisedBy` guarantees is there; BrokenInvariant naming both when it is not. */
export function casePart<K extends keyof Case>(theCase: Case, part: K, promisedBy: string): NonNullable<Case[K]> {
  const value = theCase[part];
  if (value === undefined || value === null) throw new BrokenInvariant(`Case ${theCase.id}'s ${String(part)}`, promisedBy);
  return value;
}
