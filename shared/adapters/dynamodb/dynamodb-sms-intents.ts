/** SMS intents on the table (SMS#<id> / SMS): stored with a change or alone; the sender's attempts and outcome. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SendAttempt, SendOutcome, SmsIntent, SmsIntentStore } from '../../ports/sms-intents';
import { type RecordShape, recordOf } from './records';
import type { SingleTable, TransactItem } from './single-table';
import { keys, SMS_INTENT_PREFIX, TTL_ATTRIBUTE } from './table-design';

const SMS_INTENT_SHAPE: RecordShape = { id: 'string', message: 'object', createdAt: 'string' };

/** Intents are kept 30 days after they were made (what was sent, for the record), then expire. */
const KEEP_SECONDS = 30 * 24 * 3600;

/** An intent's Put, for a change's transaction or alone: never over an existing one (a retried write adds nothing). */
export function intentPut(tableName: string, intent: SmsIntent): TransactItem {
  return { Put: { TableName: tableName, Item: intentItem(intent), ConditionExpression: NOT_THERE } };
}

const NOT_THERE = 'attribute_not_exists(pk)';

function intentItem(intent: SmsIntent) {
  return {
    ...keys.smsIntent(intent.id),
    itemType: 'sms',
    ...intent,
    attempts: 0,
    [TTL_ATTRIBUTE]: Math.floor(Date.parse(intent.createdAt) / 1000) + KEEP_SECONDS,
  };
}

export class DynamoDbSmsIntentStore implements SmsIntentStore {
  constructor(private readonly table: SingleTable) {}

  async add(intents: SmsIntent[]): Promise<void> {
    for (const intent of intents) {
      // Already there: an earlier try of the same job stored it.
      await this.table.ifCondition(() => this.table.put({ Item: intentItem(intent), ConditionExpression: NOT_THERE }));
    }
  }

  async beginAttempt(id: string, at: Date): Promise<SendAttempt> {
    try {
      const { Attributes } = await this.table.update({
        Key: keys.smsIntent(id),
        UpdateExpression: 'SET attempts = attempts + :one, attemptedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sentAt) AND attribute_not_exists(failedAt)',
        ExpressionAttributeValues: { ':one': 1, ':at': at.toISOString() },
        ReturnValues: 'UPDATED_OLD',
      });
      return { settled: false, earlierAttempts: Number(Attributes?.attempts ?? 0) };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return { settled: true };
      throw error;
    }
  }

  async releaseAttempt(id: string): Promise<void> {
    await this.table.ifCondition(() =>
      this.table.update({
        Key: keys.smsIntent(id),
        UpdateExpression: 'SET attempts = attempts - :one',
        ConditionExpression: 'attempts > :zero AND attribute_not_exists(sentAt) AND attribute_not_exists(failedAt)',
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      }),
    );
  }

  async settle(id: string, outcome: SendOutcome, at: Date): Promise<boolean> {
    const recorded = outcome.sent
      ? { field: 'sentAt', values: { ':at': at.toISOString(), ':result': outcome.messageId }, result: 'messageId' }
      : { field: 'failedAt', values: { ':at': at.toISOString(), ':result': outcome.error }, result: 'error' };
    return this.table.ifCondition(() =>
      this.table.update({
        Key: keys.smsIntent(id),
        UpdateExpression: `SET ${recorded.field} = :at, #result = :result`,
        ConditionExpression: 'attribute_not_exists(sentAt) AND attribute_not_exists(failedAt)',
        // `error` is one of DynamoDB's reserved words.
        ExpressionAttributeNames: { '#result': recorded.result },
        ExpressionAttributeValues: recorded.values,
      }),
    );
  }
}

/**
 * Which stream records reach the SMS sender: the event source mapping's filter in the cloud (infra), and what
 * local mode's stream reader applies. Only the INSERT of an intent (its later updates are the sender's own).
 */
export const SMS_INTENT_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { pk: { S: [{ prefix: SMS_INTENT_PREFIX }] } } },
} as const;

/** A DynamoDB Streams record as Lambda (and local mode's stream reader) hands it over. */
export interface IntentStreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, AttributeValue>; SequenceNumber?: string };
}

/** The intents a batch of stream records inserted, each with the record's sequence number (a batch item failure names it). */
export function insertedIntents(records: IntentStreamRecord[]): { intent: SmsIntent; sequenceNumber: string }[] {
  return records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image || !String(image.pk?.S ?? '').startsWith(SMS_INTENT_PREFIX)) return [];
    const item = unmarshall(image);
    const intent = recordOf<SmsIntent>({ id: item.id, message: item.message, createdAt: item.createdAt }, 'SMS intent', SMS_INTENT_SHAPE);
    return [{ intent, sequenceNumber: record.dynamodb?.SequenceNumber ?? '' }];
  });
}
