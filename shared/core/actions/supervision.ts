/**
 * Supervision: 催办 nudge, 约请 invite a department, 一事一评议 evaluate. None moves the case. (A comment is not a
 * change of the case at all: comment-on-case.ts appends it.)
 */
import { unprocessable } from '../../domain/errors';
import { recorded, type ActionFamily } from './outcome';

export const SUPERVISION_ACTIONS: ActionFamily<'nudge' | 'invite_department' | 'evaluate'> = {
  nudge: ({ caller }, theCase, input) =>
    recorded(input, theCase, 'nudged', { count: ['nudged'], sms: [{ trigger: 'nudge', extras: { params: { by: caller.name } } }] }),

  invite_department: ({ deps, caller }, theCase, input) => {
    if (!deps.directory.department(input.department))
      throw unprocessable(`Department ${input.department} does not exist`, [{ field: 'department', message: 'unknown department' }]);
    return recorded(input, theCase, 'department_invited', {
      data: { department: input.department },
      count: ['nudged'],
      sms: [{ trigger: 'invitation_to_act', extras: { departments: [input.department], params: { by: caller.name, note: input.note } } }],
    });
  },

  evaluate: (_context, theCase, input) => recorded(input, theCase, 'evaluated', { data: { score: input.score } }),
};
