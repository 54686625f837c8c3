/** GET /reports/{kind} — 日汇总, 周研判, 月通报, 季分析 for a unit or a department team; JSON, or HTML/CSV by Accept (or ?format=). */
import { getReport } from '../shared/core/reports/get-report';
import type { Report } from '../shared/domain/reports';
import { CONTENT_SECURITY_POLICY, renderHtml } from '../shared/presenters/reports/render-html';
import { renderCsv, reportFileName } from '../shared/presenters/reports/render-csv';
import { apiRoute, parseInput, type ApiReply } from '../shared/http/api-handler';
import { formatFromAccept, type ReplyFormat } from '../shared/http/content-negotiation';
import { ReportPathParams, ReportQuery } from '../shared/schemas/reports';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const { kind } = parseInput(ReportPathParams, request.pathParameters, 'path');
  const query = parseInput(ReportQuery, request.query, 'query');
  const report = await getReport(deps, request.caller, kind, query);
  return reply(report, query.format ?? formatFromAccept(request.headers.accept));
});

export const handler = makeHandler(route);

function reply(report: Report, format: ReplyFormat): ApiReply {
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

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads published reports and builds the
 * current period's from the counters and the unit index; never writes.
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'], indexes: ['byOverdue'] };
