/**
 * Reports (日汇总, 周研判, 月通报, 季分析) for a unit or a department team over a period, built from the
 * per-day counters and a few small indexed queries (open cases, the overdue list) — never by reading
 * all cases, so a report costs about the same for a thousand cases as for a million.
 */
import { cellCentre } from '../../domain/geohash';
import { daysIn, monthsOf, previousPeriod, type Period, type ReportKind } from '../../domain/periods';
import type { CounterIncrement } from '../../domain/counters';
import {
  TOTALS,
  type RankRow,
  type Rates,
  type Report,
  type ReportScope,
  type Scorecard,
  type Total,
  type Totals,
} from '../../domain/reports';
import { accountabilityFlags, grade, onTimeFigures, onTimeRate, satisfaction, score, type Performance } from '../../domain/scoring';
import type { Case } from '../../domain/types';
import { teamCode } from '../../domain/routing';
import { districtOf } from '../../domain/unit-codes';
import type { CoreDependencies } from '../dependencies';

/** What building a report reads: counters (the open count among them), the overdue cases, the directory and the catalog. */
export type ReportDeps = Pick<CoreDependencies, 'counters' | 'cases' | 'directory' | 'catalog' | 'clock'>;

type Day = { day: string; counts: Record<string, number> };

export async function buildReport(deps: ReportDeps, kind: ReportKind, scope: ReportScope, period: Period): Promise<Report> {
  // Every read at once: they do not depend on each other, and the bulletin's are many (each team and unit).
  const previous = kind === 'daily' ? undefined : previousPeriod(period);
  const ranked = scope.kind === 'unit' && (kind === 'monthly' || kind === 'quarterly');
  const [days, overdue, standing, before, departments, units, cards] = await Promise.all([
    deps.counters.read(counterScope(scope), period.from, period.to),
    overdueCases(deps, scope),
    scope.kind === 'unit' ? deps.counters.standing(counterScope(scope)) : undefined,
    previous ? deps.counters.read(counterScope(scope), previous.from, previous.to) : undefined,
    ranked ? rankDepartments(deps, scope.code, period) : undefined,
    ranked ? rankUnits(deps, scope.code, period) : undefined,
    ranked && scope.kind === 'unit' && scope.level !== 'district' ? scorecards(deps, scope.code, period) : undefined,
  ]);
  const counts = sumDays(days);
  const totals = totalsOf(counts);
  const report: Report = {
    kind,
    scope,
    period,
    generatedAt: deps.clock.now().toISOString(),
    totals,
    rates: ratesOf(totals, scope.kind === 'unit' ? gridCount(deps, scope.code) * daysIn(period) : undefined),
    byClass: breakdown(
      counts,
      deps.catalog.classes.map((entry) => ({ code: entry.code, name: entry.name })),
    ),
    byItem: breakdown(
      counts,
      deps.catalog.allItems().map((item) => ({ code: item.code, name: item.name })),
    ),
    overdueList: overdue.map(summaryOf),
  };
  if (standing) {
    report.open = standing.open ?? 0;
    report.patrol = { gridDays: gridCount(deps, scope.code) * daysIn(period), patrolledGridDays: totals.patrolledGrids };
  }
  if (!previous || !before) return report;

  report.hotspots = hotspots(deps, counts);
  report.change = { previous: previous.label, totals: change(totals, totalsOf(sumDays(before))) };
  if (kind === 'weekly') return report;

  if (departments && units) {
    report.rankings = { departments, units };
    if (cards) report.scorecards = cards;
  }
  if (kind === 'quarterly') {
    report.months = monthsOf(period).map((month) => {
      const monthTotals = totalsOf(sumDays(days.filter((entry) => entry.day >= month.from && entry.day <= month.to)));
      return {
        period: month.label,
        totals: monthTotals,
        rates: ratesOf(monthTotals, scope.kind === 'unit' ? gridCount(deps, scope.code) * daysIn(month) : undefined),
      };
    });
  }
  return report;
}

function counterScope(scope: ReportScope): CounterIncrement['scope'] {
  return { kind: scope.kind, code: scope.code };
}

function sumDays(days: Day[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { counts: day } of days)
    for (const [key, value] of Object.entries(day)) if (typeof value === 'number') counts[key] = (counts[key] ?? 0) + value;
  return counts;
}

