/**
 * A data folder (or table) from a release before schema versions were recorded, brought up to date (issue 15,
 * migrations). Such a release keyed byPlace by street (`<street>#<item>`, before the geohash cells) or had no
 * byPlace at all; the table has the baseline's indexes, so the runner adopts it at version 1 — and the open
 * cases it holds must be found by today's duplicate search, and the runner must say what it did.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { indexChanges, LATEST_SCHEMA, SCHEMA_VERSIONS } from '../../shared/adapters/dynamodb/schema-versions';
import { caseIndexAttributes, GSI, indexKeys, keys } from '../../shared/adapters/dynamodb/table-design';
import { geohash, NEARBY_PRECISION } from '../../shared/domain/geohash';
import { startDynamoDbLocal, tableDefinition } from '../../dev-server/dynamodb-local';
import { freePort } from '../../dev-server/local-platform';
import { sampleEvent } from '../unit/pure-deps';
import { eventually, JINYUAN_GRID_1, startStack } from '../support/local-stack';

const TABLE = 'gridflow';
const drain = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '金英街排水口堵塞',
  severity: 4,
  location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
  reporter: { name: '居民', phone: '13000009999' },
};

/**
 * What a test started, stopped after it however it ended, then its data folders removed: a DynamoDB Local nobody
 * stops outlives the test file (nothing else stops it; Jest waits on it, and once killed leaves it running on a
 * deleted folder). A failed wait for an index's deletion used to skip the stop below it.
 */
const running = new Set<{ stop(): Promise<void> }>();
const folders: string[] = [];
afterEach(async () => {
  for (const each of [...running].reverse()) await each.stop().catch(() => undefined);
  running.clear();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** `started`, with a stop that also takes it off the list afterEach stops. */
function stoppedAfterTest<T extends { stop(): Promise<void> }>(started: T): T {
  running.add(started);
  return {
    ...started,
    stop: async () => {
      running.delete(started);
      await started.stop();
    },
  };
}

/** How an older release left a case's byPlace keys: keyed by street and item (before geohash cells), or none (before byPlace). */
async function asAnOlderReleaseLeftIt(documents: DynamoDBDocumentClient, tableName: string, streetKeyed: string, unkeyed: string) {
  await documents.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.event(streetKeyed),
      UpdateExpression: 'SET gsi4pk = :street',
      ExpressionAttributeValues: { ':street': `441302010#${drain.itemCode}` },
    }),
  );
  await documents.send(new UpdateCommand({ TableName: tableName, Key: keys.event(unkeyed), UpdateExpression: 'REMOVE gsi4pk, gsi4sk' }));
}

test('npm start on a data folder from before schema versions: the old open cases are found by duplicate search again, and the start logs each step', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-older-folder-'));
  folders.push(dataDir);
  let stack = stoppedAfterTest(await startStack({ dataDir }));
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const first = await stack.call('POST', '/events', { token: worker, body: drain });
  const second = await stack.call('POST', '/events', { token: worker, body: drain });
  expect([first.status, second.status]).toEqual([201, 201]);
  await stack.stop();

  // What the older release's folder holds: the same cases with its byPlace keys, the baseline's indexes only,
  // and no SCHEMA item.
  const dynamo = stoppedAfterTest(await startDynamoDbLocal({ port: await freePort(), dataDir: join(dataDir, 'dynamodb') }));
  const documents = DynamoDBDocumentClient.from(dynamo.client);
  await asAnOlderReleaseLeftIt(documents, TABLE, first.body.id, second.body.id);
  await documents.send(new DeleteCommand({ TableName: TABLE, Key: keys.schema() }));
  const baseline = Object.keys(SCHEMA_VERSIONS[0]!.indexes);
  for (const later of Object.keys(LATEST_SCHEMA.indexes).filter((name) => !baseline.includes(name))) {
    await dynamo.client.send(new UpdateTableCommand({ TableName: TABLE, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: later } }] }));
    await eventually(async () => {
      const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: TABLE }));
      return Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === later) ? undefined : true;
    }, `index ${later} deleted`);
  }
  await dynamo.stop();

  const log: string[] = [];
  stack = stoppedAfterTest(await startStack({ dataDir, log: (line) => log.push(line) }));
  const third = await stack.call('POST', '/events', { token: stack.token('grid_worker', JINYUAN_GRID_1), body: drain });
  expect(third.status).toBe(201);
  expect([...(third.body.possibleDuplicates ?? [])].sort()).toEqual([first.body.id, second.body.id].sort());
  const schemaLines = log.filter((line) => line.startsWith('schema:'));
  expect(schemaLines[0]).toBe(`schema: table ${TABLE} has no schema version: adopted at version 1 (its indexes)`);
  expect(schemaLines).toContain(
    `schema: table ${TABLE} version 1 (data): byPlace keys of 2 open located cases rewritten (2 read; 1 with an older key, 1 without)`,
  );
  expect(schemaLines.at(-1)).toBe(`schema: table ${TABLE} at version ${SCHEMA_VERSIONS.length} (from 0)`);
}, 120_000);

