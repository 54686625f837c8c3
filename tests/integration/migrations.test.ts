/**
 * The migration runner on DynamoDB Local (issue 10, item 8): local start stamps or migrates the table,
 * one index change per version; the cloud command checks what CloudFormation made and refuses a table
 * whose indexes moved two at once. `npm run migrate` runs against TABLE_NAME through the SDK.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createIndexInput, MigrationRefused, migrateTable } from '../../shared/adapters/dynamodb/migrations';
import { LATEST_SCHEMA, SCHEMA_VERSIONS, type SchemaVersion } from '../../shared/adapters/dynamodb/schema-versions';
import { caseIndexAttributes, indexKeys, keys, TABLE_KEYS } from '../../shared/adapters/dynamodb/table-design';
import { sampleEvent } from '../unit/pure-deps';
import { countOtherCasesOfSms, recountOpenCases } from '../../shared/adapters/dynamodb/data-migrations';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { ensureTable, startDynamoDbLocal, tableDefinition, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { freePort } from '../../dev-server/local-platform';
import { eventually } from '../support/local-stack';

let dynamoDb: DynamoDbLocal;
let documents: DynamoDBDocumentClient;
let tables = 0;
const freshName = () => `migrations-${++tables}`;

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  documents = DynamoDBDocumentClient.from(dynamoDb.client);
}, 60_000);
afterAll(async () => {
  await dynamoDb?.stop();
});

/** Every id of a list, page after page. */
async function allIds(read: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor?: string }>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    ids.push(...page.items.map((event) => event.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

const schemaItem = async (tableName: string) =>
  (await documents.send(new GetCommand({ TableName: tableName, Key: keys.schema(), ConsistentRead: true }))).Item;
const indexStatus = async (tableName: string, indexName: string) =>
  (await dynamoDb.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes?.find(
    (index) => index.IndexName === indexName,
  )?.IndexStatus;
const indexNames = async (tableName: string) =>
  ((await dynamoDb.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? [])
    .map((index) => index.IndexName)
    .sort();

/**
 * A table as an older version made it: the table's keys with only some of a version's indexes (the latest's unless
 * named: a version's own signatures, so an index the design no longer has is made too), no SCHEMA item.
 */
async function olderTable(keep: string[], version: SchemaVersion = LATEST_SCHEMA): Promise<string> {
  const tableName = freshName();
  const definition = tableDefinition(tableName);
  const indexes = keep.map((name) => {
    const { AttributeDefinitions, GlobalSecondaryIndexUpdates } = createIndexInput(name, version.indexes[name] as string);
    const { IndexName, KeySchema, Projection } = GlobalSecondaryIndexUpdates[0]!.Create;
    return { definitions: AttributeDefinitions, index: { IndexName, KeySchema, Projection } };
  });
  const attributes = [
    ...(definition.AttributeDefinitions ?? []).filter((attribute) =>
      definition.KeySchema?.some((key) => key.AttributeName === attribute.AttributeName),
    ),
    ...indexes.flatMap((each) => each.definitions),
  ];
  await dynamoDb.client.send(
    new CreateTableCommand({
      ...definition,
      AttributeDefinitions: [...new Map(attributes.map((attribute) => [attribute.AttributeName, attribute])).values()],
      GlobalSecondaryIndexes: indexes.map((each) => each.index),
    }),
  );
  return tableName;
}

/** The test's next version (called version2 here): a new index `byTest`, whose keys the migration fills on the items that need them. */
const byTestIndex = 'gsi9pk,gsi9sk,INCLUDE(id)';
const NEXT = LATEST_SCHEMA.version + 1;
const version2: SchemaVersion = {
  version: NEXT,
  summary: 'byTest: tests by name',
  indexes: { ...LATEST_SCHEMA.indexes, byTest: byTestIndex },
  migrate: async (client, tableName) => {
    const items = await DynamoDBDocumentClient.from(client).send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'TEST' } }),
    );
    for (const item of items.Items ?? []) {
      await DynamoDBDocumentClient.from(client).send(
        new PutCommand({ TableName: tableName, Item: { ...item, gsi9pk: 'tests', gsi9sk: String(item.id) } }),
      );
    }
    return `${items.Items?.length ?? 0} tests put on byTest`;
  },
};

