/**
 * A change's SMS that its transaction has no room for. DynamoDB takes at most 100 items a transaction, and a feedback
 * to every linked reporter of a flooded street's case is one SMS (plus its case entry) a reporter. The SMS must commit
 * with the change (its commit is the promise that they go out), so those that do not fit commit packed into a few
 * "owed" items (`SMS#<first intent id>` / `OWED`, in the same transaction), and are stored each as its own intent once
 * the change has committed: at once by the writer, and by the SMS sender when the table's stream hands it the owed
 * item's INSERT (the writer may have stopped in between). Each intent is put on the condition that it is not there,
 * so whichever comes second adds nothing, and each intent's own INSERT sends it once.
 */
import type { SmsIntent } from '../../ports/sms-intents';
import { recordOf } from './records';
import { MAX_TRANSACTION_ITEMS, type TransactItem } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';
import { caseEntryPuts, intentExpiry, intentPut, SMS_INTENT_SHAPE } from './dynamodb-sms-intents';

/** What an owed item is (an intent is `sms`). */
export const OWED_ITEM_TYPE = 'sms_owed';

/**
 * How much of an item the intents it carries may take: DynamoDB's items stop at 400 KB; a feedback intent is about
 * 1 KB, so an owed item carries a few hundred. (A transaction stops at 4 MB in all: see MAX_LINKED_REPORTS.)
 */
const OWED_ITEM_MAX_BYTES = 300_000;

/**
 * Fills the transaction's room with the intents (each with its case entries, so the case's record of them commits
 * too) and packs the rest into owed items in it; returns the intents owed, to store once it has committed (storeIntents).
 */
export function withIntentsThatFit(tableName: string, items: TransactItem[], intents: SmsIntent[]): SmsIntent[] {
  const writes = intents.map((intent) => [intentPut(tableName, intent), ...caseEntryPuts(tableName, intent)]);
  const room = MAX_TRANSACTION_ITEMS - items.length;
  if (intents.length === 0 || writes.flat().length <= room) {
    items.push(...writes.flat());
    return [];
  }
  // The most intents that fit with their entries, leaving room for the owed items the rest needs (each carries hundreds).
  const counts = writes.map((each) => each.length);
  let direct = 0;
  let used = 0;
  while (used + (counts[direct] ?? room) < room) used += counts[direct++] ?? 0;
  for (; direct >= 0; direct--) {
    const owed = owedPuts(tableName, intents.slice(direct));
    if (used + owed.length <= room) {
      items.push(...writes.slice(0, direct).flat(), ...owed);
      return intents.slice(direct);
    }
    used -= counts[direct - 1] ?? 0;
  }
  throw new Error(`A change's ${intents.length} SMS do not fit in one transaction, even packed`);
}

/** The owed items' Puts: the intents in order, as many to an item as its size allows; never over an existing one. */
function owedPuts(tableName: string, intents: SmsIntent[]): TransactItem[] {
  const packs: SmsIntent[][] = [];
  let bytes = 0;
  for (const intent of intents) {
    const size = Buffer.byteLength(JSON.stringify(intent));
    const pack = packs.at(-1);
    if (pack && bytes + size <= OWED_ITEM_MAX_BYTES) {
      pack.push(intent);
      bytes += size;
    } else {
      packs.push([intent]);
      bytes = size;
    }
  }
  return packs.map((pack) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.owedSms(pack[0]?.id ?? ''),
        itemType: OWED_ITEM_TYPE,
        intents: pack,
        // Kept as long as the intents it carries.
        [TTL_ATTRIBUTE]: Math.max(...pack.map(intentExpiry)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
}

/** The intents an owed item carries (its stream record's image, unmarshalled). */
export function owedIntentsOf(item: Record<string, unknown>): SmsIntent[] {
  const intents = Array.isArray(item.intents) ? item.intents : [];
  return intents.map((intent) => recordOf<SmsIntent>(intent as Record<string, unknown>, 'owed SMS intent', SMS_INTENT_SHAPE));
}
