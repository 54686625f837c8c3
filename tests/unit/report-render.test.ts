/**
 * The report's HTML page and CSV, from reports built by hand: one with every section (a street's
 * quarterly analysis) and a minimal one (a department team's empty day). The HTML must be
 * self-contained and escaped, with one chart per section whose bars carry the report's numbers; the
 * CSV must read back, field for field, through an RFC 4180 parser.
 */
import { TOTALS, type RankRow, type Report, type Totals } from '../../shared/domain/reports';
import { renderCsv, reportFileName } from '../../shared/presenters/reports/render-csv';
import { renderHtml } from '../../shared/presenters/reports/render-html';

const SCRIPT_NAME = '<script>alert("pwned")</script>网格';
const TRICKY_NAME = '东, "西"\n南北';
const FORMULA_NAME = '=HYPERLINK("x")';

function totals(values: Partial<Totals> = {}): Totals {
  return { ...(Object.fromEntries(TOTALS.map((name) => [name, 0])) as Totals), ...values };
}

function rankRow(code: string, name: string, values: Partial<RankRow['totals']>, extra: Partial<RankRow>): RankRow {
  const rowTotals = {
    handled: 0,
    handledOnTime: 0,
    overdue: 0,
    extended: 0,
    returned: 0,
    reworked: 0,
    throughTrain: 0,
    notAcknowledged: 0,
    rated: 0,
    ...values,
  };
  return { code, name, totals: rowTotals, due: rowTotals.handledOnTime + rowTotals.overdue, rates: {}, flags: [], ...extra };
}

