/**
 * Every action that changes a case, by family, keyed like ACTION_RULES: the type checks that each action has its
 * handler. A comment changes no case (comment-on-case.ts).
 */
import type { ActionName } from '../../domain/actions';
import { DISPATCH_ACTIONS } from './dispatch';
import { EXTENSION_ACTIONS } from './extensions';
import { HANDLING_ACTIONS } from './handling';
import { INTAKE_ACTIONS } from './intake';
import { MEETING_ACTIONS } from './meetings';
import type { ActionContext, ActionFamily, ActionResult } from './outcome';
import type { ActionInput } from '../../domain/case-inputs';
import { RATING_ACTIONS } from './rating';
import { SUPERVISION_ACTIONS } from './supervision';
import { VERIFICATION_ACTIONS } from './verification';
import type { Case } from '../../domain/types';

export type ChangingAction = Exclude<ActionName, 'comment'>;

export const ACTION_HANDLERS: ActionFamily<ChangingAction> = {
  ...INTAKE_ACTIONS,
  ...HANDLING_ACTIONS,
  ...DISPATCH_ACTIONS,
  ...EXTENSION_ACTIONS,
  ...VERIFICATION_ACTIONS,
  ...MEETING_ACTIONS,
  ...SUPERVISION_ACTIONS,
  ...RATING_ACTIONS,
};

/** Runs the action's handler. */
export function runAction<A extends ChangingAction>(
  context: ActionContext,
  theCase: Case,
  input: Extract<Exclude<ActionInput, { action: 'comment' }>, { action: A }>,
): ActionResult {
  const handler = ACTION_HANDLERS[input.action as A] as ActionFamily<A>[A];
  return handler(context, theCase, input);
}
