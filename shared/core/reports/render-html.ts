/**
 * A report as one self-contained HTML page, for leaders who would rather look than read: the key
 * figures, inline SVG charts, then the tables, printable on A4. No scripts, fonts, images or links
 * from outside: the page opens the same from a mail attachment or on an office PC with no internet.
 * Every text from the data (unit, department, person and item names) is escaped.
 */
import { toLocalIso } from '../../domain/calendar';
import type { ReportKind } from '../../domain/periods';
import type { Grade } from '../../domain/scoring';
import type { Tier, UnitLevel } from '../../domain/types';
import type { RankRow, Report, Total } from '../../domain/reports';

// ── Labels, Chinese with English alongside (the CSV uses them too) ─────────────────────────────────

export type Label = readonly [zh: string, en: string];

export const REPORT_TITLES: Record<ReportKind, Label> = {
  daily: ['日汇总', 'Daily summary'],
  weekly: ['周研判', 'Weekly analysis'],
  monthly: ['月通报', 'Monthly bulletin'],
  quarterly: ['季分析', 'Quarterly analysis'],
};

export const TOTAL_LABELS: Record<Total, Label> = {
  reported: ['上报', 'Reported'],
  accepted: ['立案', 'Accepted'],
  voided: ['作废', 'Voided'],
  duplicates: ['重复', 'Duplicates'],
  routed: ['分流', 'Routed'],
  acknowledged: ['签收', 'Acknowledged'],
  notAcknowledged: ['未及时签收', 'Not acknowledged in time'],
  handled: ['办理', 'Handled'],
  handledOnTime: ['按期办理', 'Handled on time'],
  verifiedPassed: ['核查通过', 'Verified'],
  fedBack: ['已反馈', 'Fed back'],
  closed: ['办结', 'Closed'],
  closedOnTime: ['按期办结', 'Closed on time'],
  overdue: ['逾期', 'Overdue'],
  escalated: ['上报上级', 'Escalated'],
  returned: ['退回', 'Returned'],
  reassigned: ['改派', 'Reassigned'],
  reworked: ['返工', 'Reworked'],
  extended: ['延期', 'Extended'],
  jointMeeting: ['联席会议', 'Joint meeting'],
  throughTrain: ['直通车', 'Through train'],
  nudged: ['督办', 'Nudged'],
  rated: ['评价', 'Rated'],
  ratingTotal: ['评分合计', 'Rating total'],
  reopened: ['重办', 'Reopened'],
  patrols: ['巡查', 'Patrols'],
  patrolledGrids: ['已巡网格·日', 'Grid-days patrolled'],
};

export const RATE_LABELS = {
  onTimeClosure: ['按期办结率', 'On-time closure rate'],
  satisfaction: ['满意度', 'Satisfaction (1–5)'],
  patrolCoverage: ['巡查覆盖率', 'Patrol coverage'],
} as const satisfies Record<string, Label>;

export const OPEN_LABEL: Label = ['在办', 'Open'];
export const DUE_LABEL: Label = ['应办结', 'Due'];

export const LEVEL_LABELS: Record<UnitLevel, Label> = {
  district: ['区', 'District'],
  town: ['镇/街道', 'Town/street'],
  community: ['村/社区', 'Community'],
  grid: ['网格', 'Grid'],
};

export const DEPARTMENT_LABEL: Label = ['部门', 'Department'];

export const TIER_LABELS: Record<Tier, Label> = {
  grid: ['网格', 'Grid'],
  community: ['村居', 'Community'],
  town: ['镇街', 'Town/street'],
  district: ['区', 'District'],
  joint_meeting: ['联席会议', 'Joint meeting'],
  through_train: ['直通车', 'Through train'],
};

export const SEVERITY_LABELS: Record<number, Label> = { 1: ['一级', 'Level 1'], 2: ['二级', 'Level 2'], 3: ['三级', 'Level 3'], 4: ['四级', 'Level 4'] };

/** "上报 Reported": for plain text (CSV, SVG tooltips). */
export function labelText([zh, en]: Label): string {
  return `${zh} ${en}`;
}

