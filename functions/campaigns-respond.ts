/** POST /campaigns/{id}/responses — a targeted grid worker answers: 201 the first time, 200 when it replaces an earlier answer. */
import { respondToCampaign } from '../shared/core/campaigns';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { CampaignResponseBody } from '../shared/schemas/campaigns';
import { campaignIdOf } from '../shared/http/campaign-params';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const id = campaignIdOf(request);
  const { response, first } = await respondToCampaign(deps, request.caller, id, parseInput(CampaignResponseBody, request.body, 'body'));
  return { status: first ? 201 : 200, body: response };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Stores the worker's answer and counts it
 * on the campaign's list entry; no SMS.
 */
export const needs: LambdaNeeds = { table: ['Query', 'PutItem', 'UpdateItem'] };
