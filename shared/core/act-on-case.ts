/**
 * POST /events/{id}/actions: one action on a case, checked against the who-may-do-what table, written
 * as one transaction; then the case's waiting workflow task is woken with the next decision when the
 * action changed what the case waits for (retried; its token stays on the case until the wake is done),
 * and the SMS it calls for are sent. What each action does is in its
 * family under actions/; a comment is no change of the case and is appended on its own (comment-on-case.ts).
 */
import { actorOf, type Caller } from '../domain/caller';
import { toLocalIso } from '../domain/calendar';
import { BrokenInvariant, conflict, forbidden, notFound } from '../domain/errors';
import { ACTION_RULES, authorizeAction } from '../domain/permissions';
import type { Actor, Case } from '../domain/types';
import type { ActionInput, RatingInput } from '../domain/case-inputs';
import { runAction } from './actions';
import { checkLinkTarget } from './actions/intake';
import type { ActionOutcome } from './actions/outcome';
import { rated } from './actions/rating';
import { buildChange } from './changes';
import { commentOnCase } from './comment-on-case';
import type { CoreDependencies, ReferenceData } from './dependencies';

/** An action reads and writes the case, wakes its workflow and texts people (reminders fold); a rating also counts tries. */
export type ActingDeps = ReferenceData & NotifyDeps & Pick<CoreDependencies, 'workflow'>;
import { enforceHourlyLimit } from './request-guards';
import type { NotifyDeps } from './lifecycle-messages';
import { withMoveMessages } from './send-move';
import { updateCase } from './update-case';
import { wakeWorkflow } from './wake-workflow';

export async function actOnCase(
  deps: ActingDeps & Pick<CoreDependencies, 'guards'>,
  caller: Caller,
  eventId: string,
  input: ActionInput,
): Promise<Case> {
  if (input.action === 'comment') return commentOnCase(deps, caller, eventId, input.note);
  if (input.action === 'link_duplicate') await checkLinkTarget(deps, caller, eventId, input.duplicateOf);
  return applyAction(deps, eventId, actorOf(caller), (theCase, now) => {
    authorizeAction(input.action, caller, theCase);
    const result = runAction({ deps, caller, now, at: toLocalIso(now) }, theCase, input);
    return { ...result, wakes: ACTION_RULES[input.action].wakes };
  });
}

/** How long a case's count of rating tries is kept: longer than any rating window. */
const RATING_TRIES_KEPT_MS = 90 * 24 * 3600_000;

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
  // Every try counts against the case's code too, whichever client makes it: a new address gets no new guesses. A new
  // code the reporter asked for (renew-rating-code.ts) has tries of its own.
  const issue = (await deps.cases.get(eventId))?.case.ratingCodeIssue;
  const triesAtCase = await deps.guards.countHit(
    `rating-case#${eventId}${issue ? `#${issue}` : ''}`,
    new Date(deps.clock.now().getTime() + RATING_TRIES_KEPT_MS),
  );
  if (triesAtCase > deps.policy.ratingTriesPerCase)
    throw forbidden(
      `The rating code of event ${eventId} is void after ${deps.policy.ratingTriesPerCase} tries; the grid worker can record the rating (回访)`,
    );
  const reporter: Actor = { id: 'reporter', name: '反映人 reporter', role: 'citizen' };
  return applyAction(deps, eventId, reporter, (theCase, now) => {
    // A wrong code reads as a missing case: the code is the reporter's only proof.
    if (!theCase.ratingCode || theCase.ratingCode !== input.code) throw notFound(`Event ${eventId} has no rating open for this code`);
    const refusal = ACTION_RULES.rate.refuse?.(theCase);
    if (refusal || theCase.stage !== 'feedback')
      throw conflict(`Cannot rate event ${eventId}: ${refusal ?? `it is ${theCase.stage}`}`, [
        { field: 'code', message: 'no rating open' },
      ]);
    return { ...rated(deps, theCase, { score: input.score, note: input.note }, 'reporter', now), wakes: ACTION_RULES.rate.wakes };
  });
}

async function applyAction(
  deps: ActingDeps,
  eventId: string,
  actor: Actor,
  outcome: (theCase: Case, now: Date) => ActionOutcome,
): Promise<Case> {
  const now = deps.clock.now();
  let applied: ActionOutcome | undefined;
  const { before, change } = await updateCase(deps, eventId, async ({ case: theCase }) => {
    applied = outcome(theCase, now);
    const { after, type, note, photos, data, count, countAgainst } = applied;
    // The waiting task's token stays on the case until the wake below succeeded (wakeWorkflow clears it then).
    const change = buildChange(theCase, after, { type, actor, at: now, note, photos, data, count, countAgainst });
    // The SMS the action causes are stored with it (a 督办 addressed as the case was before it).
    const main = withMoveMessages(deps, change, applied, theCase);
    return applied.related ? [main, await applied.related(now, actor)] : main;
  });
  // The decide step above never returns undefined: an action always records a change (or throws its refusal).
  if (!change) throw new BrokenInvariant(`The change of case ${eventId}`, 'every action records one');
  const { case: theCase } = change;
  if (applied?.wakes && before.waitingTask) await wakeWorkflow(deps, theCase, before.waitingTask);
  return theCase;
}
