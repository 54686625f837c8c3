/** The handler's own actions: 签收 acknowledge, 办结 complete, 退回 return (a department), 上报 escalate. */
import { casePart } from '../../domain/case-parts';
import { conflict } from '../../domain/errors';
import { isVerifiedOnSite } from '../../domain/ladder';
import type { Case } from '../../domain/types';
import { escalate, holdForDispatch, startClock, toJointMeeting, withClock, type Move } from '../case-moves';
import type { ReferenceData } from '../dependencies';
import { recorded, type ActionFamily } from './outcome';

export const HANDLING_ACTIONS: ActionFamily<'acknowledge' | 'complete' | 'return' | 'escalate'> = {
  acknowledge: ({ at }, theCase, input) =>
    recorded(input, { ...theCase, stage: 'handling', acknowledgedAt: at }, 'acknowledged', { count: ['acknowledged'] }),

  complete: ({ deps, now, at }, theCase, input) => {
    const onTime = !theCase.deadlineAt || now.getTime() <= Date.parse(theCase.deadlineAt);
    const handled: Case = { ...theCase, handledAt: at, handledOnTime: onTime, handlingNote: input.note, handlingPhotos: input.photos };
    const next = isVerifiedOnSite(theCase.tier)
      ? withClock({ ...handled, stage: 'verifying' }, startClock(deps, theCase, 'verification', theCase.tier, now))
      : withClock({ ...handled, stage: 'feedback' }, undefined);
    return recorded(input, next, 'completed', {
      photos: input.photos,
      data: { onTime },
      count: onTime ? ['handled', 'handledOnTime'] : ['handled'],
    });
  },

  return: ({ deps, now }, theCase, input) => returned(deps, theCase, input.note, now),

  escalate: ({ deps, now }, theCase, input) => {
    const moved = escalateByHandler(deps, theCase, input.note, now);
    return { ...moved, after: { ...moved.after, complex: true } };
  },
};

/** 退回: the team says it is not theirs; counted against it; the second return goes to a joint meeting. */
function returned(deps: ReferenceData, theCase: Case, reason: string, now: Date): Move {
  const returns = (theCase.returns ?? 0) + 1;
  const team = casePart(theCase, 'assignee', 'return is allowed only to the handler of an assigned case (ACTION_RULES)');
  const marked: Case = { ...theCase, returns, returnedBy: [...(theCase.returnedBy ?? []), `${team.unit}:${team.id}`] };
  const how = { type: 'returned' as const, reason: `退回 returned by ${team.name}: ${reason}`, count: ['returned' as const] };
  const moved =
    returns >= deps.policy.returnsToMeeting
      ? toJointMeeting(deps, marked, now, how)
      : holdForDispatch(deps, marked, theCase.tier === 'district' ? 'district' : 'town', now, how);
  return { ...moved, countAgainst: team };
}

/** 上报: the handler sends the case one tier up, the same move (and count) as a missed deadline's escalation. */
function escalateByHandler(deps: ReferenceData, theCase: Case, reason: string, now: Date): Move {
  const moved = escalate(deps, theCase, now, { type: 'escalated', reason: `上报 reported up: ${reason}` });
  if (!moved) throw conflict(`Cannot escalate event ${theCase.id}: it is already at the top of the ladder`);
  return moved;
}
