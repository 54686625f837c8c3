/**
 * Which lists a case is on: the rules the stores' indexes follow (a DynamoDB index is sparse, the in-memory
 * store filters), decided here once rather than in an adapter.
 */
import type { Case } from './types';

/** On its handler's list (GET /cases/mine): routed to or being handled by someone, until it moves on. */
export function waitsOnHandler(event: Pick<Case, 'stage' | 'assignee'>): boolean {
  return (event.stage === 'routed' || event.stage === 'handling') && event.assignee !== undefined;
}

/** On the urgency list (and counted as open): every open case. */
export function isOpenCase(event: Pick<Case, 'status'>): boolean {
  return event.status === 'open';
}

/** On the overdue list (reports' 逾期 list, `GET /events?overdue=true`): open and past a deadline. */
export function isOverdueOpen(event: Pick<Case, 'status' | 'overdue'>): boolean {
  return event.status === 'open' && event.overdue === true;
}

/** A later report nearby may be a duplicate of it: open, located, and not itself a duplicate. */
export function isDuplicateCandidate(event: Pick<Case, 'status' | 'location' | 'duplicateOf'>): boolean {
  return event.status === 'open' && event.location !== undefined && !event.duplicateOf;
}

/** The sweeper starts its lifecycle if it stays so past its grace: open, and the lifecycle has not waited on it yet. */
export function awaitsLifecycle(event: Pick<Case, 'status' | 'awaitingLifecycle'>): boolean {
  return event.status === 'open' && event.awaitingLifecycle === true;
}
