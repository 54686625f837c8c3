/** Counters on the table: a scope's day is split into small items, each spread over shards (see table-design.ts); a period is one Query. */
import type { CounterScope, DayCounts } from '../../domain/counters';
import type { CounterStore } from '../../ports/counters';
import { CorruptRecord } from '../../domain/errors';
import type { Item, SingleTable } from './single-table';
import { keys } from './table-design';

export class DynamoDbCounterStore implements CounterStore {
  constructor(private readonly table: SingleTable) {}

  async read(scope: CounterScope, fromDay: string, toDay: string): Promise<DayCounts[]> {
    const range = keys.counterDays(scope.kind, scope.code, fromDay, toDay);
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
    });
    // The day's parts and their shards, summed back into one set of counts per day.
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
}

/** Adds a counter item's counts (every attribute but its keys and labels) to `sums`. */
function addCounts(sums: Record<string, number>, item: Item): Record<string, number> {
  const { pk, sk, itemType: _type, scope: _scope, day: _day, ...counts } = item;
  for (const [name, value] of Object.entries(counts)) {
    if (typeof value !== 'number') throw new CorruptRecord(`counters ${String(pk)} / ${String(sk)}`, `${name} is not a number`);
    sums[name] = (sums[name] ?? 0) + value;
  }
  return sums;
}
