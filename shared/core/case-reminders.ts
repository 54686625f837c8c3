/**
 * The reminders before a deadline — at 50% and 75% of the handling time, and the second notice to a handler
 * who has not signed for the case — are sent by the sweeper, not by the lifecycle's execution: a waiting case
 * costs no state transitions until its deadline or an action. The sweeper reads the cases due (the byDue list,
 * shared/domain/case-lists.ts `sweeperDueAt`), and for each one claims the reminder in the same version-checked
 * write that records it on the timeline (two sweeps cannot both send it), then sends it through the core's
 * path for a move's SMS (withMoveMessages, sendMoveReminders: folded into a digest like any reminder). A case listed because its deadline passed a grace ago
 * unacted on has its execution checked (ensureLifecycle: started again under a fresh name if it closed).
 */
import { lifecycleOverdue } from '../domain/case-lists';
import { clockStatus, type Checkpoint } from '../domain/ladder';
import type { Case, CaseClock } from '../domain/types';
import { changeOf, type Move } from './case-moves';
import { clockContext, type DecisionData, waitingFor } from './decide';
import type { CoreDependencies } from './dependencies';
import type { NotifyDeps } from './lifecycle-messages';
import { sendMoveReminders, withMoveMessages } from './send-move';
import { ensureLifecycle } from './ensure-lifecycle';
import { updateCase } from './update-case';

/** The reminder a due checkpoint of the case's running clock (`clock`) sends, recorded on the clock so that it is sent once. */
export function reminderMove(deps: Pick<CoreDependencies, 'policy'>, theCase: Case, clock: CaseClock, due: Checkpoint): Move | undefined {
  switch (due.type) {
    case 'reminder':
      return {
        after: { ...theCase, clock: { ...clock, reminders: due.passed } },
        type: 'reminded',
        data: { passed: deps.policy.reminderFractions[due.passed - 1] },
        sms: [{ trigger: 'reminder' }],
      };
    case 'acknowledge_reminder':
      return {
        after: { ...theCase, clock: { ...clock, acknowledgeReminded: true } },
        type: 'not_acknowledged',
        note: '未按时签收，已再次通知 not signed for in time; notified again',
        count: ['notAcknowledged'],
        sms: [{ trigger: 'acknowledge_reminder' }],
      };
    default:
      return undefined;
  }
}

export interface DueSweep {
  reminded: number;
  /** Cases whose lifecycle was started again (their execution had closed or never started). */
  restarted: string[];
}

/** Reading the due lists, sending a case's reminder as the steps do, and checking (restarting) a late case's execution. */
export type DueSweepDeps = DecisionData & NotifyDeps & Pick<CoreDependencies, 'caseLists' | 'workflow'>;

/** One pass over the cases due: each district's list up to now. */
export async function sweepDueCases(deps: DueSweepDeps): Promise<DueSweep> {
  const result: DueSweep = { reminded: 0, restarted: [] };
  for (const district of deps.directory.districts()) {
    for await (const eventId of deps.caseLists.dueCases(district, deps.clock.now())) {
      const outcome = await remindOrCheck(deps, eventId);
      if (outcome === 'reminded') result.reminded += 1;
      if (outcome === 'restarted') result.restarted.push(eventId);
    }
  }
  return result;
}

async function remindOrCheck(deps: DueSweepDeps, eventId: string): Promise<'reminded' | 'restarted' | 'nothing'> {
  const now = deps.clock.now();
  let move: Move | undefined;
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    move = undefined;
    if (!theCase.clock || !waitingFor(theCase)) return undefined;
    const { due } = clockStatus(theCase.clock, clockContext(deps, theCase), now, 'sweeper');
    move = due && reminderMove(deps, theCase, theCase.clock, due);
    return move && withMoveMessages(deps, changeOf(theCase, move, now), move, theCase);
  });
  if (change && move) {
    // As the execution's steps do: a reminder folds per phone (reminders.ts), once its claim is stored.
    await sendMoveReminders(deps, move, change.case);
    return 'reminded';
  }
  if (!lifecycleOverdue(before.case, now)) return 'nothing';
  const outcome = await ensureLifecycle(deps, eventId);
  return outcome === 'running' ? 'nothing' : 'restarted';
}
