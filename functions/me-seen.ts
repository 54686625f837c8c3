/** GET /me/seen — the cases the caller has opened (kept 30 days): which level-1 banners are theirs no longer. */
import { casesSeenBy } from '../shared/core/seen-cases';
import { apiRoute } from '../shared/http/api-handler';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: { cases: await casesSeenBy(deps, request.caller) },
}));

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. Reads the caller's openings. */
export const needs: LambdaNeeds = { table: ['Query'] };
