/** POST /events/{id}/rating — the reporter rates the result with the code from the feedback SMS (no sign-in). */
import { rateAsReporter } from '../shared/core/act-on-case';
import { apiHandler, parseInput } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { RatingBody } from '../shared/schemas/events';

export const handler = apiHandler('public', async (request, deps) => {
  const event = await rateAsReporter(deps, eventIdOf(request), parseInput(RatingBody, request.body, 'body'), request.sourceIp);
  return { status: 200, body: { id: event.id, stage: event.stage, rating: event.rating ?? null, reopened: event.reopened ?? false } };
});
