/** GET /admin/reference — the reference version in effect: who applied it, when, why, its changes, its documents' sizes. */
import { currentReferenceVersion } from '../shared/core/administer-reference';
import { apiRoute } from '../shared/http/api-handler';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await currentReferenceVersion(deps, request.caller),
}));

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. Reads the version and its documents. */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
