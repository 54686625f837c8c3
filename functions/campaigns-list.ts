/** GET /campaigns?unit=… — campaigns of a unit, latest deadline first, with how many have answered. */
import { listCampaigns } from '../shared/core/campaigns';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ListCampaignsQuery } from '../shared/schemas/campaigns';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await listCampaigns(deps, request.caller, parseInput(ListCampaignsQuery, request.query, 'query')),
}));

export const handler = makeHandler(route);
