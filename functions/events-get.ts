/** GET /events/{id} — one event with its timeline, if the caller may see it. */
import { getCase } from '../shared/core/read-cases';
import { apiHandler } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';

export const handler = apiHandler('required', async (request, deps) => ({
  status: 200,
  body: await getCase(deps, request.caller!, eventIdOf(request)),
}));
