/**
 * A report as one self-contained HTML page, for leaders who would rather look than read: the key
 * figures, inline SVG charts, then the tables, printable on A4. No scripts, fonts, images or links
 * from outside: the page opens the same from a mail attachment or on an office PC with no internet.
 * Every text from the data (unit, department, person and item names) is escaped.
 */
import type { Report } from '../../domain/reports';
import { scoringRule } from '../../domain/scoring';
import { escapeHtml, labelHtml } from './html';
import {
  byClassSection,
  byItemSection,
  changeSection,
  hotspotSection,
  keyFigures,
  overdueSection,
  rankingSection,
  scorecardSection,
  trendSection,
} from './html-sections';
import { localTime, REPORT_TITLES, scopeLabel } from './labels';
import { STYLE } from './report-style';

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
  // The rule in the domain's words (shared/domain/scoring.ts), as the README prints it.
  const scoring = report.rankings
    ? `<p class="scoring"><strong>评分说明 How the score works.</strong> ${scoringRule().map(escapeHtml).join('\n')}</p>`
    : '';
  return `<footer>${scoring}<p>网格通 GridFlow · ${escapeHtml(report.scope.name)} · ${escapeHtml(REPORT_TITLES[report.kind][0])} ${escapeHtml(report.period.label)}</p></footer>`;
}
