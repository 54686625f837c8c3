/** POST /campaigns/{id}/responses — a targeted grid worker answers: 201 the first time, 200 when it replaces an earlier answer. */
import { respondToCampaign } from '../shared/core/campaigns';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { CampaignResponseBody } from '../shared/schemas/campaigns';
import { campaignIdOf } from '../shared/http/campaign-params';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('required', async (request, deps) => {
  const id = campaignIdOf(request);
  const { response, first } = await respondToCampaign(deps, request.caller, id, parseInput(CampaignResponseBody, request.body, 'body'));
  return { status: first ? 201 : 200, body: response };
});

export const handler = makeHandler(route);