function fullReport(): Report {
  return {
    kind: 'quarterly',
    scope: { kind: 'unit', code: '441302010', name: '小金口街道', level: 'town' },
    period: { kind: 'quarterly', label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' },
    generatedAt: '2027-01-01T00:00:05.000Z',
    totals: totals({
      reported: 120,
      accepted: 110,
      voided: 6,
      routed: 110,
      handled: 95,
      handledOnTime: 80,
      closed: 90,
      closedOnTime: 78,
      overdue: 12,
      returned: 5,
      reworked: 2,
      throughTrain: 1,
      rated: 40,
      ratingTotal: 170,
      patrols: 400,
      patrolledGrids: 380,
    }),
    rates: { onTimeClosure: 87, satisfaction: 4.3, patrolCoverage: 92.1 },
    open: 17,
    byClass: [
      { code: '01', name: '城市管理与市容环境', reported: 70, closed: 55, overdue: 6 },
      { code: '02', name: '安全隐患', reported: 30, closed: 20, overdue: 4 },
      { code: '03', name: SCRIPT_NAME, reported: 20, closed: 15, overdue: 2 },
    ],
    byItem: [
      { code: '01-01', name: '排水口或下水道堵塞', reported: 40, closed: 35, overdue: 3 },
      { code: '01-04', name: TRICKY_NAME, reported: 30, closed: 20, overdue: 3 },
      { code: '02-03', name: FORMULA_NAME, reported: 30, closed: 20, overdue: 4 },
      { code: '03-08', name: '噪音扰民', reported: 20, closed: 15, overdue: 2 },
    ],
    overdueList: [
      {
        id: 'E20261203-AAAAAA',
        itemCode: '01-01',
        gridCode: '441302010001001',
        severity: 4,
        tier: 'community',
        assignee: '金源社区网格站',
        deadlineAt: '2026-12-04T18:00:00+08:00',
      },
      {
        id: 'E20261215-BBBBBB',
        itemCode: '02-03',
        gridCode: '441302010001002',
        severity: 2,
        tier: 'district',
        assignee: SCRIPT_NAME,
        deadlineAt: '2026-12-16T12:00:00+08:00',
      },
    ],
    patrol: { gridDays: 828, patrolledGridDays: 380 },
    hotspots: {
      topItems: [
        { code: '01-01', name: '排水口或下水道堵塞', reported: 40 },
        { code: '01-04', name: TRICKY_NAME, reported: 30 },
      ],
      topGrids: [
        { code: '441302010001001', name: '金源社区第一网格', reported: 25, overdue: 3 },
        { code: '441302010001002', name: SCRIPT_NAME, reported: 18, overdue: 0 },
        { code: '441302010001003', name: '金源社区第三网格', reported: 9, overdue: 1 },
      ],
      repeatedPlaces: [{ itemCode: '01-01', itemName: '排水口或下水道堵塞', cell: 'ws0e8x2', lat: 23.13152, lng: 114.41523, reports: 4 }],
    },
    change: {
      previous: '2026-Q3',
      totals: {
        reported: { current: 120, previous: 100, percent: 20 },
        closed: { current: 90, previous: 100, percent: -10 },
        closedOnTime: { current: 78, previous: 0 },
        overdue: { current: 12, previous: 8, percent: 50 },
      },
    },
    rankings: {
      departments: [
        rankRow(
          '441302010:urban-management',
          '小金口街道城管执法队',
          { handled: 40, handledOnTime: 38, overdue: 2 },
          { rates: { onTimeClosure: 95, satisfaction: 4.6 }, score: 92.1, grade: 'A', flags: ['慢作为 overdue'] },
        ),
        rankRow(
          '441302010:housing',
          SCRIPT_NAME,
          { handled: 10, handledOnTime: 5, overdue: 5, returned: 3, notAcknowledged: 1 },
          {
            rates: { onTimeClosure: 50 },
            score: 37.5,
            grade: 'E',
            flags: ['不作为 not acknowledged in time', '慢作为 overdue', '推诿扯皮 returned twice or more'],
          },
        ),
        rankRow('441302:civil-affairs', '区民政局', {}, {}),
      ],
      units: [
        rankRow(
          '441302010001',
          '金源社区',
          { handled: 30, handledOnTime: 24, overdue: 6 },
          { rates: { onTimeClosure: 80 }, score: 80, grade: 'B', flags: ['慢作为 overdue'] },
        ),
      ],
    },
    scorecards: [
      {
        person: 'gw-ouyang-lingqiao',
        name: '欧阳玲巧',
        grid: '441302010001001',
        validReports: 30,
        voidedReports: 2,
        handled: 20,
        handledOnTime: 18,
        onTimeRate: 90,
        patrols: 60,
      },
      {
        person: 'gw-2',
        name: TRICKY_NAME,
        grid: '441302010001002',
        validReports: 5,
        voidedReports: 0,
        handled: 0,
        handledOnTime: 0,
        patrols: 0,
      },
    ],
    months: [
      { period: '2026-10', totals: totals({ reported: 30, closed: 20, closedOnTime: 18, overdue: 2 }), rates: { onTimeClosure: 90 } },
      {
        period: '2026-11',
        totals: totals({ reported: 50, closed: 40, closedOnTime: 35, overdue: 5 }),
        rates: { onTimeClosure: 87.5, satisfaction: 4.2 },
      },
      { period: '2026-12', totals: totals({ reported: 40, closed: 30, closedOnTime: 25, overdue: 5 }), rates: {} },
    ],
  };
}

function minimalReport(): Report {
  return {
    kind: 'daily',
    scope: { kind: 'department', code: '441302010:urban-management', name: '小金口街道城管执法队' },
    period: { kind: 'daily', label: '2026-11-26', from: '2026-11-26', to: '2026-11-26' },
    generatedAt: '2026-11-27T00:00:00.000Z',
    totals: totals(),
    rates: {},
    byClass: [],
    byItem: [],
    overdueList: [],
  };
}

// ── HTML helpers ─────────────────────────────────────────────────────────────────────────────────────

/** The markup of the chart with this class (one and only one). */
function chart(html: string, className: string): string {
  const pattern = new RegExp(`<svg class="chart ${className}"[\\s\\S]*?</svg>`, 'g');
  const found = html.match(pattern) ?? [];
  expect(found).toHaveLength(1);
  return found[0] ?? '';
}

/** The `data-value`s of a chart's bars of one series, in order. */
function barValues(svg: string, series: string): number[] {
  return [...svg.matchAll(new RegExp(`<rect class="bar bar-${series}"[^>]*data-value="([^"]+)"`, 'g'))].map((match) => Number(match[1]));
}

/** The body rows of the table in a section. */
function tableRows(html: string, section: string, table = 0): string[] {
  const markup = new RegExp(`<section class="section-${section}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  const body = [...markup.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)][table]?.[1] ?? '';
  return body.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
}

describe('renderHtml', () => {
  const report = fullReport();
  const html = renderHtml(report);

  test('is one self-contained page: no scripts, no fonts, images or links from outside', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|@font-face|url\(|\son\w+=/i);
    expect(html).toContain("default-src 'none'");
  });

  test('escapes every name that comes from data', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;网格');
    // In table cells, chart tooltips and the flags alike: the raw name appears nowhere.
    expect(html).not.toContain(SCRIPT_NAME);
    expect(html).toContain('东, &quot;西&quot;\n南北');
  });

  test('the header names the unit, the report, the period and when it was generated', () => {
    const header = /<header class="report-header">[\s\S]*?<\/header>/.exec(html)![0];
    expect(header).toContain('小金口街道');
    expect(header).toContain('季分析');
    expect(header).toContain('Quarterly analysis');
    expect(header).toContain('2026-Q4');
    expect(header).toContain('2026-10-01 – 2026-12-31');
    expect(header).toContain('2027-01-01 08:00'); // Asia/Shanghai
    expect(html).toMatch(/<title>小金口街道 季分析 2026-Q4/);
  });

  test('the key figures: reported, closed, on time, rate, overdue, open, satisfaction, patrol coverage', () => {
    const figures = /<section class="key-figures">[\s\S]*?<\/section>/.exec(html)![0];
    const values = [...figures.matchAll(/<div class="figure-value">([^<]*)<\/div>/g)].map((match) => match[1]);
    expect(values).toEqual(['120', '90', '78', '87%', '12', '17', '4.3 / 5', '92.1%']);
    expect(figures).toContain('▲ +20% · 2026-Q3: 100');
    // A rise in overdue cases is bad news, a fall in closures too.
    expect(figures).toMatch(/class="delta up worse">▲ \+50%/);
    expect(figures).toMatch(/class="delta down worse">▼ -10%/);
  });

  test('the by-class chart has a titled bar per class and series, carrying the numbers', () => {
    const svg = chart(html, 'chart-by-class');
    expect(svg).toMatch(/<title>按大类/);
    expect(barValues(svg, 'reported')).toEqual(report.byClass.map((entry) => entry.reported));
    expect(barValues(svg, 'closed')).toEqual(report.byClass.map((entry) => entry.closed));
    expect(barValues(svg, 'overdue')).toEqual(report.byClass.map((entry) => entry.overdue));
    // Bars are drawn to scale: the longest is the largest value.
    const widths = [...svg.matchAll(/<rect class="bar bar-reported"[^>]*width="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(widths[0]).toBeGreaterThan(widths[1]);
    expect(widths[1]).toBeGreaterThan(widths[2]);
  });

  test('the ranking chart shows the on-time rate of each department with a due case, with its grade', () => {
    const svg = chart(html, 'chart-ranking');
    expect(barValues(svg, 'rate')).toEqual([95, 50]);
    expect([...svg.matchAll(/<g class="grade-badge grade-([A-E])">/g)].map((match) => match[1])).toEqual(['A', 'E']);
    expect(chart(html, 'chart-ranking-units')).toContain('data-value="80"');
    // Full width is 100%: the 50% bar is half the 100% scale.
    const [full, half] = [...svg.matchAll(/<rect class="bar bar-rate"[^>]*width="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(half / full).toBeCloseTo(50 / 95, 2);
  });

  test('the ranking table lists every department with its grade and accountability flags', () => {
    const rows = tableRows(html, 'ranking-departments');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('<span class="grade grade-A">A</span>');
    expect(rows[1]).toContain('<span class="grade grade-E">E</span>');
    // Each flag a Chinese tag with its English meaning as the tooltip (the footer spells them out).
    expect(rows[1]).toContain('<span class="flag" title="returned twice or more">推诿扯皮</span>');
    expect(rows[1]).toContain('<span class="flag" title="not acknowledged in time">不作为</span>');
    expect(rows[0]).toContain('<span class="flag" title="overdue">慢作为</span>');
    expect(rows[2]).toContain('—'); // nothing due: no rate, no grade
  });

  test('the trend chart has a pair of columns and a point of the on-time line per month', () => {
    const svg = chart(html, 'chart-trend');
    expect(barValues(svg, 'reported')).toEqual([30, 50, 40]);
    expect(barValues(svg, 'closed')).toEqual([20, 40, 30]);
    expect(svg).toMatch(/<path class="line line-on-time" d="M[\d.]+ [\d.]+ L[\d.]+ [\d.]+"/);
    expect(svg.match(/<circle class="point"/g)).toHaveLength(2); // December has no rate
    expect(tableRows(html, 'trend')).toHaveLength(3);
  });

  test('hotspots: the top-grids chart, the top items and the repeated places', () => {
    const svg = chart(html, 'chart-top-grids');
    expect(barValues(svg, 'reported')).toEqual([25, 18, 9]);
    expect(barValues(svg, 'overdue')).toEqual([3, 0, 1]);
    expect(tableRows(html, 'hotspots', 0)).toHaveLength(2);
    expect(tableRows(html, 'hotspots', 1)).toHaveLength(1);
    expect(tableRows(html, 'hotspots', 1)[0]).toContain('23.13152, 114.41523');
  });

  test('the tables: by item (most reported first), overdue list, change, scorecards', () => {
    expect(tableRows(html, 'by-item')).toHaveLength(4);
    expect(tableRows(html, 'by-item')[0]).toContain('排水口或下水道堵塞');
    const overdue = tableRows(html, 'overdue');
    expect(overdue).toHaveLength(2);
    expect(overdue[0]).toContain('01-01 排水口或下水道堵塞');
    expect(overdue[0]).toContain('2026-12-04 18:00');
    expect(overdue[1]).toContain('二级 Level 2');
    expect(overdue[1]).toContain('区 District');
    const change = tableRows(html, 'change');
    expect(change).toHaveLength(4);
    expect(change[2]).toContain('—'); // no previous value, no percentage
    expect(tableRows(html, 'scorecards')).toHaveLength(2);
    expect(html).toContain('评分说明');
  });

  test('a report with no data has the header and the key figures only', () => {
    const page = renderHtml(minimalReport());
    expect(page).not.toContain('<svg');
    expect(page).not.toContain('<table');
    expect(page.match(/<section/g)).toHaveLength(1);
    expect(page).toContain('日汇总');
    expect(page).toContain('部门');
    expect(page).not.toContain('在办'); // a department has no open count
    expect(page).not.toContain('巡查覆盖率');
    expect(page).not.toContain('评分说明');
    expect(page).not.toMatch(/<script|https?:\/\//i);
  });

  test('a scale still works when every value is zero', () => {
    const report = fullReport();
    report.byClass = [{ code: '01', name: '城市管理与市容环境', reported: 0, closed: 0, overdue: 1 }];
    const svg = chart(renderHtml(report), 'chart-by-class');
    expect(barValues(svg, 'reported')).toEqual([0]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────────────

/** An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') endField();
    else if (character === '\r' && text[index + 1] === '\n') {
      endRow();
      index++;
    } else field += character;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

/** Sections: the rows between blank lines, keyed by their title. */
function csvSections(text: string): Map<string, { header: string[]; rows: string[][] }> {
  const sections = new Map<string, { header: string[]; rows: string[][] }>();
  let current: string[][] = [];
  const close = () => {
    if (current.length) sections.set(current[0][0], { header: current[1], rows: current.slice(2) });
    current = [];
  };
  for (const row of parseCsv(text)) {
    if (row.length === 1 && row[0] === '') close();
    else current.push(row);
  }
  close();
  return sections;
}

describe('renderCsv', () => {
  const report = fullReport();
  const csv = renderCsv(report);
  const sections = csvSections(csv.slice(1));

  test('starts with a UTF-8 byte-order mark and ends every line with CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // Bare LFs only inside quoted fields (the tricky name), never as line ends.
    expect(csv.replace(/"(?:[^"]|"")*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  test('has every section, in order, each with a title and a header row', () => {
    expect([...sections.keys()]).toEqual([
      '汇总 Summary',
      '按大类 By class',
      '按小项 By item',
      '逾期清单 Overdue cases',
      '部门排名 Department ranking',
      '单位排名 Unit ranking',
      '高发事项 Top items',
      '高发网格 Top grids',
      '重复上报地点 Places reported three times or more',
      '环比变化 Change against the previous period',
      '网格员考评 Grid-worker scorecards',
      '季度趋势 Trend over the quarter',
    ]);
    for (const [, section] of sections) for (const row of section.rows) expect(row).toHaveLength(section.header.length);
  });

  test('row counts match the report', () => {
    const rows = (title: string) => sections.get(title)!.rows.length;
    expect(rows('按大类 By class')).toBe(3);
    expect(rows('按小项 By item')).toBe(4);
    expect(rows('逾期清单 Overdue cases')).toBe(2);
    expect(rows('部门排名 Department ranking')).toBe(3);
    expect(rows('单位排名 Unit ranking')).toBe(1);
    expect(rows('高发网格 Top grids')).toBe(3);
    expect(rows('网格员考评 Grid-worker scorecards')).toBe(2);
    expect(rows('季度趋势 Trend over the quarter')).toBe(3);
    // 7 lines about the report, every total, open, the three rates and the grid-days.
    expect(rows('汇总 Summary')).toBe(7 + TOTALS.length + 1 + 3 + 1);
  });

  test('quotes commas, quotes and line breaks, and reads back to the same text', () => {
    expect(csv).toContain('"东, ""西""\n南北"');
    const byItem = sections.get('按小项 By item')!;
    expect(byItem.header).toEqual(['代码 Code', '名称 Name', '上报 Reported', '办结 Closed', '逾期 Overdue']);
    expect(byItem.rows[1]).toEqual(['01-04', TRICKY_NAME, '30', '20', '3']);
    expect(sections.get('按大类 By class')!.rows[2][1]).toBe(SCRIPT_NAME);
  });

  test('defuses text a spreadsheet would run as a formula', () => {
    expect(sections.get('按小项 By item')!.rows[2][1]).toBe(`'${FORMULA_NAME}`);
  });

  test('numbers are bare; rankings carry score, grade and flags', () => {
    const summary = new Map(sections.get('汇总 Summary')!.rows.map(([name, value]) => [name, value]));
    expect(summary.get('上报 Reported')).toBe('120');
    expect(summary.get('按期办结率 On-time closure rate (%)')).toBe('87');
    expect(summary.get('在办 Open')).toBe('17');
    expect(summary.get('生成时间 Generated at')).toBe('2027-01-01 08:00');
    const departments = sections.get('部门排名 Department ranking')!;
    const column = (name: string) => departments.header.indexOf(name);
    expect(departments.rows[1][column('等级 Grade')]).toBe('E');
    expect(departments.rows[1][column('得分 Score')]).toBe('37.5');
    expect(departments.rows[1][column('问责 Flags')]).toBe(
      '不作为 not acknowledged in time; 慢作为 overdue; 推诿扯皮 returned twice or more',
    );
    expect(departments.rows[2][column('等级 Grade')]).toBe('');
  });

  test('a report with no data is the summary alone', () => {
    const minimal = csvSections(renderCsv(minimalReport()).slice(1));
    expect([...minimal.keys()]).toEqual(['汇总 Summary']);
    expect(minimal.get('汇总 Summary')!.rows).toHaveLength(7 + TOTALS.length + 2);
  });

  test('file names are safe everywhere', () => {
    expect(reportFileName(report, 'csv')).toBe('quarterly-441302010-2026-Q4.csv');
    expect(reportFileName(minimalReport(), 'html')).toBe('daily-441302010-urban-management-2026-11-26.html');
  });
});
