/** POST /events — report a matter (上报). 201 with the event; 200 when an Idempotency-Key replays an earlier report. */
import { reportCaseForReporter } from '../shared/core/report-case';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { idempotencyKeyOf } from '../shared/http/idempotency-key';
import { ReportEventBody } from '../shared/schemas/events';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('optional', async (request, deps) => {
  const body = parseInput(ReportEventBody, request.body, 'body');
  const idempotencyKey = idempotencyKeyOf(request.headers);
  const { view, created } = await reportCaseForReporter(deps, { body, caller: request.caller, clientId: request.sourceIp, idempotencyKey });
  return { status: created ? 201 : 200, body: view, headers: { location: `/events/${view.id}` } };
});

export const handler = makeHandler(route);
