/**
 * The migration runner: brings the table to the last schema version (schema-versions.ts) and records it
 * in the table's SCHEMA item. Run by local mode at every start (dev-server/dynamodb-local.ts) and, in the
 * cloud, by `npm run migrate` (bin/migrate.ts) after each deployment.
 *
 * - Local (DynamoDB Local): the runner makes each version's index change itself (UpdateTable, one index),
 *   then runs its data migration and records it, version after version.
 * - Cloud: CloudFormation makes the index change when the stack deploys; the runner checks that the
 *   table's indexes are the last version's and ACTIVE, and that they moved by at most one index since the
 *   recorded version (two in one step: refused), then runs the pending data migrations and records them.
 *
 * A table without a SCHEMA item (made before versions were recorded, or just created) is adopted at the
 * oldest version whose indexes it has. Its indexes say nothing of its items (a release before versions keyed
 * byPlace by street), so the data steps of every version up to the one adopted run first — version 1's brings
 * the items to the baseline's keys — then the steps after it. Locally, a data folder older than the baseline
 * gets the baseline's missing indexes first.
 *
 * Each step is logged: the adoption, every index change, what each data step read and rewrote (counts), each
 * version recorded, and where the table ended (local start prints them; so does `npm run migrate`).
 */
import {
  DescribeTableCommand,
  UpdateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  indexChanges,
  indexSignature,
  SCHEMA_VERSIONS,
  schemaRuleViolations,
  type IndexChange,
  type SchemaVersion,
} from './schema-versions';
import { keys } from './table-design';

export interface MigrationOptions {
  client: DynamoDBClient;
  tableName: string;
  /** `local`: the runner changes the indexes itself; `cloud`: CloudFormation did, the runner checks. */
  mode: 'local' | 'cloud';
  log?: (line: string) => void;
  /** The versions to migrate to (tests); default SCHEMA_VERSIONS. */
  versions?: readonly SchemaVersion[];
  /** How long to wait for a new index to become ACTIVE (local). */
  indexWaitMs?: number;
  /** The table was created just now with the last version's indexes (local start): stamped, no data to bring up. */
  created?: boolean;
}

export interface MigrationResult {
  /** The version recorded before (0: none). */
  from: number;
  to: number;
  /** The versions whose step ran (index change and data migration), in order. */
  applied: number[];
  /** Set when a table without a SCHEMA item was adopted at this version. */
  adopted?: number;
}

/** The runner will not go on: the message says why and what to do. */
export class MigrationRefused extends Error {
  override name = 'MigrationRefused';
}

