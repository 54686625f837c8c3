/** GET /campaigns?unit=… — campaigns of a unit, latest deadline first, with how many have answered. */
import { listCampaigns } from '../shared/core/campaigns';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ListCampaignsQuery } from '../shared/schemas/campaigns';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => ({
  status: 200,
  body: await listCampaigns(deps, request.caller, parseInput(ListCampaignsQuery, request.query, 'query')),
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the district's campaign list.
 */
export const needs: LambdaNeeds = { table: ['Query'] };
