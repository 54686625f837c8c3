/** Reading the per-day counters (shared/domain/counters.ts) kept for a unit, a department team or a person. */
import type { CounterScope, DayCounts } from '../domain/counters';

/** Counters are written with the change that causes them (CaseStore.apply, FieldWorkStore.savePatrol); this port reads them. */
export interface CounterStore {
  /** The scope's counters of each day from `fromDay` to `toDay` (inclusive) that has any, by day. */
  read(scope: CounterScope, fromDay: string, toDay: string): Promise<DayCounts[]>;
  /** The scope's standing counts (STANDING, e.g. `open`: its cases open now). */
  standing(scope: CounterScope): Promise<Record<string, number>>;
  /**
   * Keeps each finished day from `fromDay` to `toDay` in as few records as it can, so that reading a period costs
   * about one record a day: never changes what `read` returns, whatever is written meanwhile, and may be run
   * again (and at once by two) with the same result. Returns how many records it folded away.
   */
  fold(scope: CounterScope, fromDay: string, toDay: string): Promise<number>;
}
