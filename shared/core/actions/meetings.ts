/** Above the district: 联席会议 the joint meeting convened and its decision recorded; 直通车 the through train. */
import { casePart } from '../../domain/case-parts';
import { toLocalIso } from '../../domain/calendar';
import { unprocessable } from '../../domain/errors';
import { assignTo, startClock, toThroughTrain, withClock } from '../case-moves';
import type { ReferenceData } from '../dependencies';
import { districtDepartment } from './dispatch';
import { recorded, type ActionFamily } from './outcome';

export const MEETING_ACTIONS: ActionFamily<'convene_meeting' | 'record_meeting_decision' | 'through_train'> = {
  convene_meeting: ({ deps, now, at }, theCase, input) => {
    for (const [index, code] of input.departments.entries()) checkDepartment(deps, code, `departments.${index}`);
    const meetingAt = new Date(input.at);
    const meeting = { at: toLocalIso(meetingAt), departments: input.departments, convenedAt: at };
    const clock = startClock(deps, theCase, 'meeting', theCase.tier, now, { from: meetingAt });
    return recorded(input, { ...withClock(theCase, clock), meeting }, 'meeting_convened', {
      data: { meeting },
      sms: [
        {
          trigger: 'meeting_invitation',
          extras: { departments: input.departments, params: { meetingAt: meeting.at.slice(0, 16).replace('T', ' ') } },
        },
      ],
    });
  },

  record_meeting_decision: ({ deps, now, at }, theCase, input) => {
    checkDepartment(deps, input.lead, 'lead');
    for (const [index, code] of input.helpers.entries()) checkDepartment(deps, code, `helpers.${index}`);
    const deadline = new Date(input.deadlineAt);
    if (deadline <= now) throw unprocessable('deadlineAt must be in the future', [{ field: 'deadlineAt', message: 'in the past' }]);
    const decision = {
      lead: input.lead,
      helpers: input.helpers,
      deadlineAt: toLocalIso(deadline),
      minutes: input.minutes,
      recordedAt: at,
    };
    const lead = districtDepartment(deps, theCase, input.lead);
    const moved = assignTo(
      deps,
      {
        ...theCase,
        meeting: {
          ...casePart(theCase, 'meeting', 'record_meeting_decision is allowed only once a meeting is convened (ACTION_RULES)'),
          decision,
        },
      },
      'joint_meeting',
      lead,
      now,
      {
        type: 'meeting_decided',
        reason: input.minutes,
        deadline,
      },
    );
    return {
      ...moved,
      data: { ...moved.data, decision },
      sms: [...moved.sms, { trigger: 'meeting_helpers', extras: { departments: input.helpers, params: { lead: lead.name } } }],
    };
  },

  through_train: ({ deps, now, at }, theCase, input) => {
    const moved = toThroughTrain(
      deps,
      theCase.stage === 'registered' ? { ...theCase, acceptedAt: theCase.acceptedAt ?? at } : theCase,
      now,
      {
        type: 'through_train',
        reason: input.note,
      },
    );
    return { ...moved, after: { ...moved.after, stage: 'routed' } };
  },
};

function checkDepartment(deps: ReferenceData, code: string, field: string): void {
  if (!deps.directory.department(code))
    throw unprocessable(`Department ${code} does not exist`, [{ field, message: 'unknown department' }]);
}
