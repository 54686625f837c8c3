/**
 * The `comment` action: a note on the case's timeline. It is not a change of the case (no version, no
 * counters, no SMS, no wake-up): it is appended as an item of its own, so comments never conflict with each
 * other or with the case's changes, however many come at once. The case is read for the permission check.
 * One person may post `commentsPerHour` comments on one case per clock hour (the policy's number), then 429.
 */
import { actorOf, type Caller } from '../domain/caller';
import { toLocalIso } from '../domain/calendar';
import { notFound } from '../domain/errors';
import { authorizeAction } from '../domain/permissions';
import type { Case } from '../domain/types';
import type { CoreDependencies } from './dependencies';
import { newCommentId } from './ids';
import { enforceHourlyLimit } from './request-guards';

/** Appends the caller's comment after the entry that is last now; returns the case as it is (unchanged). */
export async function commentOnCase(
  deps: Pick<CoreDependencies, 'cases' | 'clock' | 'guards' | 'policy'>,
  caller: Caller,
  eventId: string,
  note: string,
): Promise<Case> {
  const stored = await deps.cases.get(eventId);
  if (!stored) throw notFound(`Event ${eventId} does not exist`);
  const { case: theCase } = stored;
  authorizeAction('comment', caller, theCase);
  await enforceHourlyLimit(
    deps,
    'commentsPerHour',
    `comment#${caller.person}#${eventId}`,
    (perHour) => `You may post at most ${perHour} comments per person on one case per hour; please try again after the hour`,
  );
  const now = deps.clock.now();
  await deps.cases.appendComment({
    eventId,
    seq: theCase.version,
    id: newCommentId(),
    at: toLocalIso(now),
    actor: actorOf(caller),
    type: 'commented',
    stage: theCase.stage,
    tier: theCase.tier,
    note,
  });
  return theCase;
}
