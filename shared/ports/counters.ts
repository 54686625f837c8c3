/** Per-day counters kept for a unit, a department team or a person; reports read these instead of cases. */

export interface CounterIncrement {
  /** A unit (and every unit above the grid), a department team (`<unit>:<department>`), or a person (a grid worker's scorecard). */
  scope: CounterScope;
  /** 'YYYY-MM-DD' in Asia/Shanghai. */
  day: string;
  counts: Record<string, number>;
}

export interface CounterScope {
  kind: 'unit' | 'department' | 'person';
  code: string;
}

export interface DayCounts {
  day: string;
  counts: Record<string, number>;
}

/** Counters are written with the change that causes them (CaseStore.apply, FieldWorkStore.savePatrol); this port reads them. */
export interface CounterStore {
  /** The scope's counters of each day from `fromDay` to `toDay` (inclusive) that has any, by day. */
  read(scope: CounterScope, fromDay: string, toDay: string): Promise<DayCounts[]>;
}