function totalsOf(counts: Record<string, number>): Totals {
  return Object.fromEntries(TOTALS.map((name) => [name, counts[name] ?? 0])) as Totals;
}

export function performanceOf(
  totals: Pick<Totals, 'handledOnTime' | 'overdue' | 'extended' | 'returned' | 'reworked' | 'notAcknowledged' | 'rated' | 'ratingTotal'>,
): Performance {
  return {
    ...onTimeFigures(totals),
    overdue: totals.overdue,
    returned: totals.returned,
    reworked: totals.reworked,
    notAcknowledged: totals.notAcknowledged,
    rated: totals.rated,
    ratingTotal: totals.ratingTotal,
  };
}

function ratesOf(totals: Totals, gridDays: number | undefined): Rates {
  const performance = performanceOf(totals);
  const rates: Rates = {};
  const rate = onTimeRate(performance);
  if (rate !== undefined) rates.onTimeClosure = round(rate);
  const rating = satisfaction(performance);
  if (rating !== undefined) rates.satisfaction = round(rating);
  if (gridDays) rates.patrolCoverage = round((100 * totals.patrolledGrids) / gridDays);
  return rates;
}

function breakdown(counts: Record<string, number>, entries: { code: string; name: string }[]) {
  return entries
    .map(({ code, name }) => ({
      code,
      name,
      reported: counts[`reported@${code}`] ?? 0,
      closed: counts[`closed@${code}`] ?? 0,
      overdue: counts[`overdue@${code}`] ?? 0,
    }))
    .filter((entry) => entry.reported || entry.closed || entry.overdue);
}

function hotspots(deps: ReportDeps, counts: Record<string, number>): Report['hotspots'] {
  const items = deps.catalog.allItems();
  const topItems = items
    .map((item) => ({ code: item.code, name: item.name, reported: counts[`reported@${item.code}`] ?? 0 }))
    .filter((entry) => entry.reported > 0)
    .sort((a, b) => b.reported - a.reported || a.code.localeCompare(b.code))
    .slice(0, 10);
  const grids = new Set(
    Object.keys(counts)
      .filter((key) => key.includes('@g:'))
      .map((key) => key.split('@g:')[1]),
  );
  const topGrids = [...grids]
    .map((code) => ({
      code,
      name: deps.directory.unit(code)?.name ?? code,
      reported: counts[`reported@g:${code}`] ?? 0,
      overdue: counts[`overdue@g:${code}`] ?? 0,
    }))
    .sort((a, b) => b.reported - a.reported || b.overdue - a.overdue || a.code.localeCompare(b.code))
    .slice(0, 10);
  const repeatedPlaces = Object.entries(counts)
    .filter(([key, value]) => key.startsWith('reported@cell:') && value >= 3)
    .map(([key, reports]) => {
      const [, itemCode, cell] = key.split(':');
      return { itemCode, itemName: deps.catalog.item(itemCode)?.name ?? itemCode, cell, ...cellCentre(cell), reports };
    })
    .sort((a, b) => b.reports - a.reports || a.cell.localeCompare(b.cell));
  return { topItems, topGrids, repeatedPlaces };
}

function change(current: Totals, previous: Totals): NonNullable<Report['change']>['totals'] {
  const shown: Total[] = ['reported', 'closed', 'closedOnTime', 'overdue', 'returned', 'throughTrain'];
  return Object.fromEntries(
    shown.map((name) => [
      name,
      {
        current: current[name],
        previous: previous[name],
        ...(previous[name] ? { percent: round((100 * (current[name] - previous[name])) / previous[name]) } : {}),
      },
    ]),
  );
}

async function rankDepartments(deps: ReportDeps, unit: string, period: Period): Promise<RankRow[]> {
  const rows = await Promise.all(
    [...departmentTeams(deps, unit)].map(async ([code, name]) =>
      rankRow(code, name, await deps.counters.read({ kind: 'department', code }, period.from, period.to)),
    ),
  );
  return sortRanking(rows.filter((row) => row.due > 0 || row.totals.returned > 0));
}

