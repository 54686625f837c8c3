/**
 * DynamoDB request units, counted at the event store's client: a middleware asks DynamoDB Local for
 * ReturnConsumedCapacity=INDEXES on every call and sums what it says, and alongside it keeps our own
 * count as AWS bills it, because DynamoDB Local 3.3.1 gets transactions wrong (checked in this run's
 * code path and documented in the README):
 *
 * - TransactWriteItems: Local reports 2 × ceil(Σ item sizes / 1 KB) per table — the sizes of all items
 *   summed before rounding — and doubles the index writes too. AWS rounds each item up to 1 KB on its
 *   own (2 WRU per KB per item: prepare + commit) and charges an index write what it costs outside a
 *   transaction (the 2× is for the base table only). So for transactions we size every item ourselves:
 *   its image before (read before the write) and after (the Put, or read after the Update), AWS's item
 *   size rules, and each GSI's entry before and after (ALL projection: the whole item; INCLUDE: the keys
 *   and the attributes it copies — and an entry whose key and contents did not change costs nothing).
 * - Single-item writes and reads: Local's figures are per item and per index, as AWS counts them; a read
 *   that finds nothing still costs AWS its minimum (0.5 RRU eventually consistent, 1 strongly), which
 *   Local reports as 0.
 *
 * Images are read through a second client, so the meter's own reads are not metered.
 */
import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GSI } from '../shared/adapters/dynamodb/table-design';

type Item = Record<string, AttributeValue>;
type TransactItem = {
  Put?: { TableName: string; Item: Item };
  Update?: { TableName: string; Key: Item };
  Delete?: { TableName: string; Key: Item };
  ConditionCheck?: { TableName: string; Key: Item };
};
interface ConsumedCapacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const INDEXES: IndexSpec[] = Object.values(GSI) as IndexSpec[];

export interface CapacityTotals {
  /** DynamoDB API calls by command. */
  calls: Record<string, number>;
  /** Write units (as AWS bills them) by command. */
  writeUnitsByCommand: Record<string, number>;
  /** What AWS would bill: write and read request units. */
  writeUnits: number;
  readUnits: number;
  /** Of the write units: the base table's part and the indexes' part. */
  tableWriteUnits: number;
  indexWriteUnits: number;
  /** As DynamoDB Local reports them. */
  localReportedWriteUnits: number;
  localReportedReadUnits: number;
  transactions: number;
  transactionItems: number;
  /** Writes that failed their condition or were cancelled (AWS still bills the attempt; counted, not priced). */
  failedWrites: number;
}

export function emptyTotals(): CapacityTotals {
  return {
    calls: {},
    writeUnitsByCommand: {},
    writeUnits: 0,
    readUnits: 0,
    tableWriteUnits: 0,
    indexWriteUnits: 0,
    localReportedWriteUnits: 0,
    localReportedReadUnits: 0,
    transactions: 0,
    transactionItems: 0,
    failedWrites: 0,
  };
}

export function difference(after: CapacityTotals, before: CapacityTotals): CapacityTotals {
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.calls))
    if (count - (before.calls[name] ?? 0) > 0) calls[name] = count - (before.calls[name] ?? 0);
  const minus = (key: Exclude<keyof CapacityTotals, 'calls' | 'writeUnitsByCommand'>) => after[key] - before[key];
  const writeUnitsByCommand: Record<string, number> = {};
  for (const [name, units] of Object.entries(after.writeUnitsByCommand))
    if (units - (before.writeUnitsByCommand[name] ?? 0) > 0) writeUnitsByCommand[name] = units - (before.writeUnitsByCommand[name] ?? 0);
  return {
    calls,
    writeUnitsByCommand,
    writeUnits: minus('writeUnits'),
    readUnits: minus('readUnits'),
    tableWriteUnits: minus('tableWriteUnits'),
    indexWriteUnits: minus('indexWriteUnits'),
    localReportedWriteUnits: minus('localReportedWriteUnits'),
    localReportedReadUnits: minus('localReportedReadUnits'),
    transactions: minus('transactions'),
    transactionItems: minus('transactionItems'),
    failedWrites: minus('failedWrites'),
  };
}

