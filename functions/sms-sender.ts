/**
 * The SMS sender: fed by the table's stream with the SMS intents a change stored (filtered to their INSERTs),
 * it sends each once (shared/core/deliver-sms.ts). A record whose delivery threw (the table unreachable) is
 * reported as a batch item failure: Lambda retries from it, bisecting, then hands it to the on-failure queue.
 */
import { deliverIntent } from '../shared/core/deliver-sms';
import type { CoreDependencies } from '../shared/core/dependencies';
import { type IntentStreamRecord, insertedIntents } from '../shared/adapters/dynamodb/dynamodb-sms-intents';
import { makeBackgroundHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export interface SmsSenderResult {
  batchItemFailures: { itemIdentifier: string }[];
}

export const work = async (payload: unknown, deps: CoreDependencies): Promise<SmsSenderResult> => {
  const records = (payload as { Records?: IntentStreamRecord[] } | undefined)?.Records ?? [];
  for (const { intent, sequenceNumber } of insertedIntents(records)) {
    try {
      await deliverIntent(deps, intent);
    } catch (error) {
      deps.logger.error('SMS intent not delivered: retried from here', { intentId: intent.id, error: String(error) });
      // Lambda retries the batch from the first failure: the records after it are not tried now.
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};

export const handler = makeBackgroundHandler(work);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. It counts an attempt on each intent and
 * records its outcome, texts the phone number, and records a final failure on the case's timeline (a change of
 * the case: its item, timeline entry and counters). The stream is read by Lambda's event source mapping.
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'PutItem', 'UpdateItem'],
  sms: true,
  timeoutSeconds: 60,
};
