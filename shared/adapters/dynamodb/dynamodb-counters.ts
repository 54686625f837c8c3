/** Counters on the table: a scope's day is split into small items, each spread over shards (see table-design.ts); a period is one Query. */
import type { CounterScope, DayCounts } from '../../domain/counters';
import type { CounterStore } from '../../ports/counters';
import { CorruptRecord } from '../../domain/errors';
import { conditionFailed, MAX_TRANSACTION_ITEMS, type Item, type SingleTable, type TransactItem } from './single-table';
import { FOLDED_ITEM_MAX_BYTES, keys, WRITES } from './table-design';

/** A fold of a day that found its items changed since it read them reads them again, this many times at most. */
const FOLD_ATTEMPTS = 5;

export class DynamoDbCounterStore implements CounterStore {
  constructor(private readonly table: SingleTable) {}

  async read(scope: CounterScope, fromDay: string, toDay: string): Promise<DayCounts[]> {
    const range = keys.counterDays(scope.kind, scope.code, fromDay, toDay);
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
    });
    // The day's folded item, parts and their shards, summed back into one set of counts per day.
    const days = new Map<string, Record<string, number>>();
    for (const item of items) {
      const day = keys.counterDayOf(String(item.sk));
      days.set(day, addCounts(days.get(day) ?? {}, item));
    }
    return [...days].map(([day, counts]) => ({ day, counts }));
  }

  async standing(scope: CounterScope): Promise<Record<string, number>> {
    const { pk, prefix } = keys.standingPrefix(scope.kind, scope.code);
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    });
    return items.reduce<Record<string, number>>((sums, item) => addCounts(sums, item), {});
  }

  async fold(scope: CounterScope, fromDay: string, toDay: string): Promise<number> {
    // Keys only, to find the days that have anything besides their folded item.
    const range = keys.counterDays(scope.kind, scope.code, fromDay, toDay);
    const listed = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    const days = new Set(
      listed.map((item) => String(item.sk)).flatMap((sk) => (sk.length > 'DAY#YYYY-MM-DD'.length ? [keys.counterDayOf(sk)] : [])),
    );
    let moved = 0;
    for (const day of days) {
      const folded = await this.foldDay(scope, day);
      moved += folded;
    }
    return moved;
  }

  /** Moves the day's items into its folded item, at most 99 a transaction, until none is left or the item is full. */
  private async foldDay(scope: CounterScope, day: string): Promise<number> {
    const folded = keys.foldedDay(scope.kind, scope.code, day);
    let moved = 0;
    for (let failed = 0; failed < FOLD_ATTEMPTS; ) {
      const items = await this.table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': folded.pk, ':day': folded.sk },
        ConsistentRead: true,
      });
      const current = items.find((item) => item.sk === folded.sk);
      let sums = current ? addCounts({}, current) : {};
      const batch: Item[] = [];
      for (const item of items) {
        if (item === current) continue;
        if (batch.length === MAX_TRANSACTION_ITEMS - 1) break;
        const next = addCounts({ ...sums }, item);
        if (countsBytes(next) > FOLDED_ITEM_MAX_BYTES) break;
        sums = next;
        batch.push(item);
      }
      if (batch.length === 0) return moved;
      const transaction: TransactItem[] = [
        {
          Put: {
            TableName: this.table.name,
            Item: {
              ...sums,
              ...folded,
              itemType: 'counters',
              scope: `${scope.kind}:${scope.code}`,
              day,
              [WRITES]: writesOf(current) + 1,
            },
            ...asRead(current),
          },
        },
        ...batch.map(
          (item): TransactItem => ({ Delete: { TableName: this.table.name, Key: { pk: item.pk, sk: item.sk }, ...asRead(item) } }),
        ),
      ];
      try {
        await this.table.transact(transaction, (reasons) => {
          if (reasons.some(conditionFailed)) throw new ChangedSinceRead();
        });
        moved += batch.length;
      } catch (error) {
        // A change (or another fold) wrote one of the items since they were read: read them again.
        if (!(error instanceof ChangedSinceRead)) throw error;
        failed += 1;
      }
    }
    return moved;
  }
}

class ChangedSinceRead extends Error {}

/** The condition that an item is still as read: written as often (or absent, when it was). */
function asRead(item: Item | undefined): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
} {
  if (!item) return { ConditionExpression: 'attribute_not_exists(pk)' };
  // Items written before `writes` was counted have none: any write since gives them one.
  if (typeof item[WRITES] !== 'number')
    return {
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#writes)',
      ExpressionAttributeNames: { '#writes': WRITES },
    };
  return {
    ConditionExpression: '#writes = :writes',
    ExpressionAttributeNames: { '#writes': WRITES },
    ExpressionAttributeValues: { ':writes': item[WRITES] },
  };
}

function writesOf(item: Item | undefined): number {
  return typeof item?.[WRITES] === 'number' ? item[WRITES] : 0;
}

/** About what DynamoDB bills the counts as (attribute names in UTF-8, a number about a byte per two digits, plus one). */
function countsBytes(counts: Record<string, number>): number {
  let bytes = 200;
  for (const [name, value] of Object.entries(counts)) bytes += Buffer.byteLength(name) + 2 + Math.ceil(String(value).length / 2);
  return bytes;
}

/** Adds a counter item's counts (every attribute but its keys, labels and write count) to `sums`. */
function addCounts(sums: Record<string, number>, item: Item): Record<string, number> {
  const { pk, sk, itemType: _type, scope: _scope, day: _day, [WRITES]: _writes, ...counts } = item;
  for (const [name, value] of Object.entries(counts)) {
    if (typeof value !== 'number') throw new CorruptRecord(`counters ${String(pk)} / ${String(sk)}`, `${name} is not a number`);
    sums[name] = (sums[name] ?? 0) + value;
  }
  return sums;
}
