/** GET /events/{id} — one event with its timeline, if the caller may see it. */
import { getCase } from '../shared/core/read-cases';
import { apiRoute } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await getCase(deps, request.caller, eventIdOf(request)),
}));

export const handler = makeHandler(route);
