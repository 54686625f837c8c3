/** GET /reports/{kind} — 日汇总, 周研判, 月通报, 季分析 for a unit or a department team; JSON, or HTML/CSV by Accept (or ?format=). */
import { badRequest } from '../shared/domain/errors';
import { parsePeriod, PeriodError, type Period } from '../shared/domain/periods';
import { apiRoute, parseInput, type ApiReply } from '../shared/http/api-handler';
import { reportScope } from '../shared/core/reports/report-scope';
import { lastCompletePeriod, reportFor } from '../shared/core/reports/published-reports';
import type { Report } from '../shared/domain/reports';
import { CONTENT_SECURITY_POLICY, renderHtml } from '../shared/presenters/reports/render-html';
import { renderCsv, reportFileName } from '../shared/presenters/reports/render-csv';
import { ReportKindParam, ReportQuery } from '../shared/schemas/reports';
import { makeHandler } from '../shared/composition/make-handler';

type Format = 'json' | 'html' | 'csv';

export const route = apiRoute('required', async (request, deps) => {
  const kind = parseInput(ReportKindParam, request.pathParameters.kind, 'query');
  const query = parseInput(ReportQuery, request.query, 'query');
  const scope = reportScope(deps, request.caller, query);
  let period: Period;
  try {
    period = query.period ? parsePeriod(kind, query.period) : lastCompletePeriod(kind, deps.clock.now());
  } catch (error) {
    if (error instanceof PeriodError) throw badRequest(`period: ${error.message}`, [{ field: 'period', message: error.message }]);
    throw error;
  }
  const report = await reportFor(deps, kind, scope, period);
  return reply(report, query.format ?? formatFromAccept(request.headers.accept));
});

export const handler = makeHandler(route);

function reply(report: Report, format: Format): ApiReply {
  // The same URL answers in three forms: caches must key on Accept.
  const vary = { vary: 'Accept' };
  switch (format) {
    case 'html':
      return {
        status: 200,
        text: renderHtml(report),
        headers: { ...vary, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY },
      };
    case 'csv':
      return {
        status: 200,
        text: renderCsv(report),
        headers: {
          ...vary,
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${reportFileName(report, 'csv')}"`,
        },
      };
    case 'json':
      return { status: 200, body: report, headers: vary };
  }
}

const MEDIA_TYPES: Record<string, Format> = { 'application/json': 'json', 'text/html': 'html', 'text/csv': 'csv' };

/** The form the Accept header prefers (highest q; the first listed on a tie); JSON when it names none of ours. */
export function formatFromAccept(accept: string | undefined): Format {
  let best: { format: Format; quality: number } = { format: 'json', quality: 0 };
  for (const range of (accept ?? '').split(',')) {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const format = MEDIA_TYPES[type];
    const qualityParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = qualityParameter ? Number(qualityParameter.slice(2)) : 1;
    if (format && quality > best.quality) best = { format, quality };
  }
  return best.format;
}
