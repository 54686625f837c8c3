/**
 * Scheduled every few minutes: starts any lifecycle that did not start when its case was stored (or whose
 * execution closed while the case is open: under a fresh name), sends the reminders and digests due, counts again
 * the deadlines counted on a plain week, and logs the operator warnings an alarm watches.
 */
import { sweep } from '../shared/core/sweep';
import type { CoreDependencies } from '../shared/core/dependencies';
import { makeBackgroundHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const work = (_payload: unknown, deps: CoreDependencies) => sweep(deps);

export const handler = makeBackgroundHandler(work);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the unstarted index, asks Step
 * Functions about each case's execution (DescribeExecution) and starts the lifecycles that never started or that
 * closed (recording the new generation on the case, one transaction); takes the due reminder digests from the table
 * and stores each as an SMS for the SMS sender; counts again the deadlines counted on a plain week once their year's
 * calendar is in effect (the byPlainWeek list; the case's waiting task is woken to wait for the new deadline:
 * SendTaskSuccess). A minute pages through a district; no retry: the next run, five
 * minutes later, does the same
 * work.
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
  indexes: ['byUnstarted', 'byDue', 'byPlainWeek'],
  stateMachine: ['StartExecution', 'DescribeExecution', 'SendTaskSuccess'],
  timeoutSeconds: 60,
  retryAttempts: 0,
};
