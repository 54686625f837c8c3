/**
 * The `comment` action: a note on the case's timeline. It is not a change of the case (no version, no
 * counters, no SMS, no wake-up): it is appended as an item of its own, so comments never conflict with each
 * other or with the case's changes, however many come at once. The case is read for the permission check.
 */
import { actorOf, type Caller } from '../domain/caller';
import { toLocalIso } from '../domain/calendar';
import { notFound } from '../domain/errors';
import { authorizeAction } from '../domain/permissions';
import type { Case } from '../domain/types';
import type { CoreDependencies } from './dependencies';
import { newCommentId } from './ids';

/** Appends the caller's comment after the entry that is last now; returns the case as it is (unchanged). */
export async function commentOnCase(
  deps: Pick<CoreDependencies, 'cases' | 'clock'>,
  caller: Caller,
  eventId: string,
  note: string,
): Promise<Case> {
  const stored = await deps.cases.get(eventId);
  if (!stored) throw notFound(`Event ${eventId} does not exist`);
  const { event } = stored;
  authorizeAction('comment', caller, event);
  const now = deps.clock.now();
  await deps.cases.appendComment({
    eventId,
    seq: event.version,
    id: newCommentId(),
    at: toLocalIso(now),
    actor: actorOf(caller),
    type: 'commented',
    stage: event.stage,
    tier: event.tier,
    note,
  });
  return event;
}