describe('at local start (ensureTable)', () => {
  test('a new table is stamped with the last schema version and its indexes', async () => {
    const tableName = freshName();
    expect(await ensureTable(dynamoDb.client, tableName)).toBe(true);
    expect(await schemaItem(tableName)).toMatchObject({ version: LATEST_SCHEMA.version, indexes: LATEST_SCHEMA.indexes });
    // Started again: nothing to do, still the same version.
    expect(await ensureTable(dynamoDb.client, tableName)).toBe(false);
    expect(await migrateTable({ client: dynamoDb.client, tableName, mode: 'local' })).toEqual({
      from: LATEST_SCHEMA.version,
      to: LATEST_SCHEMA.version,
      applied: [],
    });
  });

  test('a data folder from before schema versions gets the baseline’s missing indexes, is adopted at version 1 and migrated on', async () => {
    const tableName = await olderTable(['byUnit', 'byAssignee', 'byUrgency'], SCHEMA_VERSIONS[0]);
    const log: string[] = [];
    expect(await ensureTable(dynamoDb.client, tableName, (line) => log.push(line))).toBe(false);
    expect(await indexNames(tableName)).toEqual(Object.keys(LATEST_SCHEMA.indexes).sort());
    expect(log).toContain(`schema: table ${tableName} has no schema version: adopted at version 1 (its indexes)`);
    expect((await schemaItem(tableName))?.version).toBe(LATEST_SCHEMA.version);
  });

  test('a data folder of version 1 (open cases, overdue ones, counters and list keys of before shards) migrates: every unit’s open count, the overdue list, the lists by street shard, the old counters still summed', async () => {
    const tableName = await olderTable(Object.keys(SCHEMA_VERSIONS[0]!.indexes), SCHEMA_VERSIONS[0]);
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.schema(), itemType: 'schema', version: 1, indexes: SCHEMA_VERSIONS[0]!.indexes },
      }),
    );
    const grids = ['441302010001001', '441302010001002', '441302011001001'];
    // Cases as version 1 stored them: byUnit and byUrgency keyed by the district, no byOverdue keys.
    const stored = async (id: string, gridCode: string, status: 'open' | 'closed', overdue = false) => {
      const event = sampleEvent({ id, gridCode, status, overdue, ...(status === 'closed' ? { stage: 'archived' as const } : {}) });
      const item: Record<string, unknown> = { ...event, ...keys.event(id), itemType: 'event', ...caseIndexAttributes(event) };
      delete item.gsi6pk;
      delete item.gsi6sk;
      item.gsi1pk = `441302#${status}`;
      if (status === 'open') item.gsi3pk = '441302#open';
      await documents.send(new PutCommand({ TableName: tableName, Item: item }));
    };
    for (let index = 0; index < 30; index++)
      await stored(`E20261123-${String(index).padStart(6, '0')}`, grids[index % 3]!, index < 21 ? 'open' : 'closed');
    // Two overdue cases: one open, one closed.
    await stored('E20261123-LATE01', grids[0]!, 'open', true);
    await stored('E20261123-LATE02', grids[0]!, 'closed', true);
    // A day's counter item as version 1 kept it: one item per part, no shard.
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'AGG#UNIT#441302',
          sk: 'DAY#2026-11-23#reported',
          itemType: 'counters',
          scope: 'unit:441302',
          day: '2026-11-23',
          reported: 30,
        },
      }),
    );

    const stores = createDynamoDbStores(dynamoDb.client, tableName);
    const everyCase = () => allIds((cursor) => stores.cases.list({ unitPrefix: '441302', limit: 4, cursor }));
    const urgent = () => allIds((cursor) => stores.caseLists.mostUrgent('441302', 4, cursor));
    // Before version 4 migrates, the lists read the district's partition from before the street shards too.
    await migrateTable({ client: dynamoDb.client, tableName, mode: 'local', versions: SCHEMA_VERSIONS.slice(0, 3) });
    const listed = await everyCase();
    expect(listed).toHaveLength(32);
    expect(await urgent()).toHaveLength(22);

    expect(await migrateTable({ client: dynamoDb.client, tableName, mode: 'local' })).toMatchObject({ from: 3, to: LATEST_SCHEMA.version });
    expect(await everyCase()).toEqual(listed);
    expect(await urgent()).toHaveLength(22);
    const moved = await documents.send(new GetCommand({ TableName: tableName, Key: keys.event('E20261123-000000') }));
    expect([moved.Item?.gsi1pk, moved.Item?.gsi3pk]).toEqual([indexKeys.byUnit(grids[0]!, 'open'), indexKeys.byUrgency(grids[0]!)]);
    const open = async (code: string) => (await stores.counters.standing({ kind: 'unit', code })).open;
    expect([
      await open('441302'),
      await open('441302010'),
      await open('441302010001'),
      await open(grids[0]!),
      await open('441302011'),
    ]).toEqual([22, 15, 15, 8, 7]);
    expect(
      (await stores.cases.list({ unitPrefix: '441302', status: 'open', overdue: true, limit: 10 })).items.map((event) => event.id),
    ).toEqual(['E20261123-LATE01']);
    expect(await stores.counters.read({ kind: 'unit', code: '441302' }, '2026-11-23', '2026-11-23')).toEqual([
      { day: '2026-11-23', counts: { reported: 30 } },
    ]);
    // The recount is safe to run again: it moves the counts by what they are off, here nothing.
    await recountOpenCases(dynamoDb.client, tableName);
    expect(await open('441302')).toBe(22);
  });

  test('version 7 adds byChange and gives every case stored before it its keys (and version 9 those of byChangeWithTeams): the change list holds them, open and closed', async () => {
    const tableName = await olderTable(Object.keys(SCHEMA_VERSIONS[5]!.indexes), SCHEMA_VERSIONS[5]);
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.schema(), itemType: 'schema', version: 6, indexes: SCHEMA_VERSIONS[5]!.indexes },
      }),
    );
    const ids = ['E20261123-CHG001', 'E20261123-CHG002', 'E20261123-CHG003'];
    for (const [index, id] of ids.entries()) {
      const event = sampleEvent({
        id,
        gridCode: index === 2 ? '441302011001001' : '441302010001001',
        updatedAt: `2026-11-23T09:0${index}:00+08:00`,
        ...(index === 1 ? { status: 'closed' as const, stage: 'archived' as const } : {}),
      });
      const item: Record<string, unknown> = { ...event, ...keys.event(id), itemType: 'event', ...caseIndexAttributes(event) };
      delete item.gsiChangePk;
      delete item.gsiChangeSk;
      delete item.gsiTeamChangePk;
      delete item.gsiTeamChangeSk;
      await documents.send(new PutCommand({ TableName: tableName, Item: item }));
    }
    expect(await migrateTable({ client: dynamoDb.client, tableName, mode: 'local' })).toMatchObject({ from: 6, applied: [7, 8, 9, 10] });
    const stores = createDynamoDbStores(dynamoDb.client, tableName);
    expect(await allIds((cursor) => stores.caseLists.changedSince('441302', '2026-11-23T08:00:00+08:00', 2, cursor))).toEqual(ids);
    expect(await allIds((cursor) => stores.caseLists.changedSince('441302011', '2026-11-23T08:00:00+08:00', 2, cursor))).toEqual([ids[2]]);
  });

  test("version 9 adds byChangeWithTeams and gives every case stored before it its keys (version 10 removes byChange): a department's change list finds its cases, and only those", async () => {
    const tableName = await olderTable(Object.keys(SCHEMA_VERSIONS[7]!.indexes), SCHEMA_VERSIONS[7]);
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.schema(), itemType: 'schema', version: 8, indexes: SCHEMA_VERSIONS[7]!.indexes },
      }),
    );
    const teams = [['441302:urban-management'], [], ['441302010:water-affairs', '441302:urban-management']];
    const ids = ['E20261123-TEAM01', 'E20261123-TEAM02', 'E20261123-TEAM03'];
    for (const [index, id] of ids.entries()) {
      const event = sampleEvent({ id, updatedAt: `2026-11-23T09:0${index}:00+08:00`, involvedDepartments: teams[index]! });
      const item: Record<string, unknown> = { ...event, ...keys.event(id), itemType: 'event', ...caseIndexAttributes(event) };
      delete item.gsiTeamChangePk;
      delete item.gsiTeamChangeSk;
      await documents.send(new PutCommand({ TableName: tableName, Item: item }));
    }
    // Then version 10 removes byChange: the polls read byChangeWithTeams alone.
    expect(await migrateTable({ client: dynamoDb.client, tableName, mode: 'local' })).toMatchObject({ from: 8, applied: [9, 10] });
    expect(await indexNames(tableName)).toEqual(Object.keys(LATEST_SCHEMA.indexes).sort());
    expect(await indexNames(tableName)).not.toContain('byChange');
    const stores = createDynamoDbStores(dynamoDb.client, tableName);
    const since = '2026-11-23T08:00:00+08:00';
    expect(await allIds((cursor) => stores.caseLists.changedSince('441302', since, 2, cursor, ['441302:urban-management']))).toEqual([
      ids[0],
      ids[2],
    ]);
    expect(await allIds((cursor) => stores.caseLists.changedSince('441302', since, 2, cursor))).toEqual(ids);
  });

  test("version 8 has a digest's SMS entries keep a count of the other cases, not their ids: as GET /events/{id}/messages lists them", async () => {
    const tableName = await olderTable(Object.keys(SCHEMA_VERSIONS[6]!.indexes), SCHEMA_VERSIONS[6]);
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.schema(), itemType: 'schema', version: 7, indexes: SCHEMA_VERSIONS[6]!.indexes },
      }),
    );
    // As a digest's entries were written before: the other cases' ids.
    const entry = (eventId: string, intentId: string, alsoFor?: string[]) => ({
      ...keys.caseMessage(eventId, intentId),
      itemType: 'case_sms',
      intentId,
      template: alsoFor ? 'reminder_digest' : 'case_reminder',
      recipientRole: 'handler',
      recipient: '139****9101',
      createdAt: '2026-11-23T12:00:00+08:00',
      ...(alsoFor ? { alsoFor } : {}),
    });
    const [mine, theirs] = ['E20261123-AAAAAA', 'E20261123-BBBBBB'];
    for (const item of [entry(mine, 'd-1', [theirs, 'E20261123-CCCCCC']), entry(mine, 'r-1')])
      await documents.send(new PutCommand({ TableName: tableName, Item: item }));
    expect(await migrateTable({ client: dynamoDb.client, tableName, mode: 'local' })).toMatchObject({ from: 7, applied: [8, 9, 10] });
    const kept = (await documents.send(new GetCommand({ TableName: tableName, Key: keys.caseMessage(mine, 'd-1') }))).Item;
    expect(kept).toMatchObject({ alsoForCount: 2 });
    expect(kept).not.toHaveProperty('alsoFor');
    const listed = await createDynamoDbStores(dynamoDb.client, tableName).smsIntents.ofCase(mine);
    expect(listed.map((message) => [message.intentId, message.alsoForCount])).toEqual([
      ['d-1', 2],
      ['r-1', undefined],
    ]);
    expect(JSON.stringify(listed)).not.toContain(theirs);
    // Safe to run again: nothing left to rewrite.
    expect(await countOtherCasesOfSms(dynamoDb.client, tableName)).toBe(
      '0 case SMS entries of digests keep a count of the other cases, not their ids (0 read)',
    );
  });

  test('a newer version adds its one index, runs its data migration, and is recorded once', async () => {
    const tableName = freshName();
    await ensureTable(dynamoDb.client, tableName);
    for (const id of ['a', 'b']) await documents.send(new PutCommand({ TableName: tableName, Item: { pk: 'TEST', sk: id, id } }));

    const result = await migrateTable({ client: dynamoDb.client, tableName, mode: 'local', versions: [...SCHEMA_VERSIONS, version2] });
    expect(result).toEqual({ from: LATEST_SCHEMA.version, to: NEXT, applied: [NEXT] });
    expect(await indexNames(tableName)).toContain('byTest');
    const byTest = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byTest',
        KeyConditionExpression: 'gsi9pk = :pk',
        ExpressionAttributeValues: { ':pk': 'tests' },
      }),
    );
    expect(byTest.Items?.map((item) => item.id)).toEqual(['a', 'b']);
    expect(await schemaItem(tableName)).toMatchObject({ version: NEXT, indexes: version2.indexes });
    expect(
      (await migrateTable({ client: dynamoDb.client, tableName, mode: 'local', versions: [...SCHEMA_VERSIONS, version2] })).applied,
    ).toEqual([]);
    // Older code on a newer table refuses to touch it.
    await expect(migrateTable({ client: dynamoDb.client, tableName, mode: 'local' })).rejects.toThrow(/newer than this code/);
  });

  test('a version list that changes two indexes in one version is refused before anything is done', async () => {
    const tableName = freshName();
    await ensureTable(dynamoDb.client, tableName);
    const twoAtOnce: SchemaVersion = { ...version2, indexes: { ...version2.indexes, byOther: 'gsi8pk,gsi8sk,ALL' } };
    await expect(
      migrateTable({ client: dynamoDb.client, tableName, mode: 'local', versions: [...SCHEMA_VERSIONS, twoAtOnce] }),
    ).rejects.toThrow(
      new MigrationRefused(
        `The schema versions break the rules: version ${NEXT} changes 2 indexes (add byOther, add byTest): one per deployment`,
      ),
    );
    expect(await indexNames(tableName)).not.toContain('byTest');
    expect((await schemaItem(tableName))?.version).toBe(LATEST_SCHEMA.version);
  });
});