/** The label of a key (a tier, a severity) as text; the key itself when it has none. */
export function labelOf(labels: Record<string | number, Label>, key: string | number): string {
  const label = labels[key];
  return label ? labelText(label) : String(key);
}

/** A bilingual label in HTML: the English smaller, beside the Chinese. */
function labelHtml([zh, en]: Label): string {
  return `<span class="zh">${escapeHtml(zh)}</span> <span class="en">${escapeHtml(en)}</span>`;
}

/** The scope's kind: the unit's level, or a department team. */
export function scopeLabel(report: Report): Label {
  if (report.scope.kind === 'department') return DEPARTMENT_LABEL;
  return report.scope.level ? LEVEL_LABELS[report.scope.level] : ['单位', 'Unit'];
}

/** '2026-12-01 07:00' in Asia/Shanghai, from any ISO instant; the text itself if it is not one. */
export function localTime(iso: string | undefined): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return toLocalIso(instant).slice(0, 16).replace('T', ' ');
}

// ── The page ────────────────────────────────────────────────────────────────────────────────────────

export function renderHtml(report: Report): string {
  const [kindZh, kindEn] = REPORT_TITLES[report.kind];
  const title = `${report.scope.name} ${kindZh} ${report.period.label} · ${kindEn}`;
  const sections = [
    header(report),
    keyFigures(report),
    trendSection(report),
    rankingSection(report, 'departments'),
    rankingSection(report, 'units'),
    byClassSection(report),
    hotspotSection(report),
    changeSection(report),
    byItemSection(report),
    overdueSection(report),
    scorecardSection(report),
    footer(report),
  ];
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: even if some text slipped through unescaped, nothing would run or load.
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...sections.filter((section) => section !== ''),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** No scripts, nothing fetched; inline styles only. Also sent as a header by GET /reports. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

function header(report: Report): string {
  const [kindZh, kindEn] = REPORT_TITLES[report.kind];
  const { period, scope } = report;
  const code = scope.kind === 'department' ? scope.code.replace(':', ' · ') : scope.code;
  return `<header class="report-header">
<div class="report-kind">${labelHtml(scopeLabel(report))} · <span class="code">${escapeHtml(code)}</span></div>
<h1>${escapeHtml(scope.name)} <span class="kind-zh">${escapeHtml(kindZh)}</span></h1>
<div class="subtitle"><span class="en">${escapeHtml(kindEn)}</span> · <strong class="period">${escapeHtml(period.label)}</strong> (${escapeHtml(period.from)} – ${escapeHtml(period.to)})</div>
<div class="generated">${labelHtml(['生成时间', 'Generated at'])} ${escapeHtml(localTime(report.generatedAt))}</div>
</header>`;
}

function footer(report: Report): string {
  const scoring = report.rankings
    ? `<p class="scoring"><strong>评分说明 How the score works.</strong> 按期办结率 = 按期办结 ÷ (应办结 − 批准延期)。
Score 0–100: 60% the on-time closure rate, 20% satisfaction (average rating ÷ 5), 20% conduct (1 − (returns + rework + late acknowledgements) ÷ due);
without ratings 75% on-time rate and 25% conduct. Grade 等级: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below.
Flags 问责: 不作为 a case not acknowledged in time (迟签收 late acknowledgements); 慢作为 a deadline missed; 推诿扯皮 returned twice or more.</p>`
    : '';
  return `<footer>${scoring}<p>网格通 GridFlow · ${escapeHtml(report.scope.name)} · ${escapeHtml(REPORT_TITLES[report.kind][0])} ${escapeHtml(report.period.label)}</p></footer>`;
}

// ── Key figures ─────────────────────────────────────────────────────────────────────────────────────

/** Totals where a rise is bad news (shown red); for the others a rise is shown green. */
const WORSE_WHEN_HIGHER = new Set<Total>(['overdue', 'returned', 'reworked', 'notAcknowledged', 'throughTrain']);

function keyFigures(report: Report): string {
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
      ? figure(RATE_LABELS.patrolCoverage, percent(rates.patrolCoverage), `${meter(rates.patrolCoverage)}<div class="note">${count(report.patrol.patrolledGridDays)} / ${count(report.patrol.gridDays)} 网格·日 grid-days</div>`)
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
  const entry = report.change?.totals[total];
  if (!entry) return '';
  const previous = `${escapeHtml(report.change!.previous)}: ${count(entry.previous)}`;
  if (entry.percent === undefined) return `<div class="delta">${previous}</div>`;
  const direction = entry.percent > 0 ? 'up' : entry.percent < 0 ? 'down' : 'flat';
  const tone = direction === 'flat' ? '' : (direction === 'up') === WORSE_WHEN_HIGHER.has(total) ? ' worse' : ' better';
  return `<div class="delta ${direction}${tone}">${arrow(entry.percent)} ${signed(entry.percent)}% · ${previous}</div>`;
}

// ── Sections with charts ────────────────────────────────────────────────────────────────────────────

function byClassSection(report: Report): string {
  if (report.byClass.length === 0) return '';
  const chart = barChart({
    className: 'chart-by-class',
    title: '按大类上报、办结、逾期 Reports, closures and overdue by class',
    series: [
      { key: 'reported', label: TOTAL_LABELS.reported },
      { key: 'closed', label: TOTAL_LABELS.closed },
      { key: 'overdue', label: TOTAL_LABELS.overdue },
    ],
    rows: report.byClass.map((entry) => ({ label: entry.name, tooltip: `${entry.code} ${entry.name}`, values: [entry.reported, entry.closed, entry.overdue] })),
  });
  return section('by-class', ['按大类', 'By class'], chart);
}

type MonthRow = NonNullable<Report['months']>[number];

function trendSection(report: Report): string {
  if (!report.months?.length) return '';
  const months = report.months;
  const table = htmlTable(
    months,
    [
      column(['月份', 'Month'], (month) => month.period, 'code'),
      ...(['reported', 'closed', 'closedOnTime', 'overdue', 'returned', 'throughTrain'] as const).map((name) => column<MonthRow>(TOTAL_LABELS[name], (month) => month.totals[name], 'num')),
      column(RATE_LABELS.onTimeClosure, (month) => percent(month.rates.onTimeClosure), 'num'),
      column(RATE_LABELS.satisfaction, (month) => month.rates.satisfaction, 'num'),
      ...(report.patrol ? [column<MonthRow>(RATE_LABELS.patrolCoverage, (month) => percent(month.rates.patrolCoverage), 'num')] : []),
    ],
  );
  return section('trend', ['季度趋势', 'Trend over the quarter'], trendChart(months) + table);
}

function rankingSection(report: Report, which: 'departments' | 'units'): string {
  const rows = report.rankings?.[which];
  if (!rows?.length) return '';
  const rated = rows.filter((row) => row.rates.onTimeClosure !== undefined);
  const chart = rated.length
    ? barChart({
        className: which === 'departments' ? 'chart-ranking' : 'chart-ranking-units',
        title: `${which === 'departments' ? '部门' : '单位'}按期办结率排名 On-time closure rate by ${which === 'departments' ? 'department' : 'unit'}`,
        series: [{ key: 'rate', label: RATE_LABELS.onTimeClosure }],
        rows: rated.map((row) => ({ label: row.name, tooltip: `${row.name} (${row.code})`, values: [row.rates.onTimeClosure], grade: row.grade })),
        max: 100,
        unit: '%',
      })
    : '';
  const title: Label = which === 'departments' ? ['部门排名', 'Department ranking'] : ['单位排名', 'Unit ranking'];
  return section(`ranking-${which}`, title, chart + rankingTable(rows));
}

function hotspotSection(report: Report): string {
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
        rows: hotspots.topGrids.map((grid) => ({ label: grid.name, tooltip: `${grid.name} (${grid.code})`, values: [grid.reported, grid.overdue] })),
      }),
    );
  }
  if (hotspots.topItems.length) {
    parts.push(
      `<h3>${labelHtml(['高发事项', 'Top items'])}</h3>`,
      htmlTable(
        hotspots.topItems,
        [column(['排名', 'Rank'], (_, index) => index + 1, 'num'), column(['事项', 'Item'], (item) => `${item.code} ${item.name}`), column(TOTAL_LABELS.reported, (item) => item.reported, 'num')],
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

function changeSection(report: Report): string {
  const change = report.change;
  const entries = change ? (Object.entries(change.totals) as [Total, NonNullable<(typeof change.totals)[Total]>][]) : [];
  if (!change || entries.length === 0) return '';
  const table = htmlTable(
    entries,
    [
      column(['指标', 'Figure'], ([name]) => ({ html: labelHtml(TOTAL_LABELS[name]) })),
      column([report.period.label, 'this period'], ([, entry]) => entry.current, 'num'),
      column([change.previous, 'previous period'], ([, entry]) => entry.previous, 'num'),
      column(['环比', 'Change'], ([name, entry]) => ({ html: changeCell(name, entry.percent) }), 'num'),
    ],
  );
  return section('change', ['环比变化', 'Change against the previous period'], table);
}

function changeCell(name: Total, percentChange: number | undefined): string {
  if (percentChange === undefined) return '—';
  const tone = percentChange === 0 ? '' : (percentChange > 0) === WORSE_WHEN_HIGHER.has(name) ? 'worse' : 'better';
  return `<span class="${tone}">${arrow(percentChange)} ${signed(percentChange)}%</span>`;
}

function byItemSection(report: Report): string {
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

function overdueSection(report: Report): string {
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

function scorecardSection(report: Report): string {
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

function section(id: string, title: Label, content: string): string {
  return `<section class="section-${id}">\n<h2>${labelHtml(title)}</h2>\n${content}\n</section>`;
}

// ── Tables ──────────────────────────────────────────────────────────────────────────────────────────

/** A cell: text is escaped, numbers are formatted, `{ html }` is markup this module built. */
type Cell = string | number | undefined | { html: string };

/** `num`: right-aligned figures; `code`: identifiers and dates, kept on one line; `text`: wraps. */
type ColumnKind = 'text' | 'num' | 'code';

interface Column<Row> {
  label: Label;
  cell: (row: Row, index: number) => Cell;
  kind: ColumnKind;
}

function column<Row>(label: Label, cell: (row: Row, index: number) => Cell, kind: ColumnKind = 'text'): Column<Row> {
  return { label, cell, kind };
}

function htmlTable<Row>(rows: Row[], columns: Column<Row>[], className = ''): string {
  const classOf = (entry: Column<Row>) => ({ text: '', num: ' class="num"', code: ' class="nowrap"' })[entry.kind];
  const head = columns.map((entry) => `<th${classOf(entry)}>${labelHtml(entry.label)}</th>`).join('');
  const body = rows
    .map((row, index) => `<tr>${columns.map((entry) => `<td${classOf(entry)}>${cellHtml(entry.cell(row, index))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table${className ? ` class="${className}"` : ''}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function cellHtml(value: Cell): string {
  if (value === undefined || value === '') return '—';
  if (typeof value === 'number') return escapeHtml(count(value));
  if (typeof value === 'string') return escapeHtml(value);
  return value.html;
}

// ── Charts (inline SVG) ─────────────────────────────────────────────────────────────────────────────

interface Series {
  /** Names the bars' CSS class: `bar-<key>`. */
  key: string;
  label: Label;
}

interface BarRow {
  label: string;
  tooltip: string;
  /** One value per series; undefined draws no bar. */
  values: (number | undefined)[];
  grade?: Grade;
}

const CHART_WIDTH = 720;
const LABEL_WIDTH = 190;
const VALUE_ROOM = 76;
const BAR_HEIGHT = 13;
const ROW_GAP = 10;
const LEGEND_HEIGHT = 26;
const AXIS_HEIGHT = 18;

/**
 * Horizontal bars, one row per entry and one bar per series: long Chinese names read better on the
 * left than slanted under columns. Each bar carries its value (`data-value`) and a tooltip.
 */
function barChart(options: { className: string; title: string; series: Series[]; rows: BarRow[]; max?: number; unit?: '%' }): string {
  const { className, title, series, rows, unit = '' } = options;
  const plotWidth = CHART_WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const largest = Math.max(0, ...rows.flatMap((row) => row.values.filter((value): value is number => value !== undefined)));
  const { max, step } = options.max !== undefined ? { max: options.max, step: options.max / 4 } : niceScale(largest);
  const rowHeight = series.length * BAR_HEIGHT + ROW_GAP;
  const top = LEGEND_HEIGHT + AXIS_HEIGHT;
  const height = top + rows.length * rowHeight + 4;
  const x = (value: number) => LABEL_WIDTH + (plotWidth * clamp(value, 0, max)) / max;

  const grid: string[] = [];
  for (let tick = 0; tick <= max + 1e-9; tick += step) {
    grid.push(`<line class="grid-line" x1="${fixed(x(tick))}" y1="${top - 4}" x2="${fixed(x(tick))}" y2="${height - 4}"/>`);
    grid.push(`<text class="tick" x="${fixed(x(tick))}" y="${top - 8}" text-anchor="middle">${escapeHtml(count(round(tick)))}${unit}</text>`);
  }
  const body = rows.map((row, rowIndex) => {
    const rowTop = top + rowIndex * rowHeight;
    const bars = series.map((entry, seriesIndex) => {
      const value = row.values[seriesIndex];
      const y = rowTop + seriesIndex * BAR_HEIGHT;
      if (value === undefined) return '';
      const tooltip = `${row.tooltip}: ${labelText(entry.label)} ${count(value)}${unit}`;
      return (
        `<rect class="bar bar-${entry.key}" x="${LABEL_WIDTH}" y="${y}" width="${fixed(x(value) - LABEL_WIDTH)}" height="${BAR_HEIGHT - 2}" data-value="${value}"><title>${escapeHtml(tooltip)}</title></rect>` +
        `<text class="value" x="${fixed(x(value) + 4)}" y="${y + BAR_HEIGHT - 3}">${escapeHtml(count(value))}${unit}</text>`
      );
    });
    const labelY = rowTop + (series.length * BAR_HEIGHT) / 2 + 4;
    const grade = row.grade ? gradeBadge(row.grade, CHART_WIDTH - 14, labelY - 4) : '';
    return `<g class="row"><text class="label" x="${LABEL_WIDTH - 8}" y="${labelY}" text-anchor="end"><title>${escapeHtml(row.tooltip)}</title>${escapeHtml(shorten(row.label, 13))}</text>${bars.join('')}${grade}</g>`;
  });
  return svg(className, title, height, [legend(series), ...grid, ...body].join('\n'));
}

/** The quarter's months: reported and closed as columns, the on-time closure rate as a line (right axis). */
function trendChart(months: NonNullable<Report['months']>): string {
  const height = 260;
  const top = LEGEND_HEIGHT + 14;
  const bottom = height - 28;
  const left = 56;
  const right = CHART_WIDTH - 56;
  const { max, step } = niceScale(Math.max(0, ...months.flatMap((month) => [month.totals.reported, month.totals.closed])));
  const slot = (right - left) / months.length;
  const barWidth = Math.min(48, slot / 3);
  const y = (value: number) => bottom - ((bottom - top) * clamp(value, 0, max)) / max;
  const yRate = (rate: number) => bottom - ((bottom - top) * clamp(rate, 0, 100)) / 100;

  const axes: string[] = [];
  for (let tick = 0; tick <= max + 1e-9; tick += step) {
    axes.push(`<line class="grid-line" x1="${left}" y1="${fixed(y(tick))}" x2="${right}" y2="${fixed(y(tick))}"/>`);
    axes.push(`<text class="tick" x="${left - 6}" y="${fixed(y(tick) + 4)}" text-anchor="end">${escapeHtml(count(round(tick)))}</text>`);
  }
  for (const rate of [0, 50, 100]) axes.push(`<text class="tick tick-rate" x="${right + 6}" y="${fixed(yRate(rate) + 4)}">${rate}%</text>`);

  const columns = months.map((month, index) => {
    const centre = left + slot * index + slot / 2;
    const bar = (key: 'reported' | 'closed', offset: number) => {
      const value = month.totals[key];
      return `<rect class="bar bar-${key}" x="${fixed(centre + offset)}" y="${fixed(y(value))}" width="${fixed(barWidth)}" height="${fixed(bottom - y(value))}" data-value="${value}"><title>${escapeHtml(`${month.period}: ${labelText(TOTAL_LABELS[key])} ${value}`)}</title></rect>`;
    };
    return `<g class="month">${bar('reported', -barWidth - 2)}${bar('closed', 2)}<text class="label" x="${fixed(centre)}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(month.period)}</text></g>`;
  });

  const points = months
    .map((month, index) => ({ month, x: left + slot * index + slot / 2, rate: month.rates.onTimeClosure }))
    .filter((point): point is typeof point & { rate: number } => point.rate !== undefined);
  const line = points.length
    ? `<path class="line line-on-time" d="${points.map((point, index) => `${index ? 'L' : 'M'}${fixed(point.x)} ${fixed(yRate(point.rate))}`).join(' ')}"/>` +
      points
        .map((point) => `<circle class="point" cx="${fixed(point.x)}" cy="${fixed(yRate(point.rate))}" r="4" data-value="${point.rate}"><title>${escapeHtml(`${point.month.period}: ${labelText(RATE_LABELS.onTimeClosure)} ${point.rate}%`)}</title></circle>`)
        .join('')
    : '';
  const series: Series[] = [
    { key: 'reported', label: TOTAL_LABELS.reported },
    { key: 'closed', label: TOTAL_LABELS.closed },
    { key: 'on-time', label: RATE_LABELS.onTimeClosure },
  ];
  return svg('chart-trend', '季度趋势：上报、办结与按期办结率 Reports, closures and on-time closure rate by month', height, [legend(series), ...axes, ...columns, line].join('\n'));
}

function svg(className: string, title: string, height: number, content: string): string {
  // No xmlns: inline SVG in HTML needs none, and the page then names no internet address at all.
  return `<figure class="chart"><svg class="chart ${className}" role="img" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}"><title>${escapeHtml(title)}</title>\n${content}\n</svg></figure>`;
}

function legend(series: Series[]): string {
  let x = LABEL_WIDTH;
  return series
    .map((entry) => {
      const text = labelText(entry.label);
      const item = `<rect class="legend-key key-${entry.key}" x="${x}" y="6" width="12" height="12" rx="2"/><text class="legend" x="${x + 16}" y="16">${escapeHtml(text)}</text>`;
      x += 28 + textWidth(text, 11);
      return item;
    })
    .join('');
}

function gradeBadge(grade: Grade, x: number, y: number): string {
  return `<g class="grade-badge grade-${grade}"><circle cx="${x}" cy="${y}" r="10"/><text x="${x}" y="${y + 4}" text-anchor="middle">${grade}</text></g>`;
}

/** A round axis maximum and tick step (1, 2 or 5 × 10ⁿ, at most five ticks). */
function niceScale(largest: number): { max: number; step: number } {
  if (largest <= 0) return { max: 1, step: 1 };
  const magnitude = 10 ** Math.floor(Math.log10(largest / 5));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => largest / candidate <= 5) ?? 10 * magnitude;
  const wholeStep = Math.max(1, step);
  return { max: Math.ceil(largest / wholeStep) * wholeStep, step: wholeStep };
}

// ── Text ────────────────────────────────────────────────────────────────────────────────────────────

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character]);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function count(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function percent(value: number | undefined): string {
  return value === undefined ? '—' : `${value}%`;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

function arrow(value: number): string {
  return value > 0 ? '▲' : value < 0 ? '▼' : '＝';
}

/** Roughly how wide a text is at a font size: CJK characters are square, Latin about half as wide. */
function textWidth(text: string, fontSize: number): number {
  return [...text].reduce((width, character) => width + (/[\u2E80-\uFFEF]/.test(character) ? fontSize : fontSize * 0.55), 0);
}

function shorten(text: string, length: number): string {
  const characters = [...text];
  return characters.length > length ? `${characters.slice(0, length - 1).join('')}…` : text;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function fixed(value: number): string {
  return String(Math.round(value * 10) / 10);
}

// ── Style: screen and A4 print ──────────────────────────────────────────────────────────────────────

const STYLE = `
@page { size: A4; margin: 12mm 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef1f5; color: #1f2933;
  font: 14px/1.5 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif; }
main { max-width: 200mm; margin: 16px auto; padding: 20px 24px; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
.en { color: #6b7280; font-size: .85em; font-weight: normal; }
.code { color: #6b7280; font-size: .8em; font-family: ui-monospace, Menlo, Consolas, monospace; }
.report-header { border-bottom: 3px solid #b91c1c; padding-bottom: 10px; margin-bottom: 12px; }
.report-header h1 { margin: 2px 0; font-size: 26px; color: #7f1d1d; }
.report-header .kind-zh { color: #b91c1c; }
.report-kind, .generated { color: #4b5563; font-size: 13px; }
.subtitle { font-size: 15px; }
h2 { font-size: 17px; margin: 18px 0 8px; padding-left: 8px; border-left: 4px solid #b91c1c; }
h3 { font-size: 14px; margin: 12px 0 6px; }
section { margin-bottom: 14px; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.figure { border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 10px; background: #f9fafb; break-inside: avoid; }
.figure.alert { border-color: #fca5a5; background: #fef2f2; }
.figure-label { font-size: 12px; }
.figure-value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure .note, .delta { font-size: 11px; color: #6b7280; }
.meter { height: 5px; background: #e5e7eb; border-radius: 3px; overflow: hidden; margin: 2px 0; }
.meter span { display: block; height: 100%; background: #0f766e; }
.better { color: #15803d; } .worse { color: #b91c1c; }
.delta.better { color: #15803d; } .delta.worse { color: #b91c1c; }
figure.chart { margin: 6px 0 10px; break-inside: avoid; page-break-inside: avoid; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: #374151; }
svg.chart .tick { font-size: 10px; fill: #9ca3af; }
svg.chart .legend { font-size: 11px; }
svg.chart .grid-line { stroke: #e5e7eb; stroke-width: 1; }
.bar-reported, .key-reported { fill: #2563eb; }
.bar-closed, .key-closed { fill: #16a34a; }
.bar-overdue, .key-overdue { fill: #dc2626; }
.bar-rate, .key-rate { fill: #0f766e; }
.key-on-time { fill: #d97706; }
.line-on-time { fill: none; stroke: #d97706; stroke-width: 2.5; }
.point { fill: #fff; stroke: #d97706; stroke-width: 2; }
.grade-badge circle { stroke: none; }
.grade-badge text { fill: #fff !important; font-weight: 700; font-size: 12px; }
.grade-A circle { fill: #15803d; } .grade-B circle { fill: #65a30d; } .grade-C circle { fill: #ca8a04; } .grade-D circle { fill: #ea580c; } .grade-E circle { fill: #b91c1c; }
span.grade { display: inline-block; min-width: 22px; text-align: center; border-radius: 11px; color: #fff; font-weight: 700; }
span.grade-A { background: #15803d; } span.grade-B { background: #65a30d; } span.grade-C { background: #ca8a04; } span.grade-D { background: #ea580c; } span.grade-E { background: #b91c1c; }
.flag { display: inline-block; margin: 1px 0; padding: 0 5px; border-radius: 3px; background: #fee2e2; color: #991b1b; font-size: 11px; }
table { width: 100%; border-collapse: collapse; font-size: 12px; margin-bottom: 8px; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #f3f4f6; font-weight: 600; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; }
th .en { display: block; font-size: 10px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.nowrap { white-space: nowrap; }
table.ranking { font-size: 11px; }
table.ranking th, table.ranking td { padding: 3px 4px; }
table.ranking .code { word-break: break-all; }
table.ranking th .en { font-size: 9px; }
tbody tr:nth-child(even) { background: #fafafa; }
footer { margin-top: 18px; border-top: 1px solid #e5e7eb; padding-top: 8px; color: #6b7280; font-size: 11px; }
@media (max-width: 700px) { .figures { grid-template-columns: repeat(2, 1fr); } main { margin: 0; padding: 12px; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tbody tr:nth-child(even) { background: none; }
}
`;
