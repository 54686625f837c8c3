/**
 * The one retry helper: every "try again" in GridFlow (a DynamoDB transaction cancelled by a conflict, an SMS
 * the provider refused) runs through `withRetries` under a named policy, so how often and how long is
 * stated once per cause and tested in one place.
 */
export interface RetryPolicy {
  /** Names the cause in logs and tests, e.g. `transaction-conflict`. */
  readonly name: string;
  /** Tries after the first. */
  readonly retries: number;
  /** The wait before try `attempt + 1` (attempt 0 is the first failure). */
  delayMs(attempt: number): number;
}

/**
 * Runs `work`; while it throws an error `retryable` accepts and the policy has tries left, waits and tries
 * again. The last error is thrown as is. `onFailure` sees every error first (it may throw what it means).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  work: () => Promise<T>,
  retryable: (error: unknown) => boolean = () => true,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= policy.retries || !retryable(error)) throw error;
      await sleep(policy.delayMs(attempt));
    }
  }
}
