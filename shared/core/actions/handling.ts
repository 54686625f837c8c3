/** The handler's own actions: 签收 acknowledge, 办结 complete, 退回 return (a department), 上报 escalate. */
import { casePart } from '../../domain/case-parts';
import { conflict } from '../../domain/errors';
import { isVerifiedOnSite } from '../../domain/ladder';
import type { Case } from '../../domain/types';
import { escalate, holdForDispatch, startClock, toJointMeeting, withClock, type Move } from '../case-moves';
import type { ReferenceData } from '../dependencies';
import { recorded, type ActionFamily } from './outcome';

export const HANDLING_ACTIONS: ActionFamily<'acknowledge' | 'complete' | 'return' | 'escalate'> = {
  acknowledge: ({ at }, event, input) =>
    recorded(input, { ...event, stage: 'handling', acknowledgedAt: at }, 'acknowledged', { count: ['acknowledged'] }),

  complete: ({ deps, now, at }, event, input) => {
    const onTime = !event.deadlineAt || now.getTime() <= Date.parse(event.deadlineAt);
    const handled: Case = { ...event, handledAt: at, handledOnTime: onTime, handlingNote: input.note, handlingPhotos: input.photos };
    const next = isVerifiedOnSite(event.tier)
      ? withClock({ ...handled, stage: 'verifying' }, startClock(deps, event, 'verification', event.tier, now))
      : withClock({ ...handled, stage: 'feedback' }, undefined);
    return recorded(input, next, 'completed', {
      photos: input.photos,
      data: { onTime },
      count: onTime ? ['handled', 'handledOnTime'] : ['handled'],
    });
  },

  return: ({ deps, now }, event, input) => returned(deps, event, input.note, now),

  escalate: ({ deps, now }, event, input) => {
    const moved = escalateByHandler(deps, event, input.note, now);
    return { ...moved, after: { ...moved.after, complex: true } };
  },
};

/** 退回: the team says it is not theirs; counted against it; the second return goes to a joint meeting. */
function returned(deps: ReferenceData, event: Case, reason: string, now: Date): Move {
  const returns = (event.returns ?? 0) + 1;
  const team = casePart(event, 'assignee', 'return is allowed only to the handler of an assigned case (ACTION_RULES)');
  const marked: Case = { ...event, returns, returnedBy: [...(event.returnedBy ?? []), `${team.unit}:${team.id}`] };
  const how = { type: 'returned' as const, reason: `退回 returned by ${team.name}: ${reason}`, count: ['returned' as const] };
  const moved =
    returns >= deps.policy.returnsToMeeting
      ? toJointMeeting(deps, marked, now, how)
      : holdForDispatch(deps, marked, event.tier === 'district' ? 'district' : 'town', now, how);
  return { ...moved, countAgainst: team };
}

/** 上报: the handler sends the case one tier up, the same move (and count) as a missed deadline's escalation. */
function escalateByHandler(deps: ReferenceData, event: Case, reason: string, now: Date): Move {
  const moved = escalate(deps, event, now, { type: 'escalated', reason: `上报 reported up: ${reason}` });
  if (!moved) throw conflict(`Cannot escalate event ${event.id}: it is already at the top of the ladder`);
  return moved;
}
