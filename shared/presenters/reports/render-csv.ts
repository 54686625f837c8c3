/**
 * A report as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote or a line
 * break) with a UTF-8 byte-order mark, so Excel opens the Chinese correctly. One file, several
 * sections — a title line, a header row, the rows — separated by a blank line; a section the report
 * has no data for is left out. Numbers are bare (rates in percent without the sign) so they sort and sum.
 */
import { TOTALS, type RankRow, type Report, type Total } from '../../domain/reports';
import {
  DEPARTMENT_LABEL,
  DUE_LABEL,
  labelOf,
  labelText,
  localTime,
  OPEN_LABEL,
  RATE_LABELS,
  REPORT_TITLES,
  scopeLabel,
  TIER_LABELS,
  TOTAL_LABELS,
  type Label,
} from './labels';

const BYTE_ORDER_MARK = '\uFEFF';
const CRLF = '\r\n';

type CsvCell = string | number | undefined;

interface CsvSection {
  title: string;
  header: string[];
  rows: CsvCell[][];
}

export function renderCsv(report: Report): string {
  const sections = [
    summarySection(report),
    byClassSection(report),
    byItemSection(report),
    overdueSection(report),
    rankingSection(report.rankings?.departments, ['部门排名', 'Department ranking']),
    rankingSection(report.rankings?.units, ['单位排名', 'Unit ranking']),
    ...hotspotSections(report),
    changeSection(report),
    scorecardSection(report),
    monthsSection(report),
  ].filter((section): section is CsvSection => section !== undefined && section.rows.length > 0);
  return BYTE_ORDER_MARK + sections.map(sectionLines).join(CRLF + CRLF) + CRLF;
}

/** `<kind>-<scope>-<period>.<extension>`, safe as a file name everywhere (a department team's `:` becomes `-`). */
export function reportFileName(report: Pick<Report, 'kind' | 'scope' | 'period'>, extension: 'html' | 'csv'): string {
  const safe = (text: string) => text.replace(/[^0-9A-Za-z._-]+/g, '-');
  return `${report.kind}-${safe(report.scope.code)}-${safe(report.period.label)}.${extension}`;
}

function sectionLines(section: CsvSection): string {
  return [[section.title], section.header, ...section.rows].map(csvRow).join(CRLF);
}

export function csvRow(cells: CsvCell[]): string {
  return cells.map(csvField).join(',');
}

