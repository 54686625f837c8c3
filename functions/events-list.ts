/** GET /events — cases of a unit (a prefix covers everything below it), filtered, with a cursor. */
import { listCases } from '../shared/core/read-cases';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ListEventsQuery } from '../shared/schemas/events';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await listCases(deps, request.caller, parseInput(ListEventsQuery, request.query, 'query')),
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Lists are read from the unit, urgency and
 * handler indexes alone (they project every attribute); a "changed since" poll reads ids from byChangeWithTeams, then
 * each case (GetItem).
 */
export const needs: LambdaNeeds = { table: ['GetItem'], indexes: ['byUnit', 'byUrgency', 'byAssignee', 'byOverdue', 'byChangeWithTeams'] };
