/**
 * The nightly fold: a finished day's counters are kept in as few records as the store can (CounterStore.fold),
 * so that a monthly bulletin reads about one record per day and scope instead of one per counter shard. Run for
 * every scope a report reads — units, the bulletin's department teams, grid workers (scorecards) — over the last
 * FOLD_DAYS finished days: a patrol may be recorded up to PATROL_MAX_LATE_DAYS (7) days late and its counts go to its own day, and a
 * night the job did not run is made good by the next. A scope it does not know (a person who left) stays
 * unfolded, which only costs its reader time: the fold never changes a figure.
 */
import { localDate } from '../domain/calendar';
import type { CounterScope } from '../domain/counters';
import type { CoreDependencies } from './dependencies';
import { PATROL_MAX_LATE_DAYS } from './patrols';
import { departmentTeams } from './reports/build-report';

/** Yesterday and the days before it a patrol may still be logged for (its counts go to its own day). */
export const FOLD_DAYS = PATROL_MAX_LATE_DAYS + 1;
/** Scopes folded at once. */
const CONCURRENCY = 4;

/** Folds the last FOLD_DAYS finished days (before `at`'s) of every scope reports read; returns how many records it folded away. */
export async function foldFinishedDays(deps: Pick<CoreDependencies, 'counters' | 'directory'>, at: Date): Promise<number> {
  const day = (daysBack: number) => localDate(new Date(at.getTime() - daysBack * 86_400_000));
  return foldDays(deps, day(FOLD_DAYS), day(1));
}

/** Folds the days from `fromDay` to `toDay` (finished ones: today's counters are still being written) of every scope reports read. */
export async function foldDays(deps: Pick<CoreDependencies, 'counters' | 'directory'>, fromDay: string, toDay: string): Promise<number> {
  const scopes = counterScopes(deps);
  let next = 0;
  let folded = 0;
  const worker = async () => {
    while (next < scopes.length) {
      // Not `folded += await …`: that would read `folded` before another worker's addition.
      const moved = await deps.counters.fold(scopes[next++], fromDay, toDay);
      folded += moved;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return folded;
}

function counterScopes(deps: Pick<CoreDependencies, 'directory'>): CounterScope[] {
  const units = deps.directory.allUnits();
  return [
    ...units.map((unit): CounterScope => ({ kind: 'unit', code: unit.code })),
    ...deps.directory
      .districts()
      .flatMap((district) => [...departmentTeams(deps, district).keys()].map((code): CounterScope => ({ kind: 'department', code }))),
    ...units
      .filter((unit) => unit.level === 'grid')
      .flatMap((grid) => deps.directory.gridWorkers(grid.code))
      .map((worker): CounterScope => ({ kind: 'person', code: worker.id })),
  ];
}
