/** GET /events/{id} — one event with its timeline, if the caller may see it. */
import { getCase } from '../shared/core/read-cases';
import { apiRoute } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await getCase(deps, request.caller, eventIdOf(request)),
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the case and its timeline.
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
