/** 核查: the district center checks a district-level case on site; a failure sends it back (返工), the second to a joint meeting. */
import { casePart } from '../../domain/case-parts';
import type { ActionFamily } from './outcome';
import { recorded } from './outcome';
import { assignTo, toJointMeeting, withClock } from '../case-moves';

export const VERIFICATION_ACTIONS: ActionFamily<'verify_pass' | 'verify_fail'> = {
  verify_pass: ({ at }, theCase, input) =>
    recorded(input, { ...withClock(theCase, undefined), stage: 'feedback', verifiedAt: at }, 'verified', {
      photos: input.photos,
      count: ['verifiedPassed'],
    }),

  verify_fail: ({ deps, now, at }, theCase, input) => {
    const failures = (theCase.verifyFailures ?? 0) + 1;
    const failed = { ...theCase, verifyFailures: failures };
    if (failures >= deps.policy.verifyFailuresToMeeting) {
      const moved = toJointMeeting(deps, failed, now, {
        type: 'verification_failed',
        reason: `第${failures}次核查不通过 verification failed ${failures} times: ${input.note}`,
        count: ['reworked'],
      });
      return { ...moved, photos: input.photos };
    }
    // 返工: back to the same handler, on a fresh clock at its tier.
    const handler = casePart(theCase, 'assignee', 'a case is verified after its handler handled it');
    const rework = assignTo(deps, failed, theCase.tier, handler, now, {
      type: 'verification_failed',
      reason: `核查不通过，返工 rework: ${input.note}`,
      stage: 'handling',
      count: ['reworked'],
    });
    return { ...rework, after: { ...rework.after, acknowledgedAt: at }, photos: input.photos };
  },
};
