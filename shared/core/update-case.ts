/** Read–decide–write with optimistic locking: a concurrent change makes us read again and decide again. */
import { notFound, VersionConflict } from '../domain/errors';
import type { CaseChange, StoredCase } from '../ports/cases';
import type { CoreDependencies } from './dependencies';

const MAX_ATTEMPTS = 8;

/**
 * Applies the change `decide` computes from the current event. `decide` may throw (a refusal) or return
 * undefined (nothing to do); it may add changes of other events, written in the same transaction.
 * Returns the stored event before and the change applied, if any.
 */
export async function updateCase(
  deps: Pick<CoreDependencies, 'cases'>,
  eventId: string,
  decide: (stored: StoredCase) => CaseChange | CaseChange[] | undefined | Promise<CaseChange | CaseChange[] | undefined>,
): Promise<{ before: StoredCase; change?: CaseChange }> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.cases.get(eventId);
    if (!stored) throw notFound(`Event ${eventId} does not exist`);
    const decided = await decide(stored);
    if (!decided) return { before: stored };
    // A second event may change in the same transaction (a duplicate's original); the first is this one.
    const [main, ...others] = Array.isArray(decided) ? decided : [decided];
    // The waiting task's token lives on the event item: a change that does not mention it keeps it.
    const change: CaseChange = main.waitingTask === undefined ? { ...main, waitingTask: stored.waitingTask ?? null } : main;
    try {
      await deps.cases.apply(change, ...others);
      return { before: stored, change };
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
