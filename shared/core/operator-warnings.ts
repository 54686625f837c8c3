/**
 * What an operator must see to (GET /health's `warnings`): no reference data yet (a new deployment), or a year whose
 * holiday arrangement is missing and due.
 */
import { DomainError } from '../domain/errors';
import { missingCalendarYear } from '../domain/reference-documents';
import type { CoreDependencies } from './dependencies';

export type OperatorWarning =
  | { code: 'calendar_year_missing'; year: number; message: string }
  | { code: 'reference_missing'; message: string };

/** What the sweeper logs (as a warning) at each run while a due year's arrangement is missing: the operators' alarm counts it. */
export const CALENDAR_YEAR_MISSING_LOG = 'The holiday arrangement of a due year is missing';

/** Logs the warnings an alarm watches for (the sweeper, each run). */
export function logOperatorWarnings(deps: Pick<CoreDependencies, 'clock' | 'calendarYears' | 'logger'>): OperatorWarning[] {
  const warnings = operatorWarnings(deps);
  for (const warning of warnings)
    if (warning.code === 'calendar_year_missing')
      deps.logger.warn(CALENDAR_YEAR_MISSING_LOG, { year: warning.year, detail: warning.message });
  return warnings;
}

export function operatorWarnings(deps: Pick<CoreDependencies, 'clock' | 'calendarYears'>): OperatorWarning[] {
  let years: readonly number[] | undefined;
  try {
    years = deps.calendarYears;
  } catch (error) {
    // The composition has no reference version to read: the service runs, but serves no case until one is applied.
    if (error instanceof DomainError && error.code === 'reference_missing') return [{ code: 'reference_missing', message: error.message }];
    throw error;
  }
  if (!years) return [];
  const year = missingCalendarYear(deps.clock.now(), years);
  if (year === undefined) return [];
  return [
    {
      code: 'calendar_year_missing',
      year,
      message: `The ${year} holiday arrangement (节假日安排) is missing: deadlines over ${year} are counted on a plain week until an administrator adds it (the State Council publishes it each November)`,
    },
  ];
}
