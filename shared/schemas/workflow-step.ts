/** What the lifecycle state machine passes to the workflow-step function, read against the lifecycle contract (shared/domain/lifecycle.ts). */
import * as z from 'zod';
import { DECIDING_STEPS, WAITS, type StepInput } from '../domain/lifecycle';
import { EVENT_ID } from './events';

const loops = z.number().int().min(0).default(0);

export const WorkflowStepInput = z.discriminatedUnion('step', [
  // The execution's own name (continuing steps: the next generation follows from it, so a retried step starts the same one).
  z.object({ step: z.enum(DECIDING_STEPS), eventId: EVENT_ID, loops, execution: z.string().min(1).optional() }),
  z.object({
    step: z.literal('await'),
    eventId: EVENT_ID,
    waitingFor: z.enum(WAITS),
    taskToken: z.string().min(1),
    loops,
    version: z.number().int().min(0).default(0),
  }),
]) satisfies z.ZodType<StepInput>;
