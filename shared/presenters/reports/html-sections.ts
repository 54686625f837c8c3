/** The sections of the report page, each left out when the report has no data for it: key figures, charts, tables. */
import type { RankRow, Report, Total } from '../../domain/reports';
import { arrow, clamp, count, escapeHtml, labelHtml, percent, section, signed } from './html';
import { column, htmlTable } from './html-table';
import { DUE_LABEL, labelOf, localTime, OPEN_LABEL, RATE_LABELS, SEVERITY_LABELS, TIER_LABELS, TOTAL_LABELS, type Label } from './labels';
import { barChart, trendChart } from './svg-charts';

/** Totals where a rise is bad news (shown red); for the others a rise is shown green. */
const WORSE_WHEN_HIGHER = new Set<Total>(['overdue', 'returned', 'reworked', 'notAcknowledged', 'throughTrain']);

export function keyFigures(report: Report): string {
  const { totals, rates } = report;
  const figures = [
    figure(TOTAL_LABELS.reported, count(totals.reported), delta(report, 'reported')),
    figure(TOTAL_LABELS.closed, count(totals.closed), delta(report, 'closed')),
    figure(TOTAL_LABELS.closedOnTime, count(totals.closedOnTime), delta(report, 'closedOnTime')),
    figure(RATE_LABELS.onTimeClosure, percent(rates.onTimeClosure), meter(rates.onTimeClosure)),
    figure(TOTAL_LABELS.overdue, count(totals.overdue), delta(report, 'overdue'), totals.overdue > 0 ? 'alert' : ''),
    report.open !== undefined ? figure(OPEN_LABEL, count(report.open)) : '',
    figure(RATE_LABELS.satisfaction, rates.satisfaction === undefined ? '—' : `${rates.satisfaction} / 5`),
    report.patrol
      ? figure(
          RATE_LABELS.patrolCoverage,
          percent(rates.patrolCoverage),
          `${meter(rates.patrolCoverage)}<div class="note">${count(report.patrol.patrolledGridDays)} / ${count(report.patrol.gridDays)} 网格·日 grid-days</div>`,
        )
      : '',
  ];
  return `<section class="key-figures">
<h2>${labelHtml(['核心指标', 'Key figures'])}</h2>
<div class="figures">
${figures.filter(Boolean).join('\n')}
</div>
</section>`;
}

function figure(label: Label, value: string, extra = '', className = ''): string {
  return `<div class="figure${className ? ` ${className}` : ''}"><div class="figure-label">${labelHtml(label)}</div><div class="figure-value">${escapeHtml(value)}</div>${extra}</div>`;
}

/** A thin bar under a percentage. */
function meter(value: number | undefined): string {
  if (value === undefined) return '';
  return `<div class="meter"><span style="width:${clamp(value, 0, 100)}%"></span></div>`;
}

/** ▲ 12.5% against the previous period, coloured by whether the rise is good news. */
function delta(report: Report, total: Total): string {
  const { change } = report;
  const entry = change?.totals[total];
  if (!change || !entry) return '';
  const previous = `${escapeHtml(change.previous)}: ${count(entry.previous)}`;
  if (entry.percent === undefined) return `<div class="delta">${previous}</div>`;
  const direction = entry.percent > 0 ? 'up' : entry.percent < 0 ? 'down' : 'flat';
  const tone = direction === 'flat' ? '' : (direction === 'up') === WORSE_WHEN_HIGHER.has(total) ? ' worse' : ' better';
  return `<div class="delta ${direction}${tone}">${arrow(entry.percent)} ${signed(entry.percent)}% · ${previous}</div>`;
}

// ── Sections with charts ────────────────────────────────────────────────────────────────────────────

export function byClassSection(report: Report): string {
  if (report.byClass.length === 0) return '';
  const chart = barChart({
    className: 'chart-by-class',
    title: '按大类上报、办结、逾期 Reports, closures and overdue by class',
    series: [
      { key: 'reported', label: TOTAL_LABELS.reported },
      { key: 'closed', label: TOTAL_LABELS.closed },
      { key: 'overdue', label: TOTAL_LABELS.overdue },
    ],
    rows: report.byClass.map((entry) => ({
      label: entry.name,
      tooltip: `${entry.code} ${entry.name}`,
      values: [entry.reported, entry.closed, entry.overdue],
    })),
  });
  return section('by-class', ['按大类', 'By class'], chart);
}

type MonthRow = NonNullable<Report['months']>[number];

