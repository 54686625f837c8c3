/** The one retry policy (TRANSACTION_CONFLICT_RETRY) and the one conditional check of the single-table helper, against a mocked client. */
import { jest } from '@jest/globals';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_TRANSACTION_ITEMS, SingleTable, TRANSACTION_CONFLICT_RETRY } from '../../shared/adapters/dynamodb/single-table';

const documents = mockClient(DynamoDBDocumentClient);
const table = new SingleTable(new DynamoDBClient({ region: 'ap-east-1' }), 'gridflow');
const item = { Put: { TableName: 'gridflow', Item: { pk: 'a', sk: 'b' } } };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => {
  documents.reset();
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => jest.restoreAllMocks());

test('the policy: a dozen retries, full jitter on 10 ms doubling, never over 400 ms', () => {
  jest.restoreAllMocks();
  expect(TRANSACTION_CONFLICT_RETRY.retries).toBe(12);
  for (let attempt = 0; attempt < 20; attempt++) {
    const delay = TRANSACTION_CONFLICT_RETRY.delayMs(attempt);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(Math.min(400, 10 * 2 ** attempt));
  }
});

test('a cancellation by conflicts only is retried until it commits', async () => {
  documents
    .on(TransactWriteCommand)
    .rejectsOnce(cancelled('TransactionConflict'))
    .rejectsOnce(cancelled('None', 'TransactionConflict'))
    .resolves({});
  await table.transact([item, item]);
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(3);
});

test('after the last retry the conflict is thrown', async () => {
  documents.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
  await expect(table.transact([item])).rejects.toThrow('cancelled');
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1 + TRANSACTION_CONFLICT_RETRY.retries);
});

test('any other cancellation is not retried; onCancelled sees the reasons first and may say what they mean', async () => {
  documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
  await expect(table.transact([item, item])).rejects.toThrow('cancelled');
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  await expect(
    table.transact([item, item], (reasons) => {
      if (reasons[0].Code === 'ConditionalCheckFailed') throw new Error('taken');
    }),
  ).rejects.toThrow('taken');
  await expect(table.transact(Array.from({ length: MAX_TRANSACTION_ITEMS + 1 }, () => item))).rejects.toThrow('over DynamoDB');
});

test('a failed condition of a single write is false, anything else thrown', async () => {
  const failed = Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
  documents.on(PutCommand).rejectsOnce(failed).rejectsOnce(new Error('throttled')).resolves({});
  const put = () => table.put({ Item: { pk: 'a', sk: 'b' }, ConditionExpression: 'attribute_not_exists(pk)' });
  expect(await table.ifCondition(put)).toBe(false);
  await expect(table.ifCondition(put)).rejects.toThrow('throttled');
  expect(await table.ifCondition(put)).toBe(true);
});
