/** POST /events/{id}/rating-code — the verified reporter asks for a new rating code, texted to their phone (202). */
import { renewRatingCode } from '../shared/core/renew-rating-code';
import { apiRoute } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { reporterTokenOf } from '../shared/http/reporter-token';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('resident', async (request, deps) => {
  const id = eventIdOf(request);
  const { sentTo } = await renewRatingCode(deps, id, reporterTokenOf(request.headers));
  return { status: 202, body: { id, sentTo } };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. It reads the case, counts the request
 * against the case's daily window, and stores the new code with its timeline entry and its SMS in one transaction
 * (the SMS sender texts it).
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'PutItem', 'UpdateItem'] };
