/** The lifecycle state machine's steps (register, route, await, advance, feedback, archive): parse, run, reply. */
import { runWorkflowStep } from '../shared/core/workflow-steps';
import type { CoreDependencies } from '../shared/core/dependencies';
import { WorkflowStepInput } from '../shared/schemas/workflow-step';
import { makeBackgroundHandler } from '../shared/composition/make-handler';

export const work = async (payload: unknown, deps: CoreDependencies) => runWorkflowStep(deps, WorkflowStepInput.parse(payload));

export const handler = makeBackgroundHandler(work);
