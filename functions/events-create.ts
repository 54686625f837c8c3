/** POST /events — report a matter (上报). 201 with the event; 200 when an Idempotency-Key replays an earlier report. */
import { reportCase } from '../shared/core/report-case';
import { viewOf } from '../shared/core/read-cases';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { idempotencyKeyOf } from '../shared/http/idempotency-key';
import { ReportEventBody } from '../shared/schemas/events';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('optional', async (request, deps) => {
  const body = parseInput(ReportEventBody, request.body, 'body');
  const idempotencyKey = idempotencyKeyOf(request.headers);
  const { event, created } = await reportCase(deps, { body, caller: request.caller, clientId: request.sourceIp, idempotencyKey });
  // The reporter sees what they sent; the phone is theirs.
  const view = { ...viewOf(event, request.caller), ...(event.reporter ? { reporter: event.reporter } : {}) };
  return { status: created ? 201 : 200, body: view, headers: { location: `/events/${event.id}` } };
});

export const handler = makeHandler(route);
