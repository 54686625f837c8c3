/** EventBridge Scheduler's target: `{ "job": "daily-reports" }` runs that job now (shared/domain/schedule.ts says when). */
import { runJob } from '../shared/core/jobs';
import type { CoreDependencies } from '../shared/core/dependencies';
import { ScheduledJobInput } from '../shared/schemas/jobs';
import { makeBackgroundHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const work = async (payload: unknown, deps: CoreDependencies) =>
  runJob(deps, ScheduledJobInput.parse(payload).job, deps.clock.now());

export const handler = makeBackgroundHandler(work);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Publishes reports (reads the counters
 * and the unit index, stores the report, stores the heads' SMS), checks patrols, reminds campaigns, folds finished
 * days' counters (puts the folded item and deletes the items it holds, in one transaction). Five minutes for a
 * district's reports; a failed run is not retried by Lambda (the scheduler has its own retries).
 */
export const needs: LambdaNeeds = {
  table: ['Query', 'PutItem', 'DeleteItem'],
  indexes: ['byUnit', 'byOverdue'],
  timeoutSeconds: 300,
  retryAttempts: 0,
};