export function trendSection(report: Report): string {
  if (!report.months?.length) return '';
  const months = report.months;
  const table = htmlTable(months, [
    column(['月份', 'Month'], (month) => month.period, 'code'),
    ...(['reported', 'closed', 'closedOnTime', 'overdue', 'returned', 'throughTrain'] as const).map((name) =>
      column<MonthRow>(TOTAL_LABELS[name], (month) => month.totals[name], 'num'),
    ),
    column(RATE_LABELS.onTimeClosure, (month) => percent(month.rates.onTimeClosure), 'num'),
    column(RATE_LABELS.satisfaction, (month) => month.rates.satisfaction, 'num'),
    ...(report.patrol ? [column<MonthRow>(RATE_LABELS.patrolCoverage, (month) => percent(month.rates.patrolCoverage), 'num')] : []),
  ]);
  return section('trend', ['季度趋势', 'Trend over the quarter'], trendChart(months) + table);
}

export function rankingSection(report: Report, which: 'departments' | 'units'): string {
  const rows = report.rankings?.[which];
  if (!rows?.length) return '';
  const rated = rows.filter((row) => row.rates.onTimeClosure !== undefined);
  const chart = rated.length
    ? barChart({
        className: which === 'departments' ? 'chart-ranking' : 'chart-ranking-units',
        title: `${which === 'departments' ? '部门' : '单位'}按期办结率排名 On-time closure rate by ${which === 'departments' ? 'department' : 'unit'}`,
        series: [{ key: 'rate', label: RATE_LABELS.onTimeClosure }],
        rows: rated.map((row) => ({
          label: row.name,
          tooltip: `${row.name} (${row.code})`,
          values: [row.rates.onTimeClosure],
          grade: row.grade,
        })),
        max: 100,
        unit: '%',
      })
    : '';
  const title: Label = which === 'departments' ? ['部门排名', 'Department ranking'] : ['单位排名', 'Unit ranking'];
  return section(`ranking-${which}`, title, chart + rankingTable(rows));
}

export function hotspotSection(report: Report): string {
  const hotspots = report.hotspots;
  if (!hotspots || (!hotspots.topItems.length && !hotspots.topGrids.length && !hotspots.repeatedPlaces.length)) return '';
  const parts: string[] = [];
  if (hotspots.topGrids.length) {
    parts.push(
      `<h3>${labelHtml(['高发网格', 'Top grids'])}</h3>`,
      barChart({
        className: 'chart-top-grids',
        title: '高发网格 Grids with the most reports',
        series: [
          { key: 'reported', label: TOTAL_LABELS.reported },
          { key: 'overdue', label: TOTAL_LABELS.overdue },
        ],
        rows: hotspots.topGrids.map((grid) => ({
          label: grid.name,
          tooltip: `${grid.name} (${grid.code})`,
          values: [grid.reported, grid.overdue],
        })),
      }),
    );
  }
  if (hotspots.topItems.length) {
    parts.push(
      `<h3>${labelHtml(['高发事项', 'Top items'])}</h3>`,
      htmlTable(
        hotspots.topItems,
        [
          column(['排名', 'Rank'], (_, index) => index + 1, 'num'),
          column(['事项', 'Item'], (item) => `${item.code} ${item.name}`),
          column(TOTAL_LABELS.reported, (item) => item.reported, 'num'),
        ],
        'top-items',
      ),
    );
  }
  if (hotspots.repeatedPlaces.length) {
    parts.push(
      `<h3>${labelHtml(['重复上报地点', 'Places reported three times or more'])}</h3>`,
      htmlTable(
        hotspots.repeatedPlaces,
        [
          column(['事项', 'Item'], (place) => `${place.itemCode} ${place.itemName}`),
          column(['位置', 'Location'], (place) => `${place.lat.toFixed(5)}, ${place.lng.toFixed(5)}`),
          column(['网格单元', 'Cell'], (place) => place.cell, 'code'),
          column(['次数', 'Reports'], (place) => place.reports, 'num'),
        ],
        'repeated-places',
      ),
    );
  }
  return section('hotspots', ['热点研判', 'Hotspots'], parts.join('\n'));
}

// ── Sections with tables only ───────────────────────────────────────────────────────────────────────

export function changeSection(report: Report): string {
  const change = report.change;
  const entries = change ? (Object.entries(change.totals) as [Total, NonNullable<(typeof change.totals)[Total]>][]) : [];
  if (!change || entries.length === 0) return '';
  const table = htmlTable(entries, [
    column(['指标', 'Figure'], ([name]) => ({ html: labelHtml(TOTAL_LABELS[name]) })),
    column([report.period.label, 'this period'], ([, entry]) => entry.current, 'num'),
    column([change.previous, 'previous period'], ([, entry]) => entry.previous, 'num'),
    column(['环比', 'Change'], ([name, entry]) => ({ html: changeCell(name, entry.percent) }), 'num'),
  ]);
  return section('change', ['环比变化', 'Change against the previous period'], table);
}

function changeCell(name: Total, percentChange: number | undefined): string {
  if (percentChange === undefined) return '—';
  const tone = percentChange === 0 ? '' : percentChange > 0 === WORSE_WHEN_HIGHER.has(name) ? 'worse' : 'better';
  return `<span class="${tone}">${arrow(percentChange)} ${signed(percentChange)}%</span>`;
}

