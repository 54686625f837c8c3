/** GET /admin/reference/versions — the reference versions, newest first, each with its audit (who, when, why, the changes). */
import { listReferenceVersions } from '../shared/core/administer-reference';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ReferenceVersionsQuery } from '../shared/schemas/admin-reference';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const { limit } = parseInput(ReferenceVersionsQuery, request.query, 'query');
  return { status: 200, body: await listReferenceVersions(deps, request.caller, limit) };
});

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. Reads the versions and their changes. */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
