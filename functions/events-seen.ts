/** POST /events/{id}/seen — the caller opened the case (the command center's level-1 banner goes, on every screen). */
import { markCaseSeen } from '../shared/core/seen-cases';
import { apiRoute } from '../shared/http/api-handler';
import { eventIdOf } from '../shared/http/replies';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await markCaseSeen(deps, request.caller, eventIdOf(request)),
}));

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. Reads the case, records the opening. */
export const needs: LambdaNeeds = { table: ['GetItem', 'UpdateItem'] };
