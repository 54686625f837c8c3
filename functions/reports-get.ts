/** GET /reports/{kind} — 日汇总, 周研判, 月通报, 季分析 for a unit or a department team; JSON, or HTML/CSV by Accept (or ?format=). */
import { badRequest } from '../shared/domain/errors';
import { parsePeriod, PeriodError, type Period } from '../shared/domain/periods';
import { apiHandler, parseInput } from '../shared/http/api-handler';
import { reportScope } from '../shared/core/reports/report-scope';
import { lastCompletePeriod, reportFor } from '../shared/core/reports/published-reports';
import { ReportKindParam, ReportQuery } from '../shared/schemas/reports';

export const handler = apiHandler('required', async (request, deps) => {
  const kind = parseInput(ReportKindParam, request.event.pathParameters?.kind, 'query');
  const query = parseInput(ReportQuery, request.query, 'query');
  const scope = reportScope(deps, request.caller!, query);
  let period: Period;
  try {
    period = query.period ? parsePeriod(kind, query.period) : lastCompletePeriod(kind, deps.clock.now());
  } catch (error) {
    if (error instanceof PeriodError) throw badRequest(`period: ${error.message}`, [{ field: 'period', message: error.message }]);
    throw error;
  }
  const report = await reportFor(deps, kind, scope, period);
  return { status: 200, body: report };
});