describe('in the cloud (npm run migrate): CloudFormation changes the indexes, the runner checks', () => {
  const addIndex = (tableName: string, name: string, signature: string) =>
    dynamoDb.client.send(new UpdateTableCommand({ TableName: tableName, ...createIndexInput(name, signature) }));

  test('before the deployment made the new index: refused, nothing recorded', async () => {
    const tableName = freshName();
    await ensureTable(dynamoDb.client, tableName);
    await expect(
      migrateTable({ client: dynamoDb.client, tableName, mode: 'cloud', versions: [...SCHEMA_VERSIONS, version2] }),
    ).rejects.toThrow(new RegExp(`does not have the indexes of schema version ${NEXT} \\(add byTest\\): deploy the stack first`));
    expect((await schemaItem(tableName))?.version).toBe(LATEST_SCHEMA.version);
  });

  test('after it: the data migration runs and the version is recorded', async () => {
    const tableName = freshName();
    await ensureTable(dynamoDb.client, tableName);
    await addIndex(tableName, 'byTest', byTestIndex);
    // While DynamoDB builds the index (the stack's deployment waits for it, a quick operator may not).
    const building = await migrateTable({
      client: dynamoDb.client,
      tableName,
      mode: 'cloud',
      versions: [...SCHEMA_VERSIONS, version2],
    }).catch((error: Error) => error.message);
    if (typeof building === 'string') {
      expect(building).toBe('Index byTest is still being built: run the migration again when it is ACTIVE');
      await eventually(async () => ((await indexStatus(tableName, 'byTest')) === 'ACTIVE' ? true : undefined), 'byTest ACTIVE');
    } else {
      expect(building).toEqual({ from: LATEST_SCHEMA.version, to: NEXT, applied: [NEXT] });
      return;
    }
    expect(await migrateTable({ client: dynamoDb.client, tableName, mode: 'cloud', versions: [...SCHEMA_VERSIONS, version2] })).toEqual({
      from: LATEST_SCHEMA.version,
      to: NEXT,
      applied: [NEXT],
    });
  });

  test('a table whose indexes moved two at once since its recorded version is refused', async () => {
    // Recorded at the last version, with two indexes more (made at once here: DynamoDB builds one index at a
    // time, so two online additions would wait on each other).
    const tableName = freshName();
    const definition = tableDefinition(tableName);
    const extra = [createIndexInput('byTest', byTestIndex), createIndexInput('byOther', 'gsi8pk,gsi8sk,ALL')];
    await dynamoDb.client.send(
      new CreateTableCommand({
        ...definition,
        AttributeDefinitions: [...(definition.AttributeDefinitions ?? []), ...extra.flatMap((input) => input.AttributeDefinitions)],
        GlobalSecondaryIndexes: [
          ...(definition.GlobalSecondaryIndexes ?? []),
          ...extra.map((input) => {
            const { KeySchema, Projection, IndexName } = input.GlobalSecondaryIndexUpdates[0]!.Create;
            return { IndexName, KeySchema, Projection };
          }),
        ],
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.schema(), itemType: 'schema', version: LATEST_SCHEMA.version, indexes: LATEST_SCHEMA.indexes },
      }),
    );
    const version3: SchemaVersion = {
      version: NEXT + 1,
      summary: 'byOther',
      indexes: { ...version2.indexes, byOther: 'gsi8pk,gsi8sk,ALL' },
    };
    await expect(
      migrateTable({ client: dynamoDb.client, tableName, mode: 'cloud', versions: [...SCHEMA_VERSIONS, version2, version3] }),
    ).rejects.toThrow(
      new RegExp(
        `moved 2 indexes since schema version ${LATEST_SCHEMA.version} \\(add byOther, add byTest\\): each deployment may add or change one index`,
      ),
    );
  });

  test('npm run migrate: the command, through the SDK, against TABLE_NAME', async () => {
    const tableName = await olderTable(Object.keys(LATEST_SCHEMA.indexes));
    const run = (table: string) =>
      promisify(execFile)('npx', ['tsx', 'bin/migrate.ts'], {
        env: {
          ...process.env,
          TABLE_NAME: table,
          AWS_ENDPOINT_URL: dynamoDb.endpoint,
          AWS_REGION: 'ap-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
        },
      });
    expect((await run(tableName)).stdout).toContain(`${tableName}: schema version 0 → ${LATEST_SCHEMA.version}`);
    expect((await run(tableName)).stdout).toContain(`${tableName}: at schema version ${LATEST_SCHEMA.version}, nothing to do`);
    expect(await schemaItem(tableName)).toMatchObject({ [TABLE_KEYS.partitionKey]: 'SCHEMA', version: LATEST_SCHEMA.version });
  }, 60_000);
});
