/** GET /campaigns/{id} — the campaign with who has and has not answered, as far as the caller may see. */
import { getCampaign } from '../shared/core/campaigns';
import { apiHandler } from '../shared/http/api-handler';
import { campaignIdOf } from '../shared/http/campaign-params';

export const handler = apiHandler('required', async (request, deps) => ({
  status: 200,
  body: await getCampaign(deps, request.caller!, campaignIdOf(request)),
}));