export class CapacityMeter {
  private totals = emptyTotals();
  /** Calls the meter leaves out (the platform's idle background polling). */
  ignored = 0;

  constructor(
    private readonly imageClient: DynamoDBClient,
    private readonly ignore: (command: string, input: Record<string, unknown>) => boolean = () => false,
  ) {}

  snapshot(): CapacityTotals {
    return structuredClone(this.totals);
  }

  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName ?? 'Unknown');
        const request = (args as { request?: { body?: unknown; headers: Record<string, string> } }).request;
        const input = request ? requestInput(request) : undefined;
        if (!request || !input || this.ignore(command, input)) {
          if (input) this.ignored += 1;
          return next(args);
        }
        this.totals.calls[command] = (this.totals.calls[command] ?? 0) + 1;
        input.ReturnConsumedCapacity = 'INDEXES';
        request.body = JSON.stringify(input);
        request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
        const transactItems = command === 'TransactWriteItemsCommand' ? (input.TransactItems as TransactItem[]) : undefined;
        const before = transactItems ? await Promise.all(transactItems.map((item) => this.image(item))) : undefined;
        try {
          const result = await next(args);
          const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
          const reported = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
          if (READS.has(command)) {
            this.totals.localReportedReadUnits += reported;
            this.totals.readUnits += Math.max(reported, input.ConsistentRead ? 1 : 0.5);
          } else if (transactItems && before) {
            this.totals.localReportedWriteUnits += reported;
            const after = await Promise.all(
              transactItems.map((item) => (item.Put ? item.Put.Item : item.Update ? this.image(item) : undefined)),
            );
            const units = this.transactionUnits(transactItems, before, after);
            this.totals.writeUnitsByCommand[command] = (this.totals.writeUnitsByCommand[command] ?? 0) + units;
          } else {
            this.totals.localReportedWriteUnits += reported;
            const table = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.Table?.CapacityUnits ?? entry.CapacityUnits ?? 0), 0);
            this.totals.writeUnits += reported;
            this.totals.writeUnitsByCommand[command] = (this.totals.writeUnitsByCommand[command] ?? 0) + reported;
            this.totals.tableWriteUnits += table;
            this.totals.indexWriteUnits += reported - table;
          }
          return result;
        } catch (error) {
          if (!READS.has(command)) this.totals.failedWrites += 1;
          throw error;
        }
      },
      // At the build step the request is serialized: its body is the wire JSON, AttributeValues and all,
      // whether the call came through lib-dynamodb or the plain client (and it is signed after this).
      { step: 'build', priority: 'low', name: 'benchCapacityMeter' },
    );
  }

  private async image(item: TransactItem): Promise<Item | undefined> {
    const target = item.Put
      ? { TableName: item.Put.TableName, Key: keyOf(item.Put.Item) }
      : (item.Update ?? item.Delete ?? item.ConditionCheck);
    if (!target) return undefined;
    const { Item } = await this.imageClient.send(
      new GetItemCommand({ TableName: target.TableName, Key: target.Key, ConsistentRead: true }),
    );
    return Item;
  }

  private transactionUnits(items: TransactItem[], before: (Item | undefined)[], after: (Item | undefined)[]): number {
    let units = 0;
    this.totals.transactions += 1;
    this.totals.transactionItems += items.length;
    items.forEach((item, index) => {
      const old = before[index];
      const next = item.ConditionCheck ? old : after[index];
      const oldSize = old ? itemSize(old) : 0;
      const newSize = next ? itemSize(next) : 0;
      // Base table: 2 WRU per KB of the larger image, per item (a condition check too: AWS bills it as a write).
      const table = 2 * Math.max(1, kb(Math.max(oldSize, newSize)));
      let indexes = 0;
      if (!item.ConditionCheck) {
        for (const index of INDEXES) {
          const oldEntry = indexEntry(old, index);
          const newEntry = indexEntry(next, index);
          if (oldEntry && newEntry) {
            // Same key: the entry is rewritten if anything it holds changed; a moved key deletes and puts.
            if (oldEntry.key !== newEntry.key) indexes += kb(oldEntry.size) + kb(newEntry.size);
            else if (oldEntry.text !== newEntry.text) indexes += kb(Math.max(oldEntry.size, newEntry.size));
          } else if (newEntry) indexes += kb(newEntry.size);
          else if (oldEntry) indexes += kb(oldEntry.size);
        }
      }
      this.totals.tableWriteUnits += table;
      this.totals.indexWriteUnits += indexes;
      this.totals.writeUnits += table + indexes;
      units += table + indexes;
    });
    return units;
  }
}

