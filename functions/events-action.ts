/** POST /events/{id}/actions — act on a case (accept, void, complete, …) as the who-may-do-what table allows. */
import { actOnCase } from '../shared/core/act-on-case';
import { viewOf } from '../shared/core/read-cases';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { ActionBody } from '../shared/schemas/events';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const eventId = eventIdOf(request);
  const action = parseInput(ActionBody, request.body, 'body');
  const theCase = await actOnCase(deps, request.caller, eventId, action);
  return { status: 200, body: viewOf(theCase, request.caller) };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Applies the action (one transaction),
 * wakes the waiting task, stores the SMS to whom the move concerns with it (the SMS sender texts them).
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'PutItem', 'UpdateItem'], stateMachine: ['SendTaskSuccess'] };
