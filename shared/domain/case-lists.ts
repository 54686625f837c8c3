/**
 * Which lists a case is on: the rules the stores' indexes follow (a DynamoDB index is sparse, the in-memory
 * store filters), decided here once rather than in an adapter.
 */
import { remindersDueAt } from './ladder';
import type { Case } from './types';

/** How long past a clock's deadline the sweeper waits for the lifecycle to act on it before it asks whether the execution runs. */
export const LIFECYCLE_GRACE_MS = 10 * 60_000;

/** On its handler's list (GET /events?mine=true): routed to or being handled by someone, until it moves on. */
export function waitsOnHandler(theCase: Pick<Case, 'stage' | 'assignee'>): boolean {
  return (theCase.stage === 'routed' || theCase.stage === 'handling') && theCase.assignee !== undefined;
}

/** On the urgency list (and counted as open): every open case. */
export function isOpenCase(theCase: Pick<Case, 'status'>): boolean {
  return theCase.status === 'open';
}

/** On the overdue list (reports' 逾期 list, `GET /events?overdue=true`): open and past a deadline. */
export function isOverdueOpen(theCase: Pick<Case, 'status' | 'overdue'>): boolean {
  return theCase.status === 'open' && theCase.overdue === true;
}

/** A later report nearby may be a duplicate of it: open, located, and not itself a duplicate. */
export function isDuplicateCandidate(theCase: Pick<Case, 'status' | 'location' | 'duplicateOf'>): boolean {
  return theCase.status === 'open' && theCase.location !== undefined && !theCase.duplicateOf;
}

/** The sweeper starts its lifecycle if it stays so past its grace: open, and the lifecycle has not waited on it yet. */
export function awaitsLifecycle(theCase: Pick<Case, 'status' | 'awaitingLifecycle'>): boolean {
  return theCase.status === 'open' && theCase.awaitingLifecycle === true;
}

/**
 * When the sweeper next looks at an open case (the byDue list): its next reminder (the sweeper sends it), or
 * else its clock's deadline plus LIFECYCLE_GRACE_MS — past that, unacted on, the sweeper asks whether the
 * case's execution still runs and starts it again if it closed. Undefined: not on the list.
 */
export function sweeperDueAt(theCase: Pick<Case, 'status' | 'clock' | 'acknowledgedAt'>): Date | undefined {
  if (theCase.status !== 'open' || !theCase.clock) return undefined;
  const reminder = remindersDueAt(theCase);
  if (reminder) return reminder;
  if (theCase.clock.expired) return undefined;
  return new Date(Date.parse(theCase.clock.deadlineAt) + LIFECYCLE_GRACE_MS);
}

/** Whether the sweeper's look at a case is about its lifecycle (nothing to remind; the deadline and its grace passed). */
export function lifecycleOverdue(theCase: Pick<Case, 'status' | 'clock' | 'acknowledgedAt'>, now: Date): boolean {
  const due = sweeperDueAt(theCase);
  return due !== undefined && !remindersDueAt(theCase) && due.getTime() <= now.getTime();
}

/**
 * The year an open case waits for to have its deadline counted again (the first it was counted over on a plain
 * week); undefined: its deadline is not flagged. The sweeper's plain-week list is keyed by it.
 */
export function plainWeekYear(theCase: Pick<Case, 'status' | 'clock'>): number | undefined {
  if (theCase.status !== 'open' || !theCase.clock?.plainWeek) return undefined;
  return Math.min(...theCase.clock.plainWeek.years);
}