/** The JSON body of a serialized DynamoDB request. */
export function requestInput(request: { body?: unknown }): Record<string, any> | undefined {
  const { body } = request;
  if (typeof body === 'string') return JSON.parse(body);
  if (body instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(body));
  return undefined;
}

const kb = (bytes: number) => Math.ceil(bytes / 1024);

function keyOf(item: Item): Item {
  return { pk: item.pk, sk: item.sk };
}

type IndexSpec = { partitionKey: string; sortKey: string; include?: readonly string[] };

/** An item's entry in an index (undefined when the index is sparse and the item is not in it): its key, what it holds and its size. */
function indexEntry(item: Item | undefined, index: IndexSpec): { key: string; text: string; size: number } | undefined {
  const pk = item?.[index.partitionKey]?.S;
  const sk = item?.[index.sortKey]?.S;
  if (!item || pk === undefined || sk === undefined) return undefined;
  const kept = index.include ? new Set(['pk', 'sk', index.partitionKey, index.sortKey, ...index.include]) : undefined;
  const entry = kept ? Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name))) : item;
  const text = JSON.stringify(
    Object.keys(entry)
      .sort()
      .map((name) => [name, entry[name]]),
  );
  return { key: `${pk}\u0000${sk}`, text, size: itemSize(entry) };
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** An item's size as DynamoDB counts it: attribute names plus values (AWS's published rules, approximately for numbers). */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/\./, '').replace(/^0+/, '').replace(/e.*$/i, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, entry) => sum + utf8(entry), 0);
  if (value.NS) return value.NS.reduce((sum, entry) => sum + numberSize(entry), 0);
  if (value.BS) return value.BS.reduce((sum, entry) => sum + entry.length, 0);
  if (value.L) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, entry]) => sum + 1 + utf8(name) + valueSize(entry), 0);
  return 0;
}

/**
 * Counts a client's DynamoDB calls by command, the time spent in them, and the transactions cancelled
 * by a conflict with another transaction on the same item (the store retries those).
 */
export class CallCounter {
  readonly calls: Record<string, number> = {};
  readonly ms: Record<string, number> = {};
  readonly errors: Record<string, number> = {};
  transactionConflicts = 0;

  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName ?? 'Unknown').replace(/Command$/, '');
        const started = performance.now();
        try {
          return await next(args);
        } catch (error) {
          const name = (error as Error).name;
          this.errors[name] = (this.errors[name] ?? 0) + 1;
          const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
          if (reasons.some((reason) => reason.Code === 'TransactionConflict')) this.transactionConflicts += 1;
          throw error;
        } finally {
          this.calls[command] = (this.calls[command] ?? 0) + 1;
          this.ms[command] = (this.ms[command] ?? 0) + (performance.now() - started);
        }
      },
      { step: 'initialize', priority: 'high', name: 'benchCallCounter' },
    );
  }

  total(): number {
    return Object.values(this.calls).reduce((sum, count) => sum + count, 0);
  }

  /** Calls and mean milliseconds per command, per `per` units of work (e.g. per report). */
  summary(per: number): Record<string, { calls: number; perUnit: number; meanMs: number }> {
    return Object.fromEntries(
      Object.entries(this.calls)
        .sort((a, b) => b[1] - a[1])
        .map(([command, count]) => [
          command,
          {
            calls: count,
            perUnit: Math.round((count / Math.max(per, 1)) * 100) / 100,
            meanMs: Math.round((this.ms[command] / count) * 10) / 10,
          },
        ]),
    );
  }
}
