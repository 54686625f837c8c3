/** The stores' contract (store-contract.ts) on the DynamoDB stores, on DynamoDB Local (a fresh table per test); and what only they can meet: corrupt items. */
import { createServer } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { COUNTER_SHARDS, counterShard, keys } from '../../shared/adapters/dynamodb/table-design';
import { ensureTable, localClient, startDynamoDbLocal, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { unitCounters } from '../../shared/core/changes';
import { CorruptRecord } from '../../shared/domain/errors';
import type { CaseChange } from '../../shared/ports/cases';
import { sampleEvent } from '../unit/pure-deps';
import { referenceContract } from './reference-contract';
import { currentReferenceVersion } from '../../shared/core/administer-reference';
import { rosterCaller } from '../unit/pure-deps';
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
referenceContract(async () => (await freshStores()).reference);

describe('a reference version applied before sizes were kept', () => {
  test('reads back without sizes, and GET /admin/reference reads its documents for them', async () => {
    const stores = await freshStores();
    const applied = await stores.reference.apply({ units: { code: '441302' }, people: [{ id: 'p1', name: '欧阳玲巧' }] }, undefined, {
      appliedAt: '2026-11-01T00:00:00.000Z',
      appliedBy: 'admin-wu',
      note: 'before sizes',
    });
    // As such a version was written: without `bytes`.
    const { bytes, ...older } = applied;
    const documents = DynamoDBDocumentClient.from(dynamoDb.client);
    for (const key of [keys.referenceVersion(1), keys.referenceCurrent()])
      await documents.send(new PutCommand({ TableName: table, Item: { ...key, ...older } }));
    expect(await stores.reference.current()).toEqual(older);
    const view = await currentReferenceVersion({ ...stores, clock: { now: () => new Date(), scale: 1 } }, rosterCaller('ad-huicheng'));
    expect(Object.fromEntries(view.documents.map((document) => [document.name, document.bytes]))).toEqual(bytes);
  });
});

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

/** The first version of a case, with its counters. */
function change(event: ReturnType<typeof sampleEvent>, extra: Partial<CaseChange>): CaseChange {
  return {
    case: { ...event, version: 1 },
    timeline: [
      { eventId: event.id, seq: 1, at: event.createdAt, actor: event.reportedBy, type: 'commented', stage: event.stage, tier: event.tier },
    ],
    counters: [],
    ...extra,
  };
}

describe('folding a finished day (DynamoDB only: what it leaves on the table)', () => {
  const DAY = '2026-11-23';
  const district = { kind: 'unit' as const, code: '441302' };
  const counted = (id: string, counts: Record<string, number>) =>
    change(sampleEvent({ id, createdAt: `${DAY}T09:00:00+08:00` }), { counters: unitCounters('441302010001001', DAY, counts) });
  const dayItems = async (client: DynamoDBClient) =>
    (
      await DynamoDBDocumentClient.from(client).send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
          ExpressionAttributeValues: { ':pk': 'AGG#UNIT#441302', ':day': `DAY#${DAY}` },
        }),
      )
    ).Items ?? [];

  test('one item per day is left, items from before shards and before `writes` folded in with the shards', async () => {
    const stores = await freshStores();
    for (let index = 0; index < 24; index++)
      await stores.cases.create(counted(`E20261123-S${String(index).padStart(5, '0')}`, { reported: 1, closed: index % 2 }));
    const documents = DynamoDBDocumentClient.from(dynamoDb.client);
    // As written before shards, and a shard as written before each write counted itself.
    await documents.send(new PutCommand({ TableName: table, Item: { pk: 'AGG#UNIT#441302', sk: `DAY#${DAY}#reported`, reported: 5 } }));
    await documents.send(new PutCommand({ TableName: table, Item: { ...keys.counters('unit', '441302', DAY, 'closed', 9), closed: 2 } }));
    const items = (await dayItems(dynamoDb.client)).length;
    expect(items).toBeGreaterThan(COUNTER_SHARDS);

    expect(await stores.counters.fold(district, DAY, DAY)).toBe(items);
    const [folded, ...rest] = await dayItems(dynamoDb.client);
    expect(rest).toEqual([]);
    expect(folded).toMatchObject({ ...keys.foldedDay('unit', '441302', DAY), reported: 29, closed: 14, writes: 1 });
    expect(await stores.counters.read(district, DAY, DAY)).toEqual([{ day: DAY, counts: { reported: 29, closed: 14 } }]);
  });

  test('a counter written between the fold reading the day and committing is not lost: the fold reads again', async () => {
    const stores = await freshStores();
    // Ids of one shard: the late write lands on an item the fold is about to move.
    const ids = Array.from({ length: 200 }, (_, index) => `E20261123-R${String(index).padStart(5, '0')}`)
      .filter((id) => counterShard(id) === 3)
      .slice(0, 3);
    for (const id of ids.slice(0, 2)) await stores.cases.create(counted(id, { reported: 1 }));
    const client = localClient(dynamoDb.endpoint);
    const racing = createDynamoDbStores(client, table);
    let raced = false;
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: { Delete?: unknown }[] };
        if (!raced && input.TransactItems?.some((item) => item.Delete)) {
          raced = true;
          await stores.cases.create(counted(ids[2], { reported: 1 }));
        }
        return next(args);
      },
      { step: 'initialize', name: 'writeBeforeTheFold' },
    );
    await racing.counters.fold(district, DAY, DAY);
    client.destroy();
    expect(raced).toBe(true);
    expect(await stores.counters.read(district, DAY, DAY)).toEqual([{ day: DAY, counts: { reported: 3 } }]);
    expect((await dayItems(dynamoDb.client))[0]).toMatchObject({ reported: 3, writes: 1 });
    expect(await dayItems(dynamoDb.client)).toHaveLength(1);
  });
});
