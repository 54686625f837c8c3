/**
 * POST /patrols — log a patrol (三查); findings with `report: true` become cases in the same call. 201 with the
 * patrol; 200 when an Idempotency-Key replays an earlier one (a phone that lost the reply and sent again).
 */
import { logPatrol } from '../shared/core/patrols';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { idempotencyKeyOf } from '../shared/http/idempotency-key';
import { PatrolBody } from '../shared/schemas/patrols';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const body = parseInput(PatrolBody, request.body, 'body');
  const { patrol, created } = await logPatrol(deps, request.caller, body, idempotencyKeyOf(request.headers));
  return { status: created ? 201 : 200, body: patrol };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Stores the patrol with its counters and
 * day marker (one transaction); a finding reported in the same call is stored like POST /events (duplicate check,
 * lifecycle start, intake SMS stored for the SMS sender).
 */
export const needs: LambdaNeeds = {
  table: ['GetItem', 'PutItem', 'UpdateItem'],
  indexes: ['byPlace'],
  stateMachine: ['StartExecution'],
};
