/** GET /reports/{kind}: the report a caller asks for — of a scope the caller may see, for the period asked (the last complete one by default). */
import type { Caller } from '../../domain/caller';
import { badRequest } from '../../domain/errors';
import { localDate } from '../../domain/calendar';
import { parseAskedPeriod, PeriodError, type Period, type ReportKind } from '../../domain/periods';
import type { Report } from '../../domain/reports';
import { lastCompletePeriod, type ReportReadingDeps, reportFor } from './published-reports';
import { reportScope } from './report-scope';

export interface ReportAsked {
  unit?: string;
  department?: string;
  /** 2026-11-26, 2026-W48, 2026-11 or 2026-Q4, as the kind wants it. */
  period?: string;
}

export async function getReport(deps: ReportReadingDeps, caller: Caller, kind: ReportKind, asked: ReportAsked): Promise<Report> {
  const scope = reportScope(deps, caller, asked);
  return reportFor(deps, kind, scope, periodAsked(kind, asked.period, deps.clock.now()));
}

function periodAsked(kind: ReportKind, label: string | undefined, now: Date): Period {
  if (!label) return lastCompletePeriod(kind, now);
  try {
    return parseAskedPeriod(kind, label, localDate(now));
  } catch (error) {
    if (error instanceof PeriodError) throw badRequest(`period: ${error.message}`, [{ field: 'period', message: error.message }]);
    throw error;
  }
}
