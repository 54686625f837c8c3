/** Counters in memory: what the stores' changes added, read back per day. */
import { STANDING, type CounterScope, type DayCounts } from '../../domain/counters';
import type { CounterStore } from '../../ports/counters';
import { copy, type MemoryTable } from './memory-table';

export class MemoryCounterStore implements CounterStore {
  constructor(private readonly table: MemoryTable) {}

  async read(scope: CounterScope, fromDay: string, toDay: string): Promise<DayCounts[]> {
    const days = this.table.counters.scopes.get(`${scope.kind}#${scope.code}`) ?? new Map<string, Record<string, number>>();
    return [...days]
      .filter(([day]) => day !== STANDING && day >= fromDay && day <= toDay)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, counts]) => ({ day, counts: copy(counts) }));
  }

  async standing(scope: CounterScope): Promise<Record<string, number>> {
    return copy(this.table.counters.scopes.get(`${scope.kind}#${scope.code}`)?.get(STANDING) ?? {});
  }

  /** A day is one record here already. */
  async fold(_scope: CounterScope, _fromDay: string, _toDay: string): Promise<number> {
    return 0;
  }
}
