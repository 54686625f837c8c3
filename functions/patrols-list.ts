/** GET /patrols?unit=…&day=YYYY-MM-DD — a unit's patrols on a day and its grids' coverage. */
import { listPatrols } from '../shared/core/patrols';
import { apiHandler, parseInput } from '../shared/http/api-handler';
import { ListPatrolsQuery } from '../shared/schemas/patrols';

export const handler = apiHandler('required', async (request, deps) => ({
  status: 200,
  body: await listPatrols(deps, request.caller!, parseInput(ListPatrolsQuery, request.query, 'query')),
}));
