/** POST /admin/reference/rollback — a new reference version whose documents are an earlier version's. */
import { rollBackReference } from '../shared/core/administer-reference';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { RollBackReferenceBody } from '../shared/schemas/admin-reference';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const version = await rollBackReference(deps, request.caller, parseInput(RollBackReferenceBody, request.body, 'body'));
  return { status: 201, body: version, headers: { location: `/admin/reference/versions/${version.version}` } };
});

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. As apply: reads, then the new version. */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query', 'PutItem'] };
