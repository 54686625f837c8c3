/** The lifecycle state machine's steps (register, route, await, advance, feedback, archive): parse, run, reply. */
import { runWorkflowStep } from '../shared/core/workflow-steps';
import type { CoreDependencies } from '../shared/core/dependencies';
import { WorkflowStepInput } from '../shared/schemas/workflow-step';
import { makeBackgroundHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const work = async (payload: unknown, deps: CoreDependencies) => runWorkflowStep(deps, WorkflowStepInput.parse(payload));

export const handler = makeBackgroundHandler(work);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Each step reads and changes the case; an
 * await step answers its own task when the case moved on before the token was stored; "Continue in a new
 * execution" and archiving after a reopen start the next execution; a step's SMS are stored with its change. Each Task of
 * the definition allows 60 s; a few transactions fit well inside 30 s.
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  stateMachine: ['StartExecution', 'SendTaskSuccess'],
  timeoutSeconds: 30,
};