test('npm run migrate on a table without a schema version: every data step up to the version adopted runs again, each and what it rewrote, with counts', async () => {
  const dynamo = stoppedAfterTest(await startDynamoDbLocal({ port: await freePort() }));
  // The table as the deployments left it (the last version's indexes), its items as the older release wrote them,
  // and no SCHEMA item: the runner adopts it at the version of those indexes and runs every data step up to the last.
  const tableName = 'gridflow-before-versions';
  await dynamo.client.send(new CreateTableCommand(tableDefinition(tableName)));
  const documents = DynamoDBDocumentClient.from(dynamo.client);
  const ids = ['E20261120-OLD001', 'E20261120-OLD002', 'E20261120-OLD003'];
  for (const id of ids) {
    const event = sampleEvent({ id, gridCode: JINYUAN_GRID_1, itemCode: '01-01', location: drain.location });
    await documents.send(
      new PutCommand({ TableName: tableName, Item: { ...event, ...keys.event(id), itemType: 'event', ...caseIndexAttributes(event) } }),
    );
  }
  await asAnOlderReleaseLeftIt(documents, tableName, ids[0]!, ids[1]!);

  const { stdout } = await promisify(execFile)('npx', ['tsx', 'bin/migrate.ts'], {
    env: {
      ...process.env,
      TABLE_NAME: tableName,
      AWS_ENDPOINT_URL: dynamo.endpoint,
      AWS_REGION: 'ap-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
  });
  // The oldest version with the last one's indexes (a later one that only migrates data cannot be told from them).
  const adoptedAt = SCHEMA_VERSIONS.find((entry) => indexChanges(entry.indexes, LATEST_SCHEMA.indexes).length === 0)?.version;
  expect(stdout).toContain(`schema: table ${tableName} has no schema version: adopted at version ${adoptedAt} (its indexes)`);
  expect(stdout).toContain(
    `schema: table ${tableName} version 1 (data): byPlace keys of 2 open located cases rewritten (3 read; 1 with an older key, 1 without)`,
  );
  expect(stdout).toContain(`schema: table ${tableName} version 2 (data): open counts of 4 units set from 3 open cases`);
  expect(stdout).toContain(`${tableName}: schema version 0 → ${SCHEMA_VERSIONS.length}`);

  const cell = geohash(drain.location.lat, drain.location.lng, NEARBY_PRECISION);
  const found = await documents.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: GSI.byPlace.name,
      KeyConditionExpression: `${GSI.byPlace.partitionKey} = :place`,
      ExpressionAttributeValues: { ':place': indexKeys.byPlace('01-01', cell) },
    }),
  );
  expect(found.Items?.map((item) => item.id).sort()).toEqual(ids);
}, 60_000);
