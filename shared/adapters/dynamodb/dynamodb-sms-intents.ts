/** SMS intents on the table (SMS#<id> / SMS): stored with a change or alone; the sender's attempts and outcome. */
import { casesOfMessage, maskPhone } from '../../domain/messages';
import type { CaseMessage, SendAttempt, SendOutcome, SmsIntent, SmsIntentStore } from '../../ports/sms-intents';
import { type RecordShape, recordOf } from './records';
import { cancellationReasons, conditionFailed, MAX_TRANSACTION_ITEMS, type SingleTable, type TransactItem } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';

export const SMS_INTENT_SHAPE: RecordShape = { id: 'string', message: 'object', createdAt: 'string' };

/** Intents are kept 30 days after they were made (what was sent, for the record), then expire. */
const KEEP_SECONDS = 30 * 24 * 3600;

/** An intent's Put, never over an existing one (a retried write adds nothing): for a change's transaction, or one of its own. */
export function intentPut(tableName: string, intent: SmsIntent): TransactItem {
  return { Put: { TableName: tableName, Item: intentItem(intent), ConditionExpression: NOT_THERE } };
}

/** The entry of each case the intent is about in that case's collection (casesOfMessage): plain Puts, idempotent. */
export function caseEntryPuts(tableName: string, intent: SmsIntent): TransactItem[] {
  return casesOfMessage(intent.message).map((eventId) => ({ Put: { TableName: tableName, Item: caseEntry(eventId, intent) } }));
}

/**
 * Fills a transaction's room with `entries` (the case entries of an intent stored alone) and returns those left over,
 * to be put once it has committed: a reminder digest may name more cases than a transaction holds. (A change's SMS
 * commit with their entries, or owed: dynamodb-owed-sms.ts.)
 */
function withEntriesThatFit(items: TransactItem[], entries: TransactItem[]): TransactItem[] {
  const room = Math.max(0, MAX_TRANSACTION_ITEMS - items.length);
  items.push(...entries.slice(0, room));
  return entries.slice(room);
}

/** Puts the case entries left out of a committed transaction (withEntriesThatFit). */
async function putLeftEntries(table: SingleTable, entries: TransactItem[]): Promise<void> {
  for (const entry of entries) await table.put({ Item: entry.Put?.Item ?? {} });
}

/** What the case keeps of an SMS about it: no text, no number but the masked one, no other case's id (only how many). */
function caseEntry(eventId: string, intent: SmsIntent) {
  const { message } = intent;
  const others = casesOfMessage(intent.message).filter((id) => id !== eventId).length;
  return {
    ...keys.caseMessage(eventId, intent.id),
    itemType: 'case_sms',
    intentId: intent.id,
    template: message.template,
    recipientRole: message.recipientRole,
    recipient: maskPhone(message.to),
    createdAt: intent.createdAt,
    ...(others ? { alsoForCount: others } : {}),
  };
}

const NOT_THERE = 'attribute_not_exists(pk)';

function intentItem(intent: SmsIntent) {
  return {
    ...keys.smsIntent(intent.id),
    itemType: 'sms',
    ...intent,
    attempts: 0,
    [TTL_ATTRIBUTE]: intentExpiry(intent),
  };
}

/** When the table lets an intent go (epoch seconds). */
export function intentExpiry(intent: SmsIntent): number {
  return Math.floor(Date.parse(intent.createdAt) / 1000) + KEEP_SECONDS;
}

/** How many intents are stored at once (each its own small transaction). */
const STORED_AT_ONCE = 8;

/**
 * Stores intents outside a change, each in a transaction of its own with its case entries (what does not fit, after
 * it): an intent already there — an earlier try stored it, with its first entries — is left as it is.
 */
export async function storeIntents(table: SingleTable, intents: SmsIntent[]): Promise<void> {
  for (let start = 0; start < intents.length; start += STORED_AT_ONCE)
    await Promise.all(intents.slice(start, start + STORED_AT_ONCE).map((intent) => storeIntent(table, intent)));
}

async function storeIntent(table: SingleTable, intent: SmsIntent): Promise<void> {
  const items = [intentPut(table.name, intent)];
  // A digest of more cases than a transaction holds: the rest of its case entries after it.
  const left = withEntriesThatFit(items, caseEntryPuts(table.name, intent));
  try {
    await table.transact(items);
  } catch (error) {
    if (conditionFailed(cancellationReasons(error)?.[0])) return;
    throw error;
  }
  await putLeftEntries(table, left);
}

export class DynamoDbSmsIntentStore implements SmsIntentStore {
  constructor(private readonly table: SingleTable) {}

  async add(intents: SmsIntent[]): Promise<void> {
    await storeIntents(this.table, intents);
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
    const held = !outcome.sent && outcome.held ? ', held = :held' : '';
    return this.table.ifCondition(() =>
      this.table.update({
        Key: keys.smsIntent(id),
        UpdateExpression: `SET ${recorded.field} = :at, #result = :result${held}`,
        ConditionExpression: 'attribute_not_exists(sentAt) AND attribute_not_exists(failedAt)',
        // `error` is one of DynamoDB's reserved words.
        ExpressionAttributeNames: { '#result': recorded.result },
        ExpressionAttributeValues: held ? { ...recorded.values, ':held': true } : recorded.values,
      }),
    );
  }

  async ofCase(eventId: string): Promise<CaseMessage[]> {
    const { pk } = keys.event(eventId);
    const entries = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sms)',
      ExpressionAttributeValues: { ':pk': pk, ':sms': keys.caseMessagePrefix },
    });
    const messages: CaseMessage[] = [];
    // The outcomes, a few GetItems at a time (a case causes tens of SMS, not thousands).
    for (let start = 0; start < entries.length; start += OUTCOME_READS) {
      const batch = entries.slice(start, start + OUTCOME_READS);
      const intents = await Promise.all(batch.map((entry) => this.table.get(keys.smsIntent(String(entry.intentId)))));
      messages.push(...batch.map((entry, index) => caseMessageOf(entry, intents[index])));
    }
    return messages.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.intentId.localeCompare(b.intentId));
  }
}

/** How many intents a case's list reads at once. */
const OUTCOME_READS = 10;

const CASE_ENTRY_SHAPE: RecordShape = {
  intentId: 'string',
  template: 'string',
  recipientRole: 'string',
  recipient: 'string',
  createdAt: 'string',
};

/** How many other cases an entry's SMS covered; an entry written before counts were kept holds their ids: counted. */
function alsoForCountOf(entry: Record<string, unknown>): { alsoForCount?: number } {
  const count = Array.isArray(entry.alsoFor) ? entry.alsoFor.length : Number(entry.alsoForCount ?? 0);
  return count > 0 ? { alsoForCount: count } : {};
}

function caseMessageOf(entry: Record<string, unknown>, intent: Record<string, unknown> | undefined): CaseMessage {
  const kept = recordOf<Omit<CaseMessage, 'status'>>(entry, 'case SMS entry', CASE_ENTRY_SHAPE);
  const base: CaseMessage = {
    intentId: kept.intentId,
    template: kept.template,
    recipientRole: kept.recipientRole,
    recipient: kept.recipient,
    createdAt: kept.createdAt,
    ...alsoForCountOf(entry),
    status: 'expired',
  };
  if (!intent) return base;
  if (typeof intent.sentAt === 'string') return { ...base, status: 'sent', settledAt: intent.sentAt };
  if (typeof intent.failedAt === 'string')
    return { ...base, status: intent.held === true ? 'held' : 'failed', settledAt: intent.failedAt, error: String(intent.error ?? '') };
  return { ...base, status: 'pending' };
}
