/** GET /patrols?unit=…&day=YYYY-MM-DD — a unit's patrols on a day and its grids' coverage. */
import { listPatrols } from '../shared/core/patrols';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ListPatrolsQuery } from '../shared/schemas/patrols';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await listPatrols(deps, request.caller, parseInput(ListPatrolsQuery, request.query, 'query')),
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads a unit's patrols of a day and its
 * grids' day markers.
 */
export const needs: LambdaNeeds = { table: ['Query'] };