/** Every department team working in the unit, by counter code (`<unit>:<department>`): the district's bureaus and the streets' teams. */
export function departmentTeams(deps: Pick<ReportDeps, 'directory'>, unit: string): Map<string, string> {
  const district = districtOf(unit);
  const teams = new Map<string, string>();
  for (const department of deps.directory.allDepartments()) teams.set(teamCode(district, department.code), department.name);
  for (const town of deps.directory
    .allUnits()
    .filter((candidate) => candidate.level === 'town' && (candidate.code.startsWith(unit) || unit.startsWith(candidate.code)))) {
    for (const department of deps.directory.allDepartments()) {
      const head = deps.directory.departmentHead(department.code, town.code);
      if (head) teams.set(teamCode(town.code, department.code), head.name.replace(/负责人$/, ''));
    }
  }
  return teams;
}

async function rankUnits(deps: ReportDeps, unit: string, period: Period): Promise<RankRow[]> {
  const children = deps.directory.children(unit);
  const rows = await Promise.all(
    children.map(async (child) =>
      rankRow(child.code, child.name, await deps.counters.read({ kind: 'unit', code: child.code }, period.from, period.to)),
    ),
  );
  return sortRanking(rows);
}

function rankRow(code: string, name: string, days: Day[]): RankRow {
  const totals = totalsOf(sumDays(days));
  const performance = performanceOf(totals);
  const value = score(performance);
  const { handled, handledOnTime, overdue, extended, returned, reworked, throughTrain, notAcknowledged, rated } = totals;
  return {
    code,
    name,
    totals: { handled, handledOnTime, overdue, extended, returned, reworked, throughTrain, notAcknowledged, rated },
    due: performance.due,
    rates: ratesOf(totals, undefined),
    ...(value !== undefined ? { score: value, grade: grade(value) } : {}),
    flags: accountabilityFlags(performance),
  };
}

/** Best first: by on-time closure rate, then score; those with nothing due last. */
function sortRanking(rows: RankRow[]): RankRow[] {
  return rows.sort(
    (a, b) =>
      (b.rates.onTimeClosure ?? -1) - (a.rates.onTimeClosure ?? -1) || (b.score ?? -1) - (a.score ?? -1) || a.code.localeCompare(b.code),
  );
}

async function scorecards(deps: ReportDeps, unit: string, period: Period): Promise<Scorecard[]> {
  const workers = deps.directory
    .allUnits()
    .filter((candidate) => candidate.level === 'grid' && candidate.code.startsWith(unit))
    .flatMap((grid) => deps.directory.gridWorkers(grid.code));
  return Promise.all(
    workers.map(async (worker) =>
      scorecardOf(worker, sumDays(await deps.counters.read({ kind: 'person', code: worker.id }, period.from, period.to))),
    ),
  );
}

/** A grid worker's scorecard from their own counters over the period; the on-time rate is the bulletin's rule. */
export function scorecardOf(worker: { id: string; name: string; unit: string }, counts: Record<string, number>): Scorecard {
  const rate = onTimeRate(onTimeFigures(counts));
  return {
    person: worker.id,
    name: worker.name,
    grid: worker.unit,
    validReports: (counts.reported ?? 0) - (counts.duplicates ?? 0) - (counts.voided ?? 0),
    voidedReports: (counts.duplicates ?? 0) + (counts.voided ?? 0),
    handled: counts.handled ?? 0,
    handledOnTime: counts.handledOnTime ?? 0,
    ...(rate !== undefined ? { onTimeRate: round(rate) } : {}),
    patrols: counts.patrols ?? 0,
  };
}

async function overdueCases(deps: ReportDeps, scope: ReportScope): Promise<Case[]> {
  if (scope.kind === 'unit') return (await deps.cases.list({ unitPrefix: scope.code, status: 'open', overdue: true, limit: 100 })).items;
  const [unit, department] = scope.code.split(':');
  return (
    await deps.cases.list({
      unitPrefix: districtOf(unit),
      status: 'open',
      overdue: true,
      limit: 100,
      involvedDepartments: [teamCode(unit, department)],
    })
  ).items.filter(
    (theCase) => theCase.assignee?.type === 'department' && theCase.assignee.id === department && theCase.assignee.unit === unit,
  );
}

function summaryOf(theCase: Case): Report['overdueList'][number] {
  return {
    id: theCase.id,
    itemCode: theCase.itemCode,
    gridCode: theCase.gridCode,
    severity: theCase.severity,
    tier: theCase.tier,
    assignee: theCase.assignee?.name,
    deadlineAt: theCase.deadlineAt,
  };
}

function gridCount(deps: ReportDeps, unit: string): number {
  return deps.directory.allUnits().filter((candidate) => candidate.level === 'grid' && candidate.code.startsWith(unit)).length;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