export function byItemSection(report: Report): string {
  if (report.byItem.length === 0) return '';
  const table = htmlTable(
    [...report.byItem].sort((a, b) => b.reported - a.reported || a.code.localeCompare(b.code)),
    [
      column(['代码', 'Code'], (item) => item.code, 'code'),
      column(['小项', 'Item'], (item) => item.name),
      column(TOTAL_LABELS.reported, (item) => item.reported, 'num'),
      column(TOTAL_LABELS.closed, (item) => item.closed, 'num'),
      column(TOTAL_LABELS.overdue, (item) => item.overdue, 'num'),
    ],
  );
  return section('by-item', ['按小项', 'By item'], table);
}

export function overdueSection(report: Report): string {
  if (report.overdueList.length === 0) return '';
  const itemNames = itemNamesOf(report);
  const table = htmlTable(
    report.overdueList,
    [
      column(['案件', 'Case'], (entry) => entry.id, 'code'),
      column(['事项', 'Item'], (entry) => `${entry.itemCode} ${itemNames.get(entry.itemCode) ?? ''}`.trim()),
      column(['网格', 'Grid'], (entry) => entry.gridCode, 'code'),
      column(['等级', 'Severity'], (entry) => labelOf(SEVERITY_LABELS, entry.severity)),
      column(['层级', 'Tier'], (entry) => labelOf(TIER_LABELS, entry.tier)),
      column(['承办', 'Handler'], (entry) => entry.assignee),
      column(['期限', 'Deadline'], (entry) => localTime(entry.deadlineAt), 'code'),
    ],
    'overdue-list',
  );
  return section('overdue', ['逾期清单', 'Overdue cases'], table);
}

export function scorecardSection(report: Report): string {
  if (!report.scorecards?.length) return '';
  const table = htmlTable(
    report.scorecards,
    [
      column(['网格员', 'Grid worker'], (card) => card.name),
      column(['网格', 'Grid'], (card) => card.grid, 'code'),
      column(['有效上报', 'Valid reports'], (card) => card.validReports, 'num'),
      column(['作废/重复', 'Voided'], (card) => card.voidedReports, 'num'),
      column(TOTAL_LABELS.handled, (card) => card.handled, 'num'),
      column(TOTAL_LABELS.handledOnTime, (card) => card.handledOnTime, 'num'),
      column(['按期率', 'On-time rate'], (card) => percent(card.onTimeRate), 'num'),
      column(TOTAL_LABELS.patrols, (card) => card.patrols, 'num'),
    ],
    'scorecards',
  );
  return section('scorecards', ['网格员考评', 'Grid-worker scorecards'], table);
}

/** Fifteen columns on an A4 page: short headers, the flags as Chinese tags (the footer explains them). */
function rankingTable(rows: RankRow[]): string {
  return htmlTable(
    rows,
    [
      column(['名次', '#'], (_, index) => index + 1, 'num'),
      column(['名称', 'Name'], (row) => ({ html: `${escapeHtml(row.name)}<div class="code">${escapeHtml(row.code)}</div>` })),
      column(DUE_LABEL, (row) => row.due, 'num'),
      column(['按期', 'On time'], (row) => row.totals.handledOnTime, 'num'),
      column(TOTAL_LABELS.overdue, (row) => row.totals.overdue, 'num'),
      column(TOTAL_LABELS.extended, (row) => row.totals.extended, 'num'),
      column(TOTAL_LABELS.returned, (row) => row.totals.returned, 'num'),
      column(['返工', 'Rework'], (row) => row.totals.reworked, 'num'),
      column(['迟签收', 'Late ack.'], (row) => row.totals.notAcknowledged, 'num'),
      column(TOTAL_LABELS.throughTrain, (row) => row.totals.throughTrain, 'num'),
      column(['按期办结率', 'On-time rate'], (row) => percent(row.rates.onTimeClosure), 'num'),
      column(['满意度', 'Satisfaction'], (row) => row.rates.satisfaction, 'num'),
      column(['得分', 'Score'], (row) => row.score, 'num'),
      column(['等级', 'Grade'], (row) => ({ html: row.grade ? `<span class="grade grade-${row.grade}">${row.grade}</span>` : '—' })),
      column(['问责', 'Flags'], (row) => ({ html: row.flags.map(flagTag).join(' ') })),
    ],
    'ranking',
  );
}

/** '慢作为 overdue' → a red 慢作为 tag, the English as its tooltip. */
function flagTag(flag: string): string {
  const [tag, ...meaning] = flag.split(' ');
  return `<span class="flag" title="${escapeHtml(meaning.join(' '))}">${escapeHtml(tag)}</span>`;
}

/** Item names the report knows (the overdue list carries codes only). */
function itemNamesOf(report: Report): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of [...report.byItem, ...(report.hotspots?.topItems ?? [])]) names.set(item.code, item.name);
  return names;
}
