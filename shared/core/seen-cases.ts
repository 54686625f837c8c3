/**
 * The cases a person has opened (the command center's level-1 banner stands for each person until they open the
 * case): recorded when they open one they may see, read back on every screen they sign in on.
 */
import type { Caller } from '../domain/caller';
import { notFound } from '../domain/errors';
import { canSeeCase } from '../domain/permissions';
import type { SeenCase } from '../ports/seen-cases';
import type { CoreDependencies } from './dependencies';

/** How long an opening is kept: far beyond the life of a level-1 case on the board. */
export const SEEN_KEPT_DAYS = 30;

/** Records that the caller opened the case; a case they may not see reads as absent (404), as GET /events/{id}. */
export async function markCaseSeen(
  deps: Pick<CoreDependencies, 'cases' | 'seenCases' | 'clock'>,
  caller: Caller,
  caseId: string,
): Promise<SeenCase> {
  const stored = await deps.cases.get(caseId);
  if (!stored || !canSeeCase(caller, stored.case)) throw notFound(`Event ${caseId} does not exist or is outside your units`);
  const now = deps.clock.now();
  return deps.seenCases.markSeen(caller.person, caseId, now, new Date(now.getTime() + SEEN_KEPT_DAYS * 86_400_000));
}

/** The cases the caller has opened (kept SEEN_KEPT_DAYS). */
export function casesSeenBy(deps: Pick<CoreDependencies, 'seenCases'>, caller: Caller): Promise<SeenCase[]> {
  return deps.seenCases.seenBy(caller.person);
}
