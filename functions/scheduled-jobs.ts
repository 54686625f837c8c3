/** EventBridge Scheduler's target: `{ "job": "daily-reports" }` runs that job now (shared/domain/schedule.ts says when). */
import * as z from 'zod';
import { runJob } from '../shared/core/jobs';
import type { CoreDependencies } from '../shared/core/dependencies';
import { JOB_NAMES } from '../shared/domain/schedule';
import { makeBackgroundHandler } from '../shared/composition/make-handler';

const JobInput = z.object({ job: z.enum(JOB_NAMES) });

export const work = async (payload: unknown, deps: CoreDependencies) => runJob(deps, JobInput.parse(payload).job, deps.clock.now());

export const handler = makeBackgroundHandler(work);
