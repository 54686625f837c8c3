/**
 * What a report (日汇总, 周研判, 月通报, 季分析) holds: built by the core (shared/core/reports/build-report.ts),
 * stored by the published-reports port and rendered by the presenters.
 */
import { COUNTER_NAMES } from './counters';
import type { Period, ReportKind } from './periods';
import type { AccountabilityFlag, Grade } from './scoring';
import type { UnitLevel } from './types';

/** The figures a report totals: every case counter, and the patrol counters (shared/core/patrols.ts). */
export const TOTALS = [...COUNTER_NAMES.filter((name) => name !== 'smsFailed'), 'patrols', 'patrolledGrids'] as const;
export type Total = (typeof TOTALS)[number];
export type Totals = Record<Total, number>;

export interface ReportScope {
  kind: 'unit' | 'department';
  /** A unit code, or a department team `<unit>:<department>`. */
  code: string;
  name: string;
  level?: UnitLevel;
}

export interface Rates {
  /** On time / (due − approved extensions), percent. */
  onTimeClosure?: number;
  /** Average rating 1–5. */
  satisfaction?: number;
  /** Grids patrolled / grid-days, percent (units only). */
  patrolCoverage?: number;
}

export interface RankRow {
  code: string;
  name: string;
  totals: Pick<
    Totals,
    'handled' | 'handledOnTime' | 'overdue' | 'extended' | 'returned' | 'reworked' | 'throughTrain' | 'notAcknowledged' | 'rated'
  >;
  due: number;
  rates: Rates;
  score?: number;
  grade?: Grade;
  flags: AccountabilityFlag[];
}

export interface Scorecard {
  person: string;
  name: string;
  grid: string;
  validReports: number;
  voidedReports: number;
  handled: number;
  handledOnTime: number;
  onTimeRate?: number;
  patrols: number;
}

export interface Report {
  kind: ReportKind;
  scope: ReportScope;
  period: Period;
  generatedAt: string;
  totals: Totals;
  rates: Rates;
  /** Open cases now (units only). */
  open?: number;
  byClass: { code: string; name: string; reported: number; closed: number; overdue: number }[];
  byItem: { code: string; name: string; reported: number; closed: number; overdue: number }[];
  overdueList: { id: string; itemCode: string; gridCode: string; severity: number; tier: string; assignee?: string; deadlineAt?: string }[];
  patrol?: { gridDays: number; patrolledGridDays: number };
  hotspots?: {
    topItems: { code: string; name: string; reported: number }[];
    topGrids: { code: string; name: string; reported: number; overdue: number }[];
    /** Places (a ~150 m cell) where one item was reported three times or more. */
    repeatedPlaces: { itemCode: string; itemName: string; cell: string; lat: number; lng: number; reports: number }[];
  };
  change?: { previous: string; totals: Partial<Record<Total, { current: number; previous: number; percent?: number }>> };
  rankings?: { departments: RankRow[]; units: RankRow[] };
  scorecards?: Scorecard[];
  months?: { period: string; totals: Totals; rates: Rates }[];
}

/**
 * The command center's page of a report, as the "report ready" SMS links it: `<site>/#/reports/<kind>/<unit>/<period>`
 * (the app shows the sign-in first when it must, then the report). Short, as SMS are paid by the part; the hash keeps
 * it off the server. Kinds, unit codes and period labels need no escaping.
 */
export function reportPageLink(siteUrl: string, report: { kind: string; unit: string; period: string }): string {
  return `${siteUrl.replace(/\/+$/, '')}/#/reports/${report.kind}/${report.unit}/${report.period}`;
}
