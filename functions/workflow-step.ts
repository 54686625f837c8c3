/** The lifecycle state machine's steps (register, route, await, advance, feedback, archive): parse, run, reply. */
import * as z from 'zod';
import { WAITS } from '../shared/core/decide';
import { runWorkflowStep } from '../shared/core/workflow-steps';
import type { CoreDependencies } from '../shared/core/dependencies';
import { EVENT_ID } from '../shared/schemas/events';
import { makeBackgroundHandler } from '../shared/composition/make-handler';

const loops = z.number().int().min(0).default(0);
const StepInput = z.discriminatedUnion('step', [
  z.object({ step: z.enum(['register', 'route', 'advance', 'feedback', 'archive', 'continue']), eventId: EVENT_ID, loops }),
  z.object({
    step: z.literal('await'),
    eventId: EVENT_ID,
    waitingFor: z.enum(WAITS),
    taskToken: z.string().min(1),
    loops,
    version: z.number().int().min(0).default(0),
  }),
]);

export const work = async (payload: unknown, deps: CoreDependencies) => runWorkflowStep(deps, StepInput.parse(payload));

export const handler = makeBackgroundHandler(work);
