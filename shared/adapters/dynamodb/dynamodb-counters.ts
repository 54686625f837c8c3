/** Counters on the table: a scope's day is split into small items (see table-design.ts); a period is one Query. */
import type { CounterScope, DayCounts } from '../../domain/counters';
import type { CounterStore } from '../../ports/counters';
import { CorruptRecord } from '../../domain/errors';
import type { SingleTable } from './single-table';
import { keys } from './table-design';

export class DynamoDbCounterStore implements CounterStore {
  constructor(private readonly table: SingleTable) {}

  async read(scope: CounterScope, fromDay: string, toDay: string): Promise<DayCounts[]> {
    const range = keys.counterDays(scope.kind, scope.code, fromDay, toDay);
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
    });
    // The day's parts, merged back into one set of counts per day.
    const days = new Map<string, Record<string, number>>();
    for (const { pk, sk, itemType: _type, scope: _scope, day: _day, ...counts } of items) {
      for (const [name, value] of Object.entries(counts)) {
        if (typeof value !== 'number') throw new CorruptRecord(`counters ${String(pk)} / ${String(sk)}`, `${name} is not a number`);
      }
      const day = keys.counterDayOf(String(sk));
      days.set(day, Object.assign(days.get(day) ?? {}, counts as Record<string, number>));
    }
    return [...days].map(([day, counts]) => ({ day, counts }));
  }
}
