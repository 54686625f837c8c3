/** GET /patrols?unit=…&day=YYYY-MM-DD — a unit's patrols on a day and its grids' coverage. */
import { listPatrols } from '../shared/core/patrols';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ListPatrolsQuery } from '../shared/schemas/patrols';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await listPatrols(deps, request.caller, parseInput(ListPatrolsQuery, request.query, 'query')),
}));

export const handler = makeHandler(route);
