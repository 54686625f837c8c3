/**
 * The journal on the edge port's DynamoDB forwarder (issue 12, item 1): DynamoDB Local acknowledges a
 * transaction and, killed a moment later, can lose it (../shared/local-engines.md). Every transaction is
 * journaled and fsynced before it is forwarded, and a new start writes again what DynamoDB Local does not
 * hold — each transaction carries a condition that fails once it has been applied, so nothing is applied twice.
 * The loss is made here by undoing a transaction's items straight in DynamoDB Local, behind the forwarder.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { AppDependencies } from '../../shared/http/api-handler';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { dynamoDbService, type DynamoDbService } from '../../dev-server/edge/dynamodb-service';
import { openDynamoDbJournal, type DynamoDbJournal } from '../../dev-server/edge/dynamodb-journal';
import { startGateway } from '../../dev-server/gateway';
import { freePort } from '../../dev-server/local-platform';

const TABLE = 'journaled';
let dynamoDb: DynamoDbLocal;
let journalDir: string;
let edge: { journal: DynamoDbJournal; service: DynamoDbService; gateway: Awaited<ReturnType<typeof startGateway>>; client: DynamoDBClient };
let logged: string[];

/** The forwarder with its journal, as a platform's start opens it: the journal replays before anything is served. */
async function openEdge() {
  logged = [];
  const journal = await openDynamoDbJournal({ dir: journalDir, endpoint: dynamoDb.endpoint, log: (line) => logged.push(line) });
  const service = dynamoDbService({ endpoint: dynamoDb.endpoint, journal });
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const gateway = await startGateway({ port: 0, deps: { logger: silent } as unknown as AppDependencies, awsServices: [service] });
  const client = new DynamoDBClient({
    endpoint: gateway.url,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  edge = { journal, service, gateway, client };
}

async function closeEdge() {
  edge.client.destroy();
  await edge.gateway.close();
  edge.service.close();
  await edge.journal.close();
}

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  await ensureTable(dynamoDb.client, TABLE);
});

beforeEach(async () => {
  journalDir = mkdtempSync(join(tmpdir(), 'gridflow-journal-'));
  await openEdge();
});

afterEach(async () => {
  await closeEdge();
  rmSync(journalDir, { recursive: true, force: true });
});

afterAll(async () => {
  await dynamoDb?.stop();
});

