/** POST /events — report a matter (上报). 201 with the event; 200 when an Idempotency-Key replays an earlier report. */
import { reportEvent } from '../shared/core/report-event';
import { viewOf } from '../shared/core/read-events';
import { badRequest } from '../shared/domain/errors';
import { apiHandler, parseInput } from '../shared/http/api-handler';
import { ReportEventBody } from '../shared/schemas/events';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export const handler = apiHandler('optional', async (request, deps) => {
  const body = parseInput(ReportEventBody, request.body, 'body');
  const idempotencyKey = request.headers['idempotency-key'];
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw badRequest('Idempotency-Key must be 1–128 letters, digits or ._:-', [{ field: 'Idempotency-Key', message: 'invalid' }]);
  }
  const { event, created } = await reportEvent(deps, { body, caller: request.caller, clientId: request.sourceIp, idempotencyKey });
  // The reporter sees what they sent; the phone is theirs.
  const view = { ...viewOf(event, request.caller), ...(event.reporter ? { reporter: event.reporter } : {}) };
  return { status: created ? 201 : 200, body: view, headers: { location: `/events/${event.id}` } };
});