export async function migrateTable(options: MigrationOptions): Promise<MigrationResult> {
  const versions = options.versions ?? SCHEMA_VERSIONS;
  const log = options.log ?? (() => {});
  const problems = schemaRuleViolations(versions);
  if (problems.length > 0) throw new MigrationRefused(`The schema versions break the rules: ${problems.join('; ')}`);
  const latest = versions[versions.length - 1];
  if (!latest) throw new MigrationRefused('No schema versions');
  const documents = DynamoDBDocumentClient.from(options.client);
  const recorded = await readRecordedVersion(documents, options.tableName);
  if (recorded > latest.version)
    throw new MigrationRefused(
      `Table ${options.tableName} is at schema version ${recorded}, newer than this code's ${latest.version}: run the newer code (or restore the table)`,
    );

  // Read only when a step needs it: DescribeTable is slow on DynamoDB Local's big tables (it counts the items),
  // and a table already at the latest version needs nothing.
  let live: LiveIndexes | undefined;
  const liveNow = async () => (live ??= await liveIndexes(options.client, options.tableName));
  let current = recorded;
  let adopted: number | undefined;
  if (recorded === 0 && options.created) {
    await recordVersion(documents, options.tableName, 0, latest);
    log(`schema: table ${options.tableName} created at version ${latest.version}`);
    return { from: 0, to: latest.version, applied: [] };
  }
  if (recorded === 0) {
    // The oldest version with the table's indexes: a version that only migrates data cannot be told from its
    // indexes, so its step runs (every step is safe to run again).
    const { signatures } = await liveNow();
    adopted = versions.find((entry) => indexChanges(signatures, entry.indexes).length === 0)?.version;
    if (adopted === undefined) {
      const baseline = versions[0] as SchemaVersion;
      if (options.mode === 'cloud')
        throw new MigrationRefused(
          `Table ${options.tableName} has no schema version and its indexes are not those of any version (${describe(indexChanges(signatures, baseline.indexes))} from version 1)`,
        );
      // A data folder from before the baseline: it gets the baseline's indexes (as local start always did).
      await applyIndexChanges(options, signatures, baseline.indexes, log);
      live = await liveIndexes(options.client, options.tableName);
      adopted = baseline.version;
    }
    log(`schema: table ${options.tableName} has no schema version: adopted at version ${adopted} (its indexes)`);
    for (const earlier of versions.filter((entry) => entry.version <= (adopted as number))) await runDataStep(options, earlier, log);
    await recordVersion(documents, options.tableName, 0, versions[adopted - 1] as SchemaVersion);
    current = adopted;
  }

  const applied: number[] = [];
  if (options.mode === 'cloud' && current < latest.version) {
    const recordedIndexes = (versions[current - 1] as SchemaVersion).indexes;
    const { signatures, building } = await liveNow();
    const step = indexChanges(recordedIndexes, signatures);
    if (step.length > 1)
      throw new MigrationRefused(
        `Table ${options.tableName} moved ${step.length} indexes since schema version ${current} (${describe(step)}): each deployment may add or change one index`,
      );
    const missing = indexChanges(signatures, latest.indexes);
    if (missing.length > 0)
      throw new MigrationRefused(
        `Table ${options.tableName} does not have the indexes of schema version ${latest.version} (${describe(missing)}): deploy the stack first`,
      );
    if (building.length > 0)
      throw new MigrationRefused(`Index ${building.join(', ')} is still being built: run the migration again when it is ACTIVE`);
  }
  for (const target of versions.filter((entry) => entry.version > current)) {
    if (options.mode === 'local') {
      const { signatures } = await liveNow();
      const changes = indexChanges(signatures, target.indexes);
      if (changes.length > 1)
        throw new MigrationRefused(
          `Version ${target.version} would change ${changes.length} indexes (${describe(changes)}): one per version`,
        );
      await applyIndexChanges(options, signatures, target.indexes, log);
      live = await liveIndexes(options.client, options.tableName);
    }
    await runDataStep(options, target, log);
    await recordVersion(documents, options.tableName, current, target);
    log(`schema: table ${options.tableName} migrated to version ${target.version}: ${target.summary}`);
    applied.push(target.version);
    current = target.version;
  }
  if (current !== recorded) log(`schema: table ${options.tableName} at version ${current} (from ${recorded})`);
  return { from: recorded, to: current, applied, ...(adopted !== undefined ? { adopted } : {}) };
}

/** Runs a version's data step, if it has one, and logs what it read and rewrote. */
async function runDataStep(options: MigrationOptions, version: SchemaVersion, log: (line: string) => void) {
  if (!version.migrate) return;
  const report = await version.migrate(options.client, options.tableName);
  log(`schema: table ${options.tableName} version ${version.version} (data): ${report}`);
}

/** The version the SCHEMA item records; 0 when there is none. */
export async function readRecordedVersion(documents: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: keys.schema(), ConsistentRead: true }));
  return typeof Item?.version === 'number' ? Item.version : 0;
}

