/**
 * POST /events/{id}/actions: one action on a case, checked against the who-may-do-what table, written
 * as one transaction; then the SMS it calls for, and the case's waiting workflow task is woken with
 * the next decision when the action changed what the case waits for. What each action does is in its
 * family under actions/.
 */
import { actorOf, type Caller } from '../domain/caller';
import { toLocalIso } from '../domain/calendar';
import { conflict, notFound } from '../domain/errors';
import { ACTION_RULES, authorizeAction } from '../domain/permissions';
import type { Actor, Case } from '../domain/types';
import type { ActionInput, RatingInput } from '../domain/case-inputs';
import { runAction } from './actions';
import { checkLinkTarget } from './actions/intake';
import type { ActionOutcome } from './actions/outcome';
import { rated } from './actions/rating';
import { buildChange } from './changes';
import { decide } from './decide';
import type { CoreDependencies, ReferenceData } from './dependencies';

/** An action reads and writes the case, wakes its workflow and texts people (reminders fold); a rating also counts tries. */
export type ActingDeps = ReferenceData & NotifyDeps & Pick<CoreDependencies, 'workflow'>;
import { enforceHourlyLimit } from './request-guards';
import type { NotifyDeps } from './lifecycle-messages';
import { withMoveMessages } from './send-move';
import { updateCase } from './update-case';

export async function actOnCase(deps: ActingDeps, caller: Caller, eventId: string, input: ActionInput): Promise<Case> {
  if (input.action === 'link_duplicate') await checkLinkTarget(deps, caller, eventId, input.duplicateOf);
  return applyAction(deps, eventId, actorOf(caller), (event, now) => {
    authorizeAction(input.action, caller, event);
    const result = runAction({ deps, caller, now, at: toLocalIso(now) }, event, input);
    return { ...result, wakes: ACTION_RULES[input.action].wakes };
  });
}

/** The reporter's own rating, with the code from the feedback SMS (POST /events/{id}/rating). */
export async function rateAsReporter(
  deps: ActingDeps & Pick<CoreDependencies, 'guards'>,
  eventId: string,
  input: RatingInput,
  clientId: string,
): Promise<Case> {
  await enforceHourlyLimit(
    deps,
    'ratingTriesPerHour',
    `rating#${clientId}`,
    () => 'Too many rating attempts from this client; please try again later',
  );
  const reporter: Actor = { id: 'reporter', name: '反映人 reporter', role: 'citizen' };
  return applyAction(deps, eventId, reporter, (event, now) => {
    // A wrong code reads as a missing case: the code is the reporter's only proof.
    if (!event.ratingCode || event.ratingCode !== input.code) throw notFound(`Event ${eventId} has no rating open for this code`);
    const refusal = ACTION_RULES.rate.refuse?.(event);
    if (refusal || event.stage !== 'feedback')
      throw conflict(`Cannot rate event ${eventId}: ${refusal ?? `it is ${event.stage}`}`, [{ field: 'code', message: 'no rating open' }]);
    return { ...rated(deps, event, { score: input.score, note: input.note }, 'reporter', now), wakes: ACTION_RULES.rate.wakes };
  });
}

async function applyAction(
  deps: ActingDeps,
  eventId: string,
  actor: Actor,
  outcome: (event: Case, now: Date) => ActionOutcome,
): Promise<Case> {
  const now = deps.clock.now();
  let applied: ActionOutcome | undefined;
  const { before, change } = await updateCase(deps, eventId, async ({ event }) => {
    applied = outcome(event, now);
    const { after, type, note, photos, data, count, countAgainst, wakes } = applied;
    // The waiting task's token is spent when the action wakes it.
    const change = buildChange(event, after, {
      type,
      actor,
      at: now,
      note,
      photos,
      data,
      count,
      countAgainst,
      ...(wakes ? { waitingTask: null } : {}),
    });
    // The SMS the action causes are stored with it (a 督办 addressed as the case was before it).
    const main = withMoveMessages(deps, change, applied, event);
    return applied.related ? [main, await applied.related(now, actor)] : main;
  });
  const event = change!.event;
  if (applied?.wakes && before.waitingTask) {
    const decision = decide(deps, event, before.waitingTask.loops ?? 0);
    const woken = await deps.workflow.sendTaskSuccess(before.waitingTask.token, { ...decision });
    if (!woken) deps.logger.warn('The waiting task was gone; the workflow picks the change up at its next check', { eventId });
  }
  return event;
}
