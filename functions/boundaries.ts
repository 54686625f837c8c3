/** GET /boundaries?unit=… — the outlines of a unit the caller may see and of every unit below it (GeoJSON), for the map. */
import { boundariesUnder } from '../shared/core/unit-views';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { BoundariesQuery } from '../shared/schemas/units';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: boundariesUnder(deps.directory, request.caller, parseInput(BoundariesQuery, request.query, 'query')),
  // The reference data changes seldom (a new version is in effect within a minute): the browser keeps it five.
  headers: { 'cache-control': 'private, max-age=300' },
}));

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. The reference data only: no other AWS calls. */
export const needs: LambdaNeeds = {};
