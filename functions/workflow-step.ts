/** The lifecycle state machine's steps (register, route, await, advance, feedback, archive): parse, run, reply. */
import { z } from 'zod';
import { runWorkflowStep } from '../shared/core/workflow-steps';
import { getDependencies } from '../shared/runtime';
import { EVENT_ID } from '../shared/schemas/events';

const StepInput = z.discriminatedUnion('step', [
  z.object({ step: z.enum(['register', 'route', 'advance', 'feedback', 'archive']), eventId: EVENT_ID }),
  z.object({ step: z.literal('await'), eventId: EVENT_ID, waitingFor: z.enum(['acceptance', 'handling']), taskToken: z.string().min(1) }),
]);

export const handler = async (payload: unknown) => runWorkflowStep(await getDependencies(), StepInput.parse(payload));
