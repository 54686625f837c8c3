/**
 * The table's stream as the SMS sender reads it: which records reach it, and what each asks of it — an intent to send,
 * or the intents a change owed (dynamodb-owed-sms.ts) to store, each of which then comes back as an intent to send.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SmsIntent } from '../../ports/sms-intents';
import { OWED_ITEM_TYPE, owedIntentsOf } from './dynamodb-owed-sms';
import { SMS_INTENT_SHAPE } from './dynamodb-sms-intents';
import { recordOf } from './records';
import { SMS_INTENT_PREFIX } from './table-design';

/**
 * Which stream records reach the SMS sender: the event source mapping's filter in the cloud (infra), and what
 * local mode's stream reader applies. Only the INSERT of an intent or of an owed item (their later updates are the
 * sender's own).
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

/** What one record asks of the sender, with the record's sequence number (a batch item failure names it). */
export type StreamedSms = { intent: SmsIntent; sequenceNumber: string } | { owed: SmsIntent[]; sequenceNumber: string };

/** What a batch of stream records inserted: intents to send, and owed items' intents to store. */
export function streamedSms(records: IntentStreamRecord[]): StreamedSms[] {
  return records.flatMap((record): StreamedSms[] => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image || !String(image.pk?.S ?? '').startsWith(SMS_INTENT_PREFIX)) return [];
    const item = unmarshall(image);
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    if (item.itemType === OWED_ITEM_TYPE) return [{ owed: owedIntentsOf(item), sequenceNumber }];
    const intent = recordOf<SmsIntent>({ id: item.id, message: item.message, createdAt: item.createdAt }, 'SMS intent', SMS_INTENT_SHAPE);
    return [{ intent, sequenceNumber }];
  });
}
