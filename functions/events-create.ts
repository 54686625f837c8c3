/** POST /events — report a matter (上报). 201 with the case; 200 when an Idempotency-Key replays an earlier report. */
import { reportCaseForReporter } from '../shared/core/report-case';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { idempotencyKeyOf } from '../shared/http/idempotency-key';
import { reporterTokenOf } from '../shared/http/reporter-token';
import { ReportEventBody } from '../shared/schemas/events';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('optional', async (request, deps) => {
  const body = parseInput(ReportEventBody, request.body, 'body');
  const idempotencyKey = idempotencyKeyOf(request.headers);
  const { view, created } = await reportCaseForReporter(deps, {
    body,
    caller: request.caller,
    clientId: request.sourceIp,
    idempotencyKey,
    reporterToken: reporterTokenOf(request.headers),
  });
  return { status: created ? 201 : 200, body: view, headers: { location: `/events/${view.id}` } };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. The report is stored in one transaction
 * (with its idempotency and rate-limit items), nearby open cases of the same item are read for the likely-
 * duplicate check, its lifecycle is started, and the intake SMS are stored with the report (the SMS sender texts them).
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'PutItem', 'UpdateItem'],
  indexes: ['byPlace'],
  stateMachine: ['StartExecution'],
};
