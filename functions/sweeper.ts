/**
 * Scheduled every few minutes: starts any lifecycle that did not start when its event was stored, and
 * sends the reminder digests whose window has ended.
 */
import { sweep } from '../shared/core/sweep';
import type { CoreDependencies } from '../shared/core/dependencies';
import { makeBackgroundHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const work = (_payload: unknown, deps: CoreDependencies) => sweep(deps);

export const handler = makeBackgroundHandler(work);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the unstarted index and starts the
 * lifecycles that never started; takes the due reminder digests from the table and texts them (recording failed
 * SMS on the case). A minute pages through a district; no retry: the next run, five minutes later, does the same
 * work.
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem'],
  indexes: ['byUnstarted'],
  stateMachine: ['StartExecution'],
  sms: true,
  timeoutSeconds: 60,
  retryAttempts: 0,
};
