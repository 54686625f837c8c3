/** The stores' contract (store-contract.ts) on the DynamoDB stores, on DynamoDB Local (a fresh table per test); and what only they can meet: corrupt items. */
import { createServer } from 'node:net';
import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { keys } from '../../shared/adapters/dynamodb/table-design';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { CorruptRecord } from '../../shared/domain/errors';
import { storeContract } from './store-contract';

let dynamoDb: DynamoDbLocal;
let tables = 0;
let table = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort() });
}, 60_000);
afterAll(async () => {
  await dynamoDb?.stop();
});

async function freshStores() {
  table = `contract-${++tables}`;
  await ensureTable(dynamoDb.client, table);
  return createDynamoDbStores(dynamoDb.client, table);
}

storeContract(freshStores);

describe('records read back are checked', () => {
  test('a corrupt case, timeline entry or patrol is an error naming the item', async () => {
    const stores = await freshStores();
    const documents = DynamoDBDocumentClient.from(dynamoDb.client);
    await documents.send(new PutCommand({ TableName: table, Item: { ...keys.event('E1'), itemType: 'event', id: 'E1', version: 'one' } }));
    await expect(stores.cases.get('E1')).rejects.toThrow(new CorruptRecord('case EVENT#E1 / EVENT', 'itemCode is missing, not string'));
    await documents.send(new PutCommand({ TableName: table, Item: { ...keys.timeline('E1', 1), itemType: 'timeline', eventId: 'E1' } }));
    await expect(stores.cases.timeline('E1')).rejects.toBeInstanceOf(CorruptRecord);
    await documents.send(
      new PutCommand({ TableName: table, Item: { ...keys.counters('unit', '441302', '2026-11-23', 'reported', 0), reported: 'x' } }),
    );
    await expect(stores.counters.read({ kind: 'unit', code: '441302' }, '2026-11-23', '2026-11-23')).rejects.toBeInstanceOf(CorruptRecord);
  });
});
