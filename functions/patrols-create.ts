/** POST /patrols — log a patrol (三查); findings with `report: true` become cases in the same call. 201 with the patrol. */
import { logPatrol } from '../shared/core/patrols';
import { apiHandler, parseInput } from '../shared/http/api-handler';
import { PatrolBody } from '../shared/schemas/patrols';

export const handler = apiHandler('required', async (request, deps) => {
  const patrol = await logPatrol(deps, request.caller!, parseInput(PatrolBody, request.body, 'body'));
  return { status: 201, body: patrol };
});
