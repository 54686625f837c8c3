/** POST /events/{id}/rating — the reporter rates the result with the code from the feedback SMS (no sign-in). */
import { rateAsReporter } from '../shared/core/act-on-case';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { RatingBody } from '../shared/schemas/events';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('sms-code', async (request, deps) => {
  const theCase = await rateAsReporter(deps, eventIdOf(request), parseInput(RatingBody, request.body, 'body'), request.sourceIp);
  return {
    status: 200,
    body: { id: theCase.id, stage: theCase.stage, rating: theCase.rating ?? null, reopened: theCase.reopened ?? false },
  };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. The reporter's rating: may reopen the
 * case (wakes its task) and store the SMS to the new handler with it.
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'PutItem', 'UpdateItem'], stateMachine: ['SendTaskSuccess'] };
