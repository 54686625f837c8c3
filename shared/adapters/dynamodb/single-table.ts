/**
 * The one DynamoDB table every store writes (see table-design.ts): reads and writes with the table's name
 * filled in, the one retry policy for transactions, and the one check for a failed condition.
 */
import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { withRetries, type RetryPolicy } from '../../domain/retry';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
export type CancellationReason = { Code?: string };
export type Item = Record<string, unknown>;
type WithoutTable<T> = Omit<T, 'TableName'>;

/**
 * A transaction cancelled only because another one touched the same items at that moment is tried again
 * (DynamoDB does not retry a TransactionConflict; see DESIGN.md). Hot items — a grid's patrol counters, a
 * campaign's list entry, a busy unit's day — can collide many times in a burst, hence a dozen tries with
 * a jittered exponential wait capped at 400 ms.
 */
export const TRANSACTION_CONFLICT_RETRY: RetryPolicy = {
  name: 'transaction-conflict',
  retries: 12,
  /** The wait before try `attempt + 1` (attempt 0 is the first failure): full jitter on 10 ms × 2^attempt. */
  delayMs: (attempt: number) => Math.random() * Math.min(400, 10 * 2 ** attempt),
};

/** One update per item: a transaction may not touch an item twice, nor hold more than this many. */
export const MAX_TRANSACTION_ITEMS = 100;

/** The reasons a transaction was cancelled, or undefined if the error is something else. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof TransactionCanceledException) && (error as Error)?.name !== 'TransactionCanceledException') return undefined;
  return (error as TransactionCanceledException).CancellationReasons ?? [];
}

/** Cancelled only because another transaction touched the same items at the same moment. */
export function isConflictOnly(reasons: CancellationReason[]): boolean {
  return (
    reasons.some((reason) => reason.Code === 'TransactionConflict') &&
    reasons.every((reason) => !reason.Code || reason.Code === 'None' || reason.Code === 'TransactionConflict')
  );
}

export function conditionFailed(reason: CancellationReason | undefined): boolean {
  return reason?.Code === 'ConditionalCheckFailed';
}

/** Epoch seconds, as the table's TTL attribute holds them. */
export function ttlOf(expiresAt: Date): number {
  return Math.floor(expiresAt.getTime() / 1000);
}

export class SingleTable {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly name: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(key: Item, consistent = false): Promise<Item | undefined> {
    const input: GetCommandInput = { TableName: this.name, Key: key, ...(consistent ? { ConsistentRead: true } : {}) };
    return (await this.documents.send(new GetCommand(input))).Item;
  }

  async put(input: WithoutTable<PutCommandInput>): Promise<void> {
    await this.documents.send(new PutCommand({ ...input, TableName: this.name }));
  }

  async update(input: WithoutTable<UpdateCommandInput>): Promise<UpdateCommandOutput> {
    return this.documents.send(new UpdateCommand({ ...input, TableName: this.name }));
  }

  async delete(input: WithoutTable<DeleteCommandInput>): Promise<void> {
    await this.documents.send(new DeleteCommand({ ...input, TableName: this.name }));
  }

  /** Runs a conditional write: false when its condition fails, true when it is written. */
  async ifCondition(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async query(input: WithoutTable<QueryCommandInput>): Promise<QueryCommandOutput> {
    return this.documents.send(new QueryCommand({ ...input, TableName: this.name }));
  }

  /** Every item a query matches, page after page (for small partitions: a timeline, a month of counters). */
  async queryAll(input: WithoutTable<QueryCommandInput>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.query({ ...input, ExclusiveStartKey: startKey });
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Writes the items in one transaction. When it is cancelled,
   * `onCancelled` sees the reasons first (and may throw what they mean: a version conflict, a taken key);
   * then a cancellation by conflicts only is retried by TRANSACTION_CONFLICT_RETRY, anything else thrown.
   */
  async transact(items: TransactItem[], onCancelled?: (reasons: CancellationReason[]) => void): Promise<void> {
    if (items.length > MAX_TRANSACTION_ITEMS)
      throw new Error(`A change of ${items.length} items is over DynamoDB's ${MAX_TRANSACTION_ITEMS} items per transaction`);
    await withRetries(
      TRANSACTION_CONFLICT_RETRY,
      async () => {
        try {
          await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (reasons) onCancelled?.(reasons);
          throw error;
        }
      },
      (error) => {
        const reasons = cancellationReasons(error);
        return reasons !== undefined && isConflictOnly(reasons);
      },
    );
  }
}
