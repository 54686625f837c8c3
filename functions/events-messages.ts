/** GET /events/{id}/messages — the SMS the case caused and where each stands, if the caller may see the case. */
import { caseMessages } from '../shared/core/case-records';
import { apiRoute } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await caseMessages(deps, request.caller, eventIdOf(request)),
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the case, its SMS entries (a Query
 * of its collection) and each SMS's outcome (GetItem).
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
