/** GET /events/{id} — one case with the latest page of its timeline (older pages by `cursor`), if the caller may see it. */
import { getCase } from '../shared/core/read-cases';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { GetEventQuery } from '../shared/schemas/events';
import { eventIdOf } from '../shared/http/replies';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const page = parseInput(GetEventQuery, request.query, 'query');
  return { status: 200, body: await getCase(deps, request.caller, eventIdOf(request), page) };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the case and its timeline.
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
