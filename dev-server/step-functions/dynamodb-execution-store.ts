/**
 * The local engine's executions, history and definition versions in their own DynamoDB Local table
 * (`gridflow-local-states`, beside the app's table — it is AWS's state, not the app's), so they survive a
 * restart. One item per execution, one per written segment of its history (its events as one JSON
 * attribute, split only past DynamoDB's item size), one per definition version. Two indexes: the running
 * executions of a machine (to bring them back at start) and all of them by start date (ListExecutions).
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableExists } from '../table-exists';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  startKey,
  type ExecutionPage,
  type ExecutionStatus,
  type ExecutionStore,
  type StoredExecution,
  type StoredVersion,
} from './execution-store';
import type { HistoryEvent } from './history';

export const STATES_TABLE_NAME = 'gridflow-local-states';

/** Under DynamoDB's 400 KB item limit, with room for the keys. */
const MAX_CHUNK_BYTES = 350_000;
const VERSIONS_KEY = 'VERSIONS';
const EXECUTION_SK = 'EXECUTION';
const RUNNING_INDEX = 'running';
/** What the started index copies: what ListExecutions shows. */
const LISTED = ['name', 'status', 'startDate', 'stopDate', 'version'];
const STARTED_INDEX = 'started';

export class DynamoDbExecutionStore implements ExecutionStore {
  private readonly documents: DynamoDBDocumentClient;

  private constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    /** Whether opening created the table (nothing was kept here before). */
    readonly createdTable: boolean,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The store on this client's DynamoDB (Local), its table created on first use. */
  static async open(client: DynamoDBClient, tableName = STATES_TABLE_NAME): Promise<DynamoDbExecutionStore> {
    const created = await ensureStatesTable(client, tableName);
    return new DynamoDbExecutionStore(client, tableName, created);
  }

  async versionFor(machine: string, definition: string, now: Date): Promise<StoredVersion> {
    const [latest] = await this.versions(machine, { newestFirst: true, limit: 1 });
    if (latest?.definition === definition) return latest;
    const created: StoredVersion = { version: (latest?.version ?? 0) + 1, definition, createdAt: now.toISOString() };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: VERSIONS_KEY, sk: versionKey(machine, created.version), machine, ...created },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Another engine on the same table stored a version meanwhile: look again.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return this.versionFor(machine, definition, now);
    }
    return created;
  }

  async version(machine: string, version: number): Promise<StoredVersion | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: VERSIONS_KEY, sk: versionKey(machine, version) } }),
    );
    return Item && versionOf(Item);
  }

  async machines() {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': VERSIONS_KEY } });
    // Versions come in order (the sort key): a machine's first is its creation, its last the latest.
    const byMachine = new Map<string, { machine: string; created: StoredVersion; latest: StoredVersion }>();
    for (const item of items) {
      const version = versionOf(item);
      byMachine.set(item.machine, { machine: item.machine, created: byMachine.get(item.machine)?.created ?? version, latest: version });
    }
    return [...byMachine.values()];
  }

  async create(execution: StoredExecution): Promise<StoredExecution | undefined> {
    try {
      await this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: executionItem(execution), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return undefined;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return this.get(execution.machine, execution.name);
    }
  }

  async replace(execution: StoredExecution): Promise<void> {
    const keys = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': executionKey(execution.machine, execution.name) },
      ProjectionExpression: 'pk, sk',
    });
    for (let index = 0; index < keys.length; index += 25) {
      const batch = keys.slice(index, index + 25).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
      await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }));
    }
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: executionItem(execution) }));
  }

  async get(machine: string, name: string): Promise<StoredExecution | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: executionKey(machine, name), sk: EXECUTION_SK } }),
    );
    return Item && JSON.parse(Item.data);
  }

  async save(execution: StoredExecution, newEvents: HistoryEvent[]): Promise<void> {
    const pk = executionKey(execution.machine, execution.name);
    const history = chunks(newEvents).map((chunk) => ({ pk, sk: historyKey(chunk[0].id), events: JSON.stringify(chunk) }));
    // The usual segment: its history item and the execution item in one request. A very long one writes its
    // history first, so that the execution item never counts events that were not written.
    const together = history.length === 1 ? history : [];
    for (const item of history.slice(together.length)) await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
    await this.writeAll([...together, executionItem(execution)]);
  }

  /** Puts items with one BatchWriteItem (one PutItem for one), again for what DynamoDB left unprocessed. */
  private async writeAll(items: Record<string, unknown>[]): Promise<void> {
    if (items.length === 1) {
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: items[0] }));
      return;
    }
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const { UnprocessedItems } = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
      requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }

  async runningNames(machine: string): Promise<string[]> {
    // The index holds keys only (each write of a running execution would copy it there).
    const keys = await this.queryAll({
      IndexName: RUNNING_INDEX,
      KeyConditionExpression: 'runningOf = :machine',
      ExpressionAttributeValues: { ':machine': machine },
    });
    const prefix = executionKey(machine, '');
    return keys.map(({ pk }) => String(pk).slice(prefix.length));
  }

  async getMany(machine: string, names: string[]): Promise<StoredExecution[]> {
    const executions: StoredExecution[] = [];
    for (let index = 0; index < names.length; index += 100) {
      let wanted: Record<string, unknown>[] = names
        .slice(index, index + 100)
        .map((name) => ({ pk: executionKey(machine, name), sk: EXECUTION_SK }));
      while (wanted.length > 0) {
        const { Responses, UnprocessedKeys } = await this.documents.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: wanted, ProjectionExpression: '#data', ExpressionAttributeNames: { '#data': 'data' } },
            },
          }),
        );
        for (const item of Responses?.[this.tableName] ?? []) executions.push(JSON.parse(item.data));
        wanted = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return executions;
  }

  async list(machine: string, options: { status?: ExecutionStatus; limit: number; nextToken?: string }): Promise<ExecutionPage> {
    const executions: StoredExecution[] = [];
    let after = options.nextToken;
    // A status filter applies after the read: read on until the page is full or the index ends.
    for (;;) {
      const { Items = [], LastEvaluatedKey } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: STARTED_INDEX,
          KeyConditionExpression: after ? 'machineOf = :machine AND startKey < :after' : 'machineOf = :machine',
          ExpressionAttributeValues: { ':machine': machine, ...(after && { ':after': after }) },
          ScanIndexForward: false,
          Limit: options.limit - executions.length,
        }),
      );
      for (const item of Items) {
        after = item.startKey;
        if (!options.status || item.status === options.status) executions.push(listed(item));
      }
      if (!LastEvaluatedKey) return { executions };
      if (executions.length >= options.limit) return { executions, nextToken: after };
    }
  }

  async history(machine: string, name: string): Promise<HistoryEvent[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': executionKey(machine, name), ':history': 'H#' },
    });
    return items.flatMap((item) => JSON.parse(item.events) as HistoryEvent[]);
  }

  private async versions(machine: string, options: { newestFirst: boolean; limit?: number }): Promise<StoredVersion[]> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :machine)',
        ExpressionAttributeValues: { ':pk': VERSIONS_KEY, ':machine': `${machine}#` },
        ScanIndexForward: !options.newestFirst,
        ...(options.limit && { Limit: options.limit }),
      }),
    );
    return Items.map(versionOf);
  }

  // biome-ignore lint/suspicious/noExplicitAny: items as the document client returns them
  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, any>[]> {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const items: Record<string, any>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

/** Creates the engine's table unless it exists; true when it created it. */
export async function ensureStatesTable(client: DynamoDBClient, tableName = STATES_TABLE_NAME): Promise<boolean> {
  if (await tableExists(client, tableName)) return false;
  const index = (IndexName: string, hash: string, range: string, listed?: string[]) => ({
    IndexName,
    KeySchema: [
      { AttributeName: hash, KeyType: 'HASH' as const },
      { AttributeName: range, KeyType: 'RANGE' as const },
    ],
    Projection: listed ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: listed } : { ProjectionType: 'KEYS_ONLY' as const },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'runningOf', 'machineOf', 'startKey'].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S' as const,
        })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [index(RUNNING_INDEX, 'runningOf', 'pk'), index(STARTED_INDEX, 'machineOf', 'startKey', LISTED)],
      }),
    );
    return true;
  } catch (error) {
    // Another platform on the same DynamoDB Local created it meanwhile.
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    return false;
  }
}

