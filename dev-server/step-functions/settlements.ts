/** A waiting task's answer as the store keeps it (plain JSON) and as the library needs it (its own error classes). */
import type { Settlement } from './execution-record';
import type { StoredSettlement } from './execution-store';
import { statesTimeoutError } from './library-runtime';
import { TaskFailure } from './task-outcomes';

/** A stored settlement as the library needs it (the timeout as the library's own class). */
export async function settlementOf(stored: StoredSettlement): Promise<Settlement> {
  if ('output' in stored) return { output: stored.output };
  if (stored.timeout) return { error: (await statesTimeoutError())() };
  return { error: new TaskFailure(stored.error, stored.cause) };
}

export function storedSettlement(settlement: Settlement): StoredSettlement {
  if (!settlement.error) return { output: settlement.output ?? null };
  const error = settlement.error;
  return { error: error.name, cause: error.message, ...(error.name === 'States.Timeout' && { timeout: true }) };
}
