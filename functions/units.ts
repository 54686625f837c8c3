/** GET /units — the unit tree (`?tree=true`) or a list filtered by `parent`, `level` or code prefix `under`. */
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { UnitsQuery } from '../shared/schemas/units';
import { unitList, unitTree } from '../shared/core/unit-views';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('public', async (request, deps) => {
  const query = parseInput(UnitsQuery, request.query, 'query');
  const body = query.tree === 'true' ? { tree: unitTree(deps.directory, query.under) } : { items: unitList(deps.directory, query) };
  return { status: 200, body, headers: { 'cache-control': 'public, max-age=300' } };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Served from bundled data: no AWS calls.
 */
export const needs: LambdaNeeds = {};
