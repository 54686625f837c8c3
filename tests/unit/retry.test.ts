/** The one retry helper: tries, waits and gives up as its policy says, and stops at once on an error it may not retry. */
import { withRetries, type RetryPolicy } from '../../shared/domain/retry';
import { SMS_SEND_RETRY } from '../../shared/core/deliver-sms';

const policy: RetryPolicy = { name: 'test', retries: 3, delayMs: (attempt) => 10 * (attempt + 1) };

function failing(times: number, error: Error = new Error('busy')) {
  let calls = 0;
  return {
    work: async () => {
      calls += 1;
      if (calls <= times) throw error;
      return `done after ${calls}`;
    },
    calls: () => calls,
  };
}

test('a failure within the retries is tried again after the policy’s waits', async () => {
  const waits: number[] = [];
  const flaky = failing(2);
  const result = await withRetries(
    policy,
    flaky.work,
    () => true,
    async (ms) => void waits.push(ms),
  );
  expect(result).toBe('done after 3');
  expect(waits).toEqual([10, 20]);
});

test('past its retries the last error is thrown', async () => {
  const waits: number[] = [];
  const always = failing(10, new Error('still busy'));
  await expect(
    withRetries(
      policy,
      always.work,
      () => true,
      async (ms) => void waits.push(ms),
    ),
  ).rejects.toThrow('still busy');
  expect(always.calls()).toBe(1 + policy.retries);
  expect(waits).toEqual([10, 20, 30]);
});

test('an error the caller may not retry is thrown at once', async () => {
  const fatal = failing(1, new Error('invalid'));
  await expect(
    withRetries(
      policy,
      fatal.work,
      (error) => (error as Error).message !== 'invalid',
      async () => {},
    ),
  ).rejects.toThrow('invalid');
  expect(fatal.calls()).toBe(1);
});

test('an SMS is tried three times in all, 200 ms and 1 s apart', () => {
  expect(SMS_SEND_RETRY.retries).toBe(2);
  expect([0, 1].map((attempt) => SMS_SEND_RETRY.delayMs(attempt))).toEqual([200, 1000]);
});
