/** What EventBridge Scheduler passes to the scheduled-jobs function: the job to run now. */
import * as z from 'zod';
import { JOB_NAMES } from '../domain/schedule';

export const ScheduledJobInput = z.object({ job: z.enum(JOB_NAMES) });