function executionKey(machine: string, name: string): string {
  return `E#${machine}#${name}`;
}

function versionKey(machine: string, version: number): string {
  return `${machine}#V#${String(version).padStart(6, '0')}`;
}

function historyKey(firstEventId: number): string {
  return `H#${String(firstEventId).padStart(8, '0')}`;
}

function executionItem(execution: StoredExecution) {
  return {
    pk: executionKey(execution.machine, execution.name),
    sk: EXECUTION_SK,
    // What ListExecutions shows, beside the whole record in `data`.
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    ...(execution.stopDate && { stopDate: execution.stopDate }),
    version: execution.version,
    machineOf: execution.machine,
    startKey: startKey(execution),
    // Only while running: the index of running executions holds nothing else.
    ...(execution.status === 'RUNNING' && { runningOf: execution.machine }),
    data: JSON.stringify(execution),
  };
}

/** An execution as the started index lists it: what ListExecutions shows. */
// biome-ignore lint/suspicious/noExplicitAny: an item as the document client returns it
function listed(item: Record<string, any>): StoredExecution {
  return {
    machine: item.machineOf,
    name: item.name,
    status: item.status,
    startDate: item.startDate,
    ...(item.stopDate && { stopDate: item.stopDate }),
    version: item.version,
    input: '',
    eventCount: 0,
    transitions: 0,
    segment: { from: 'start' },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: an item as the document client returns it
function versionOf(item: Record<string, any>): StoredVersion {
  return { version: item.version, definition: item.definition, createdAt: item.createdAt };
}

/** Events in items under DynamoDB's size limit: one item for a segment unless it is very long. */
function chunks(events: HistoryEvent[]): HistoryEvent[][] {
  const result: HistoryEvent[][] = [];
  let current: HistoryEvent[] = [];
  let size = 0;
  for (const event of events) {
    const eventSize = Buffer.byteLength(JSON.stringify(event));
    if (current.length && size + eventSize > MAX_CHUNK_BYTES) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += eventSize;
  }
  if (current.length) result.push(current);
  return result;
}
