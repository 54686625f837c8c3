/** 延期: the handler asks once for a later deadline, by at most the original limit; the tier's approver decides. */
import { actorOf } from '../../domain/caller';
import { toLocalIso } from '../../domain/calendar';
import { casePart } from '../../domain/case-parts';
import { unprocessable } from '../../domain/errors';
import type { CaseClock } from '../../domain/types';
import { reminderTimes, withClock } from '../case-moves';
import type { ReferenceData } from '../dependencies';
import { recorded, type ActionFamily } from './outcome';

export const EXTENSION_ACTIONS: ActionFamily<'request_extension' | 'approve_extension' | 'reject_extension'> = {
  request_extension: ({ deps, caller, at }, theCase, input) => {
    // ACTION_RULES: asked for only while the case is handled, which is on its clock with a deadline.
    const onTheClock = 'request_extension is allowed only while the case is handled (ACTION_RULES)';
    const latest = latestExtension(deps, casePart(theCase, 'clock', onTheClock));
    const until = Date.parse(input.until);
    if (until <= Date.parse(casePart(theCase, 'deadlineAt', onTheClock)))
      throw unprocessable('until must be after the current deadline', [{ field: 'until', message: `after ${theCase.deadlineAt}` }]);
    if (until > latest.getTime())
      throw unprocessable('An extension moves the deadline by at most the original limit', [
        { field: 'until', message: `at the latest ${toLocalIso(latest)}` },
      ]);
    const extension = {
      status: 'requested' as const,
      until: toLocalIso(new Date(until)),
      reason: input.note,
      requestedBy: actorOf(caller),
      requestedAt: at,
    };
    return recorded(input, { ...theCase, extension }, 'extension_requested', {
      data: { until: extension.until },
      sms: [
        {
          trigger: 'extension_requested',
          extras: { params: { until: extension.until.slice(0, 16).replace('T', ' '), reason: input.note } },
        },
      ],
    });
  },

  approve_extension: ({ deps, at }, theCase, input) => {
    const pending = 'approve_extension is allowed only with an extension pending on a handled case (ACTION_RULES)';
    const extension = { ...casePart(theCase, 'extension', pending), status: 'approved' as const, decidedAt: at };
    // The deadline moves once; the reminders not yet sent move with it. It is set by people now, not counted: a
    // plain-week flag goes with the counted deadline (plain-week-deadlines.ts would otherwise count the limit again).
    const { plainWeek: _counted, ...running } = casePart(theCase, 'clock', pending);
    // Checked again: a deadline counted again since the request (a plain-week year's calendar) may be past it now.
    if (Date.parse(extension.until) <= Date.parse(running.deadlineAt))
      throw unprocessable('The extension asked for no longer extends the deadline (it was counted again since): reject it', [
        { field: 'until', message: `after ${running.deadlineAt}` },
      ]);
    const remindAt = reminderTimes(deps, new Date(running.startedAt), new Date(extension.until), running.calendarTime);
    const clock = { ...running, deadlineAt: extension.until, expired: false, remindAt };
    return recorded(input, { ...withClock(theCase, clock), extension }, 'extension_approved', {
      data: { deadlineAt: extension.until },
      count: ['extended'],
      sms: [{ trigger: 'extension_decided', extras: { params: { decision: '已批准', decisionEn: 'approved' } } }],
    });
  },

  reject_extension: ({ at }, theCase, input) => {
    const pending = 'reject_extension is allowed only with an extension pending (ACTION_RULES)';
    const extension = { ...casePart(theCase, 'extension', pending), status: 'rejected' as const, decidedAt: at };
    return recorded(input, { ...theCase, extension }, 'extension_rejected', {
      sms: [{ trigger: 'extension_decided', extras: { params: { decision: '未批准', decisionEn: 'rejected' } } }],
    });
  },
};

/** An extension moves the deadline by at most the original limit: in working time, or on the clock for calendar-time limits. */
function latestExtension(deps: ReferenceData, clock: CaseClock): Date {
  const start = new Date(clock.startedAt);
  const deadline = new Date(clock.deadlineAt);
  if (clock.calendarTime) return new Date(deadline.getTime() + (deadline.getTime() - start.getTime()));
  return deps.calendar.addWorkingHours(deadline, deps.calendar.workingHoursBetween(start, deadline));
}
