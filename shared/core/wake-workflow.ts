/**
 * Waking a case's waiting workflow task with the next decision, after a change was stored that changes what the
 * case waits for or until when (an action, a deadline counted again).
 */
import type { Case } from '../domain/types';
import { withRetries, type RetryPolicy } from '../domain/retry';
import type { WaitingTask } from '../ports/cases';
import { type DecisionData, decide } from './decide';
import type { CoreDependencies } from './dependencies';

type WakingDeps = DecisionData & Pick<CoreDependencies, 'workflow' | 'cases' | 'logger'>;

/** A wake refused by Step Functions (throttled, unavailable) is tried again after 200 ms, 1 s and 3 s. */
export const WORKFLOW_WAKE_RETRY: RetryPolicy = {
  name: 'workflow-wake',
  retries: 3,
  delayMs: (attempt) => [200, 1000, 3000][attempt] ?? 3000,
};

/**
 * Wakes the case's waiting task with the next decision, retrying; only then does the token leave the case
 * (a conditional write: a newer wait's token is never removed). The action is applied whatever happens here,
 * so its reply stays a 2xx: a wake that still fails leaves the token on the case, and the execution picks the
 * change up when its wait times out (at the case's next checkpoint), as it does for a token already gone.
 */
export async function wakeWorkflow(deps: WakingDeps, theCase: Case, task: WaitingTask): Promise<void> {
  const decision = decide(deps, theCase, task.loops ?? 0);
  let woken: boolean;
  try {
    woken = await withRetries(WORKFLOW_WAKE_RETRY, () => deps.workflow.sendTaskSuccess(task.token, { ...decision }));
  } catch (error) {
    deps.logger.error('The waiting workflow could not be woken after retries; it picks the change up at its next check', {
      eventId: theCase.id,
      error: String(error),
    });
    return;
  }
  if (!woken) deps.logger.warn('The waiting task was gone; the workflow picks the change up at its next check', { eventId: theCase.id });
  await deps.cases.clearWaitingTask(theCase.id, task.token).catch((error) =>
    // The token is spent either way: an action that still finds it gets "gone" from Step Functions, harmlessly.
    deps.logger.warn('The spent task token stays on the case', { eventId: theCase.id, error: String(error) }),
  );
}