const key = (pk: string, sk = 'A') => ({ pk: { S: pk }, sk: { S: sk } });
/** A report's shape of transaction: a new item that may not exist yet, and an unconditioned counter. */
const created = (pk: string): TransactWriteItem[] => [
  { Put: { TableName: TABLE, Item: { ...key(pk), text: { S: '金英街排水口堵塞' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
  {
    Update: {
      TableName: TABLE,
      Key: key('COUNTER'),
      UpdateExpression: 'ADD reported :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    },
  },
];
const counter = async () =>
  Number((await dynamoDb.client.send(new GetItemCommand({ TableName: TABLE, Key: key('COUNTER') }))).Item?.reported?.N ?? 0);
const exists = async (pk: string) => Boolean((await dynamoDb.client.send(new GetItemCommand({ TableName: TABLE, Key: key(pk) }))).Item);

/** What DynamoDB Local does when killed after acknowledging `created(pk)`: both items as they were before. */
async function loseCreated(pk: string) {
  await dynamoDb.client.send(new DeleteItemCommand({ TableName: TABLE, Key: key(pk) }));
  await dynamoDb.client.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: key('COUNTER'),
      UpdateExpression: 'ADD reported :minus',
      ExpressionAttributeValues: { ':minus': { N: '-1' } },
    }),
  );
}

test('an acknowledged transaction DynamoDB Local lost is written again at the next start, once', async () => {
  const before = await counter();
  await edge.client.send(new TransactWriteItemsCommand({ TransactItems: created('LOST-1') }));
  await edge.client.send(new TransactWriteItemsCommand({ TransactItems: created('KEPT-1') }));
  await loseCreated('LOST-1');
  expect([await exists('LOST-1'), await counter()]).toEqual([false, before + 1]);

  await closeEdge();
  await openEdge();
  expect([await exists('LOST-1'), await exists('KEPT-1'), await counter()]).toEqual([true, true, before + 2]);
  expect(logged.join('\n')).toMatch(
    /journal: 1 transaction\(s\) written again \(0 never acknowledged; the oldest acknowledged one DynamoDB Local lost was \d+ ms older than the last entry\), 1 held already/,
  );
  expect(edge.journal.replayed).toMatchObject({ restored: 1, held: 1 });

  // A second start finds both held: the counter is not moved again.
  await closeEdge();
  await openEdge();
  expect(await counter()).toBe(before + 2);
  expect(edge.journal.replayed).toMatchObject({ restored: 0, held: 2 });
});

test('three changes of one item, all lost, are written again in their order', async () => {
  const versioned = (version: number, text: string): TransactWriteItem[] => [
    {
      Put: {
        TableName: TABLE,
        Item: { ...key('CASE-1'), version: { N: String(version) }, text: { S: text } },
        ConditionExpression: version === 1 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(version === 1 ? {} : { ExpressionAttributeValues: { ':expected': { N: String(version - 1) } } }),
      },
    },
  ];
  for (const [version, text] of [
    [1, 'reported'],
    [2, 'routed'],
    [3, 'handled'],
  ] as const)
    await edge.client.send(new TransactWriteItemsCommand({ TransactItems: versioned(version, text) }));
  // All three lost: the item is gone.
  await dynamoDb.client.send(new DeleteItemCommand({ TableName: TABLE, Key: key('CASE-1') }));
  await closeEdge();
  await openEdge();
  const item = (await dynamoDb.client.send(new GetItemCommand({ TableName: TABLE, Key: key('CASE-1') }))).Item;
  expect([item?.version?.N, item?.text?.S]).toEqual(['3', 'handled']);
  expect(edge.journal.replayed).toMatchObject({ restored: 3 });
});

test('a transaction DynamoDB Local refused is not written at the next start', async () => {
  await edge.client.send(new TransactWriteItemsCommand({ TransactItems: created('ONCE-1') }));
  const before = await counter();
  const refused = await edge.client.send(new TransactWriteItemsCommand({ TransactItems: created('ONCE-1') })).catch((error) => error);
  expect(refused).toMatchObject({ name: 'TransactionCanceledException' });
  // Had it been written again after the item went, the counter would move.
  await loseCreated('ONCE-1');
  await closeEdge();
  await openEdge();
  expect([await exists('ONCE-1'), await counter()]).toEqual([true, before]);
  expect(edge.journal.replayed).toMatchObject({ restored: 1 });
});

test('a transaction without a condition is refused: written again after a crash it would count twice', async () => {
  const unconditioned = created('FREE-1').map((item) => (item.Put ? { Put: { ...item.Put, ConditionExpression: undefined } } : item));
  const refused = await edge.client.send(new TransactWriteItemsCommand({ TransactItems: unconditioned })).catch((error) => error);
  expect(refused).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  expect(refused.message).toMatch(/no condition/);
  expect(await exists('FREE-1')).toBe(false);
});

test('concurrent transactions share their fsyncs (group commit), and the journal keeps its files in one folder', async () => {
  await Promise.all(
    Array.from({ length: 40 }, (_, index) =>
      edge.client.send(new TransactWriteItemsCommand({ TransactItems: created(`MANY-${index}`) })).catch(() => undefined),
    ),
  );
  const stats = edge.journal.stats();
  expect(stats.transactions).toBe(40);
  expect(stats.fsyncs).toBeGreaterThan(0);
  expect(stats.fsyncs).toBeLessThan(40);
  expect(readdirSync(journalDir).every((name) => /^\d+\.jsonl$/.test(name))).toBe(true);
});

test('the journal keeps only its latest waits: a platform left running does not grow with every transaction', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridflow-journal-waits-'));
  const journal = await openDynamoDbJournal({ dir, endpoint: dynamoDb.endpoint, waitsKept: 5 });
  try {
    for (let index = 0; index < 12; index++) {
      await journal.record(Buffer.from(JSON.stringify({ TransactItems: created(`WAITS-${index}`) })));
    }
    const stats = journal.stats();
    expect(stats.transactions).toBe(12);
    expect(stats.fsyncs).toBe(12);
    expect(stats.waitsMs).toHaveLength(5);
  } finally {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
