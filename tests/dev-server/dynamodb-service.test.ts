/**
 * DynamoDB on the edge port: the SDK v3 client, pointed at the local gateway, reaches DynamoDB Local through
 * the forwarder — table calls, conditional transactions with their cancellation reasons, and the stores.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { AppDependencies } from '../../shared/http/api-handler';
import { tableStores } from '../../shared/composition/stores';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { dynamoDbService, type DynamoDbService } from '../../dev-server/edge/dynamodb-service';
import { startGateway } from '../../dev-server/gateway';
import { freePort } from '../../dev-server/local-platform';

const TABLE = 'edge-forwarder';
let dynamoDb: DynamoDbLocal;
let service: DynamoDbService;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  service = dynamoDbService({ endpoint: dynamoDb.endpoint });
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  gateway = await startGateway({ port: 0, deps: { logger: silent } as unknown as AppDependencies, awsServices: [service] });
  client = new DynamoDBClient({
    endpoint: gateway.url,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await ensureTable(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await gateway?.close();
  service?.close();
  await dynamoDb?.stop();
});

test('items written through the edge port are in DynamoDB Local', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'A' }, sk: { S: '1' }, text: { S: '金英街排水口' } } }));
  const direct = await dynamoDb.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'A' }, sk: { S: '1' } } }));
  expect(direct.Item?.text).toEqual({ S: '金英街排水口' });
  const back = await client.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'A' } } }),
  );
  expect(back.Items).toHaveLength(1);
});

test("DynamoDB Local's errors reach the SDK as they are: a cancelled transaction and its reasons", async () => {
  const put = { TableName: TABLE, Item: { pk: { S: 'B' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' };
  await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: put }] }));
  const failed = await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: put }] })).catch((error) => error);
  expect(failed).toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
  await expect(client.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
});

test('a large reply streams through whole (the SDK checks its CRC32)', async () => {
  const big = 'x'.repeat(300_000);
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'C' }, sk: { S: '1' }, big: { S: big } } }));
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'C' }, sk: { S: '1' } } }));
  expect(Item?.big?.S).toHaveLength(300_000);
});

test("GridFlow's stores work through it", async () => {
  const stores = tableStores(client, TABLE);
  expect(await stores.cases.get('E20261124-NOSUCH')).toBeUndefined();
});

test('with its journal still opening (the replay under way), a request waits for it and reads what the replay wrote', async () => {
  let opened!: (journal: undefined) => void;
  const replaying = dynamoDbService({ endpoint: dynamoDb.endpoint, journal: new Promise((resolve) => (opened = resolve)) });
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  let arrived!: () => void;
  const reachedForwarder = new Promise<void>((resolve) => (arrived = resolve));
  const seen = {
    ...replaying,
    handle: (request: Parameters<DynamoDbService['handle']>[0]) => {
      arrived();
      return replaying.handle(request);
    },
  };
  const edge = await startGateway({ port: 0, deps: { logger: silent } as unknown as AppDependencies, awsServices: [seen] });
  const early = new DynamoDBClient({
    endpoint: edge.url,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const read = early.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'R' }, sk: { S: '1' } } }));
    // The read is in; the replay writes an acknowledged item DynamoDB Local had lost, then the journal is open.
    await reachedForwarder;
    // One round trip to DynamoDB Local: a read forwarded at once would have been answered by now.
    await dynamoDb.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'A' }, sk: { S: '1' } } }));
    await dynamoDb.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'R' }, sk: { S: '1' }, replayed: { BOOL: true } } }),
    );
    opened(undefined);
    expect((await read).Item?.replayed).toEqual({ BOOL: true });
  } finally {
    early.destroy();
    await edge.close();
    replaying.close();
  }
});