/** One field: quoted when needed, quotes doubled; text that Excel would run as a formula is defused. */
export function csvField(value: CsvCell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  // Names come from data: "=HYPERLINK(…)" must stay text in a spreadsheet (OWASP's CSV injection advice).
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// ── Sections ────────────────────────────────────────────────────────────────────────────────────────

function summarySection(report: Report): CsvSection {
  const { scope, period, totals, rates } = report;
  const rows: CsvCell[][] = [
    [labelText(scopeLabel(report)), scope.name],
    [labelText(scope.kind === 'department' ? DEPARTMENT_LABEL : ['代码', 'Code']), scope.code],
    [labelText(['报告', 'Report']), labelText(REPORT_TITLES[report.kind])],
    [labelText(['期间', 'Period']), period.label],
    [labelText(['起', 'From']), period.from],
    [labelText(['止', 'To']), period.to],
    [labelText(['生成时间', 'Generated at']), localTime(report.generatedAt)],
    ...TOTALS.map((name): CsvCell[] => [labelText(TOTAL_LABELS[name]), totals[name]]),
  ];
  if (report.open !== undefined) rows.push([labelText(OPEN_LABEL), report.open]);
  rows.push([`${labelText(RATE_LABELS.onTimeClosure)} (%)`, rates.onTimeClosure]);
  rows.push([labelText(RATE_LABELS.satisfaction), rates.satisfaction]);
  if (report.patrol) {
    rows.push([`${labelText(RATE_LABELS.patrolCoverage)} (%)`, rates.patrolCoverage]);
    rows.push([labelText(['网格·日', 'Grid-days']), report.patrol.gridDays]);
  }
  return { title: labelText(['汇总', 'Summary']), header: [labelText(['指标', 'Figure']), labelText(['数值', 'Value'])], rows };
}

const BREAKDOWN_HEADER = [
  labelText(['代码', 'Code']),
  labelText(['名称', 'Name']),
  labelText(TOTAL_LABELS.reported),
  labelText(TOTAL_LABELS.closed),
  labelText(TOTAL_LABELS.overdue),
];

function byClassSection(report: Report): CsvSection {
  return {
    title: labelText(['按大类', 'By class']),
    header: BREAKDOWN_HEADER,
    rows: report.byClass.map((entry) => [entry.code, entry.name, entry.reported, entry.closed, entry.overdue]),
  };
}

function byItemSection(report: Report): CsvSection {
  return {
    title: labelText(['按小项', 'By item']),
    header: BREAKDOWN_HEADER,
    rows: report.byItem.map((entry) => [entry.code, entry.name, entry.reported, entry.closed, entry.overdue]),
  };
}

function overdueSection(report: Report): CsvSection {
  const names = new Map(report.byItem.map((item) => [item.code, item.name]));
  return {
    title: labelText(['逾期清单', 'Overdue cases']),
    header: ['案件 Case', '事项 Item', '事项名称 Item name', '网格 Grid', '等级 Severity', '层级 Tier', '承办 Handler', '期限 Deadline'],
    rows: report.overdueList.map((entry) => [
      entry.id,
      entry.itemCode,
      names.get(entry.itemCode),
      entry.gridCode,
      entry.severity,
      labelOf(TIER_LABELS, entry.tier),
      entry.assignee,
      localTime(entry.deadlineAt),
    ]),
  };
}

function rankingSection(rows: RankRow[] | undefined, title: Label): CsvSection | undefined {
  if (!rows) return undefined;
  const totals = [
    'handled',
    'handledOnTime',
    'overdue',
    'extended',
    'returned',
    'reworked',
    'notAcknowledged',
    'throughTrain',
    'rated',
  ] as const;
  return {
    title: labelText(title),
    header: [
      '名次 Rank',
      '代码 Code',
      '名称 Name',
      labelText(DUE_LABEL),
      ...totals.map((name) => labelText(TOTAL_LABELS[name])),
      `${labelText(RATE_LABELS.onTimeClosure)} (%)`,
      labelText(RATE_LABELS.satisfaction),
      '得分 Score',
      '等级 Grade',
      '问责 Flags',
    ],
    rows: rows.map((row, index) => [
      index + 1,
      row.code,
      row.name,
      row.due,
      ...totals.map((name) => row.totals[name]),
      row.rates.onTimeClosure,
      row.rates.satisfaction,
      row.score,
      row.grade,
      row.flags.join('; '),
    ]),
  };
}

function hotspotSections(report: Report): CsvSection[] {
  const hotspots = report.hotspots;
  if (!hotspots) return [];
  return [
    {
      title: labelText(['高发事项', 'Top items']),
      header: ['名次 Rank', '代码 Code', '名称 Name', labelText(TOTAL_LABELS.reported)],
      rows: hotspots.topItems.map((item, index) => [index + 1, item.code, item.name, item.reported]),
    },
    {
      title: labelText(['高发网格', 'Top grids']),
      header: ['名次 Rank', '代码 Code', '名称 Name', labelText(TOTAL_LABELS.reported), labelText(TOTAL_LABELS.overdue)],
      rows: hotspots.topGrids.map((grid, index) => [index + 1, grid.code, grid.name, grid.reported, grid.overdue]),
    },
    {
      title: labelText(['重复上报地点', 'Places reported three times or more']),
      header: ['事项 Item', '事项名称 Item name', '网格单元 Cell', '纬度 Latitude', '经度 Longitude', '次数 Reports'],
      rows: hotspots.repeatedPlaces.map((place) => [place.itemCode, place.itemName, place.cell, place.lat, place.lng, place.reports]),
    },
  ];
}

function changeSection(report: Report): CsvSection | undefined {
  const change = report.change;
  if (!change) return undefined;
  return {
    title: labelText(['环比变化', 'Change against the previous period']),
    header: ['指标 Figure', `${report.period.label} 本期 This period`, `${change.previous} 上期 Previous period`, '环比 Change (%)'],
    rows: (Object.entries(change.totals) as [Total, { current: number; previous: number; percent?: number }][]).map(([name, entry]) => [
      labelText(TOTAL_LABELS[name]),
      entry.current,
      entry.previous,
      entry.percent,
    ]),
  };
}

function scorecardSection(report: Report): CsvSection | undefined {
  if (!report.scorecards) return undefined;
  return {
    title: labelText(['网格员考评', 'Grid-worker scorecards']),
    header: [
      '人员 Person',
      '姓名 Name',
      '网格 Grid',
      '有效上报 Valid reports',
      '作废/重复 Voided',
      labelText(TOTAL_LABELS.handled),
      labelText(TOTAL_LABELS.handledOnTime),
      '按期率 On-time rate (%)',
      labelText(TOTAL_LABELS.patrols),
    ],
    rows: report.scorecards.map((card) => [
      card.person,
      card.name,
      card.grid,
      card.validReports,
      card.voidedReports,
      card.handled,
      card.handledOnTime,
      card.onTimeRate,
      card.patrols,
    ]),
  };
}

function monthsSection(report: Report): CsvSection | undefined {
  if (!report.months) return undefined;
  return {
    title: labelText(['季度趋势', 'Trend over the quarter']),
    header: [
      '月份 Month',
      ...TOTALS.map((name) => labelText(TOTAL_LABELS[name])),
      `${labelText(RATE_LABELS.onTimeClosure)} (%)`,
      labelText(RATE_LABELS.satisfaction),
      `${labelText(RATE_LABELS.patrolCoverage)} (%)`,
    ],
    rows: report.months.map((month) => [
      month.period,
      ...TOTALS.map((name) => month.totals[name]),
      month.rates.onTimeClosure,
      month.rates.satisfaction,
      month.rates.patrolCoverage,
    ]),
  };
}
