/**
 * Deadlines counted on a plain week, counted again (issue 14): a clock whose limit ran over a year the calendar had
 * no holiday arrangement for is flagged (case-moves.ts); once the year's calendar document is in effect, the
 * sweeper counts each such open deadline again, once, on today's calendar — with its reminders and sign-for
 * time — records why on the timeline, and wakes the waiting lifecycle so that it waits for the new deadline.
 * A clock whose deadline has passed and was acted on keeps it (the ladder has moved on); only its flag goes.
 */
import type { Case, CaseClock } from '../domain/types';
import { changeOf, type Move, recountedClock, withClock } from './case-moves';
import type { DecisionData } from './decide';
import type { CoreDependencies, ReferenceData } from './dependencies';
import { updateCase } from './update-case';
import { wakeWorkflow } from './wake-workflow';

export type PlainWeekDeps = DecisionData &
  ReferenceData &
  Pick<CoreDependencies, 'cases' | 'caseLists' | 'workflow' | 'directory' | 'logger'>;

/** Cases counted again in one sweeper run, at most: the sweeper has a minute for all its work. */
export const RECOUNTS_PER_RUN = 100;

/** One pass: every flagged open case whose first plain-week year the calendar knows now. Returns their ids. */
export async function recountPlainWeekDeadlines(deps: PlainWeekDeps): Promise<string[]> {
  const known = deps.calendarYears;
  if (!known) return [];
  const recounted: string[] = [];
  let tried = 0;
  for (const district of deps.directory.districts()) {
    for await (const { eventId, year } of deps.caseLists.plainWeekCases(district)) {
      if (!known.includes(year)) continue;
      // A run does a share (each case may wait on a wake); the rest stay listed for the next run.
      if (++tried > RECOUNTS_PER_RUN) break;
      try {
        if (await recount(deps, eventId)) recounted.push(eventId);
      } catch (error) {
        // One case that fails stays listed and is tried again next run; the others go on.
        deps.logger.error('A deadline counted on a plain week could not be counted again', { eventId, error: String(error) });
      }
    }
  }
  if (recounted.length)
    deps.logger.info('Deadlines counted on a plain week were counted again on the new calendar', {
      count: recounted.length,
      eventIds: recounted.slice(0, 20),
    });
  return recounted;
}

async function recount(deps: PlainWeekDeps, eventId: string): Promise<boolean> {
  const now = deps.clock.now();
  let moved = false;
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    const move = recountMove(deps, theCase);
    moved = move !== undefined && move.after.deadlineAt !== theCase.deadlineAt;
    return move && changeOf(theCase, move, now);
  });
  // The lifecycle waits until the old deadline: woken, it waits for the new one (earlier, with a make-up working day).
  if (change && moved && before.waitingTask) await wakeWorkflow(deps, change.case, before.waitingTask);
  return change !== undefined;
}

/**
 * The move counting the case's flagged deadline again, if some year it ran on a plain week is known now. A deadline
 * that has passed and was acted on stands: only its flag goes.
 */
export function recountMove(deps: ReferenceData, theCase: Case): Move | undefined {
  const clock = theCase.clock;
  if (theCase.status !== 'open' || !clock?.plainWeek) return undefined;
  const years = clock.plainWeek.years.filter((year) => deps.calendarYears?.includes(year));
  if (years.length === 0) return undefined;
  const { plainWeek: counted, ...unflagged } = clock;
  const after: CaseClock = clock.expired ? unflagged : recountedClock(deps, theCase, { ...unflagged, plainWeek: counted });
  const [zh, en] = clock.expired
    ? ['期限已过，不再重算', 'the deadline had passed and stands']
    : ['期限按新日历重算', 'the deadline was counted again'];
  return {
    after: withClock(theCase, after),
    type: 'deadline_recomputed',
    note: `${years.join('、')}年节假日安排已加入，${zh} The ${years.join(', ')} holiday arrangement arrived; ${en}`,
    data: {
      years,
      from: clock.deadlineAt,
      to: after.deadlineAt,
      ...(after.plainWeek && { stillOnPlainWeek: after.plainWeek.years }),
      referenceVersion: deps.referenceVersion,
    },
    sms: [],
  };
}
