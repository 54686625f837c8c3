/**
 * How a change's SMS share its transaction (dynamodb-owed-sms.ts): all of them with their case entries when they fit,
 * else as many as fit and the rest packed into owed items — within DynamoDB's limits (100 items and 4 MB a
 * transaction, 400 KB an item) for a feedback to the most linked reporters a case takes, every parameter at its longest.
 */
import { OWED_ITEM_TYPE, withIntentsThatFit } from '../../shared/adapters/dynamodb/dynamodb-owed-sms';
import { MAX_TRANSACTION_ITEMS, type TransactItem } from '../../shared/adapters/dynamodb/single-table';
import { MAX_LINKED_REPORTS } from '../../shared/core/actions/intake';
import { MAX_PARAM_CHARS, renderMessage } from '../../shared/domain/messages';
import type { SmsIntent } from '../../shared/ports/sms-intents';

const CASE = 'E20261123-7K3M9Q';
const longest = '积'.repeat(MAX_PARAM_CHARS);

/** The feedback to `count` reporters, as the lifecycle's feedback step makes it, every parameter at its longest. */
function feedback(count: number): SmsIntent[] {
  const params = {
    eventId: CASE,
    item: longest,
    itemEn: 'w'.repeat(MAX_PARAM_CHARS),
    place: longest,
    deadline: '2026-11-24 18:00',
    assignee: longest,
    level: '四',
    result: longest,
    ratingCode: '123456',
  };
  return Array.from({ length: count }, (_, index) => ({
    id: `${CASE}.9.${index + 1}`,
    createdAt: '2026-11-23T10:00:00+08:00',
    message: {
      to: `139${String(index).padStart(8, '0')}`,
      recipientRole: 'reporters',
      eventId: CASE,
      ...renderMessage('feedback_to_reporter', params),
    },
  }));
}

/** What else a feedback's transaction holds: the case, its timeline entry, its counters (a dozen). */
const changeItems = (): TransactItem[] =>
  Array.from({ length: 12 }, (_, index) => ({ Put: { TableName: 'gridflow', Item: { pk: `OTHER#${index}`, sk: 'X', note: longest } } }));

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const intentIdsIn = (items: TransactItem[]) =>
  items.flatMap((item) => (item.Put?.Item?.itemType === 'sms' ? [String(item.Put.Item.id)] : []));
const owedIn = (items: TransactItem[]) => items.filter((item) => item.Put?.Item?.itemType === OWED_ITEM_TYPE);

test('SMS that fit go in whole, each with its case entry; nothing is owed', () => {
  const items = changeItems();
  const intents = feedback(3);
  expect(withIntentsThatFit('gridflow', items, intents)).toEqual([]);
  expect(intentIdsIn(items)).toEqual(intents.map((intent) => intent.id));
  expect(items.filter((item) => item.Put?.Item?.itemType === 'case_sms')).toHaveLength(3);
});

test.each([60, 151, MAX_LINKED_REPORTS + 1])(
  '%i SMS: as many as fit with their entries, the rest owed, packed; within the limits',
  (count) => {
    const items = changeItems();
    const intents = feedback(count);
    const owed = withIntentsThatFit('gridflow', items, intents);
    expect(items.length).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    const direct = intentIdsIn(items);
    // Every SMS once, in order: those in the transaction first, then those owed, as the owed items carry them.
    expect([...direct, ...owed.map((intent) => intent.id)]).toEqual(intents.map((intent) => intent.id));
    expect(owedIn(items).flatMap((item) => ((item.Put?.Item?.intents ?? []) as SmsIntent[]).map((intent) => intent.id))).toEqual(
      owed.map((intent) => intent.id),
    );
    expect(items.filter((item) => item.Put?.Item?.itemType === 'case_sms')).toHaveLength(direct.length);
    // JSON's size: more than DynamoDB counts for the same item.
    for (const item of owedIn(items)) expect(bytes(item.Put?.Item)).toBeLessThan(400 * 1024);
    expect(bytes(items)).toBeLessThan(4 * 1024 * 1024);
    console.log(
      `${count} SMS: ${items.length} items (${direct.length} intents with their entries, ${owedIn(items).length} owed items of ${owed.length}), ${Math.round(bytes(items) / 1024)} KiB`,
    );
  },
);
