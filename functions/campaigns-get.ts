/** GET /campaigns/{id} — the campaign with who has and has not answered, as far as the caller may see. */
import { getCampaign } from '../shared/core/campaigns';
import { apiRoute } from '../shared/http/api-handler';
import { campaignIdOf } from '../shared/http/campaign-params';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await getCampaign(deps, request.caller, campaignIdOf(request)),
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the campaign and its answers.
 */
export const needs: LambdaNeeds = { table: ['Query'] };
