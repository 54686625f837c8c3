/** EventBridge Scheduler's target: `{ "job": "daily-reports" }` runs that job now (shared/domain/schedule.ts says when). */
import { runJob } from '../shared/core/jobs';
import type { CoreDependencies } from '../shared/core/dependencies';
import { ScheduledJobInput } from '../shared/schemas/jobs';
import { makeBackgroundHandler } from '../shared/composition/make-handler';

export const work = async (payload: unknown, deps: CoreDependencies) =>
  runJob(deps, ScheduledJobInput.parse(payload).job, deps.clock.now());

export const handler = makeBackgroundHandler(work);
