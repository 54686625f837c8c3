/** EventBridge Scheduler's target: `{ "job": "daily-reports" }` runs that job now (shared/domain/schedule.ts says when). */
import * as z from 'zod';
import { runJob } from '../shared/core/jobs';
import { JOB_NAMES } from '../shared/domain/schedule';
import { getDependencies } from '../shared/runtime';

const JobInput = z.object({ job: z.enum(JOB_NAMES) });

export const handler = async (payload: unknown) => {
  const deps = await getDependencies();
  return runJob(deps, JobInput.parse(payload).job, deps.clock.now());
};