/** Records `target` if the table is still at `previous` (two runners at once: the second is refused). */
async function recordVersion(documents: DynamoDBDocumentClient, tableName: string, previous: number, target: SchemaVersion) {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.schema(),
          itemType: 'schema',
          version: target.version,
          indexes: target.indexes,
          migratedAt: new Date().toISOString(),
        },
        ConditionExpression: previous === 0 ? 'attribute_not_exists(pk)' : 'version = :previous',
        ...(previous === 0 ? {} : { ExpressionAttributeValues: { ':previous': previous } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    // Two runners on one table (two local platforms starting at once): the other recorded this very step.
    if ((await readRecordedVersion(documents, tableName)) === target.version) return;
    throw new MigrationRefused(`Another migration of ${tableName} recorded a version meanwhile: run it again`);
  }
}

interface LiveIndexes {
  signatures: Record<string, string>;
  /** Indexes not ACTIVE yet. */
  building: string[];
}

async function liveIndexes(client: DynamoDBClient, tableName: string): Promise<LiveIndexes> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const indexes: GlobalSecondaryIndexDescription[] = Table?.GlobalSecondaryIndexes ?? [];
  const keyOf = (schema: KeySchemaElement[] | undefined, type: 'HASH' | 'RANGE') =>
    schema?.find((key) => key.KeyType === type)?.AttributeName;
  return {
    signatures: Object.fromEntries(
      indexes.map((index) => [
        String(index.IndexName),
        indexSignature({
          partitionKey: String(keyOf(index.KeySchema, 'HASH')),
          sortKey: keyOf(index.KeySchema, 'RANGE'),
          projection:
            index.Projection?.ProjectionType === 'INCLUDE'
              ? (index.Projection.NonKeyAttributes ?? [])
              : index.Projection?.ProjectionType === 'KEYS_ONLY'
                ? 'KEYS_ONLY'
                : 'ALL',
        }),
      ]),
    ),
    building: indexes.filter((index) => index.IndexStatus && index.IndexStatus !== 'ACTIVE').map((index) => String(index.IndexName)),
  };
}

/** Local only: deletes and creates indexes (one UpdateTable each) until the table has `target`'s. */
async function applyIndexChanges(
  options: MigrationOptions,
  from: Record<string, string>,
  target: Readonly<Record<string, string>>,
  log: (line: string) => void,
) {
  for (const { index, change } of indexChanges(from, target)) {
    if (change !== 'add') {
      await options.client.send(
        new UpdateTableCommand({ TableName: options.tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index } }] }),
      );
      await waitFor(options, (live) => !(index in live.signatures));
    }
    if (change !== 'remove') {
      const signature = target[index] as string;
      await options.client.send(new UpdateTableCommand({ TableName: options.tableName, ...createIndexInput(index, signature) }));
      await waitFor(options, (live) => live.signatures[index] === signature && !live.building.includes(index));
    }
    log(`schema: ${change} index ${index} on ${options.tableName}`);
  }
}

/** The UpdateTable input that creates an index from its signature (`pk,sk,ALL` or `pk,sk,INCLUDE(a|b)`). */
export function createIndexInput(indexName: string, signature: string) {
  const [partitionKey, sortKey, projection] = signature.split(',') as [string, string, string];
  const include = /^INCLUDE\((.*)\)$/.exec(projection);
  const keyAttributes = [partitionKey, ...(sortKey ? [sortKey] : [])];
  return {
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    GlobalSecondaryIndexUpdates: [
      {
        Create: {
          IndexName: indexName,
          KeySchema: [
            { AttributeName: partitionKey, KeyType: 'HASH' as const },
            ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          Projection: include
            ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: include[1] ? include[1].split('|') : [] }
            : { ProjectionType: projection as 'ALL' | 'KEYS_ONLY' },
        },
      },
    ],
  };
}

async function waitFor(options: MigrationOptions, done: (live: LiveIndexes) => boolean) {
  const deadline = Date.now() + (options.indexWaitMs ?? 60_000);
  for (;;) {
    if (done(await liveIndexes(options.client, options.tableName))) return;
    if (Date.now() > deadline) throw new MigrationRefused(`Table ${options.tableName}: an index change did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function describe(changes: IndexChange[]): string {
  return changes.map((change) => `${change.change} ${change.index}`).join(', ');
}
