/** Read–decide–write with optimistic locking: a concurrent change makes us read again and decide again. */
import { conflict, notFound, VersionConflict } from '../domain/errors';
import { withRetries, type RetryPolicy } from '../domain/retry';
import type { CaseChange, StoredCase } from '../ports/cases';
import type { CoreDependencies } from './dependencies';

/**
 * A change that lost the race to another change of the same case reads the case again and decides again,
 * after a jittered exponential wait (full jitter on 10 ms × 2^attempt, capped at 320 ms): 8 tries in all,
 * about a second at worst. Comments do not take part (they are items of their own, appendComment).
 */
export const CASE_VERSION_RETRY: RetryPolicy = {
  name: 'case-version-conflict',
  retries: 7,
  delayMs: (attempt: number) => Math.random() * Math.min(320, 10 * 2 ** attempt),
};

/**
 * Applies the change `decide` computes from the current case. `decide` may throw (a refusal) or return
 * undefined (nothing to do); it may add changes of other cases, written in the same transaction.
 * Returns the stored case before and the change applied, if any. When every try lost the race, a 409 says so.
 */
export async function updateCase(
  deps: Pick<CoreDependencies, 'cases'>,
  eventId: string,
  decide: (stored: StoredCase) => CaseChange | CaseChange[] | undefined | Promise<CaseChange | CaseChange[] | undefined>,
): Promise<{ before: StoredCase; change?: CaseChange }> {
  let conflicts = 0;
  try {
    return await withRetries(
      CASE_VERSION_RETRY,
      async () => {
        try {
          return await decideAndApply(deps, eventId, decide);
        } catch (error) {
          if (error instanceof VersionConflict) conflicts += 1;
          throw error;
        }
      },
      (error) => error instanceof VersionConflict,
    );
  } catch (error) {
    if (!(error instanceof VersionConflict)) throw error;
    throw conflict(`Event ${eventId} changed ${conflicts} times while this action was tried; read it again and retry`, [
      { field: 'action', message: 'the case kept changing' },
    ]);
  }
}

async function decideAndApply(
  deps: Pick<CoreDependencies, 'cases'>,
  eventId: string,
  decide: (stored: StoredCase) => CaseChange | CaseChange[] | undefined | Promise<CaseChange | CaseChange[] | undefined>,
): Promise<{ before: StoredCase; change?: CaseChange }> {
  const stored = await deps.cases.get(eventId);
  if (!stored) throw notFound(`Event ${eventId} does not exist`);
  const decided = await decide(stored);
  if (!decided) return { before: stored };
  // A second case may change in the same transaction (a duplicate's original); the first is this one.
  const [main, ...others] = Array.isArray(decided) ? decided : [decided];
  // The waiting task's token lives on the case item: a change that does not mention it keeps it.
  const change: CaseChange = main.waitingTask === undefined ? { ...main, waitingTask: stored.waitingTask ?? null } : main;
  await deps.cases.apply(change, ...others);
  return { before: stored, change };
}
