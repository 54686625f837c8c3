/**
 * The SMS sender: fed by the table's stream with the SMS intents a change stored (filtered to their INSERTs),
 * it sends each once (shared/core/deliver-sms.ts); the SMS a change owed (its transaction had no room for them) it
 * stores, each then coming back on the stream as an intent to send. A record whose delivery threw (the table unreachable) is
 * reported as a batch item failure: Lambda retries from it, bisecting, then hands it to the on-failure queue.
 */
import { deliverIntent, storeOwedIntents } from '../shared/core/deliver-sms';
import type { CoreDependencies } from '../shared/core/dependencies';
import { type IntentStreamRecord, streamedSms } from '../shared/adapters/dynamodb/dynamodb-sms-stream';
import { makeBackgroundHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export interface SmsSenderResult {
  batchItemFailures: { itemIdentifier: string }[];
}

export const work = async (payload: unknown, deps: CoreDependencies): Promise<SmsSenderResult> => {
  const records = (payload as { Records?: IntentStreamRecord[] } | undefined)?.Records ?? [];
  for (const streamed of streamedSms(records)) {
    const { sequenceNumber } = streamed;
    try {
      if ('owed' in streamed) await storeOwedIntents(deps, streamed.owed);
      else await deliverIntent(deps, streamed.intent);
    } catch (error) {
      const intentId = 'owed' in streamed ? streamed.owed[0]?.id : streamed.intent.id;
      deps.logger.error('SMS intent not delivered: retried from here', { intentId, error: String(error) });
      // Lambda retries the batch from the first failure: the records after it are not tried now.
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};

export const handler = makeBackgroundHandler(work);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. It stores the intents a change owed (each
 * with its case entry, one transaction of Puts), counts an attempt on each intent and records its outcome, texts the phone number, and records a final failure on the case's timeline (a change of
 * the case: its item, timeline entry and counters). The stream is read by Lambda's event source mapping.
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'PutItem', 'UpdateItem'],
  sms: true,
  timeoutSeconds: 60,
};
