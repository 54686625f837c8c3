/** POST /campaigns — a town center or community station sends a task to every grid worker of the units named (SMS each). */
import { createCampaign } from '../shared/core/campaigns';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { CreateCampaignBody } from '../shared/schemas/campaigns';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const campaign = await createCampaign(deps, request.caller, parseInput(CreateCampaignBody, request.body, 'body'));
  return { status: 201, body: campaign, headers: { location: `/campaigns/${campaign.id}` } };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Stores the campaign and an SMS (for the SMS sender) to every
 * targeted grid worker.
 */
export const needs: LambdaNeeds = { table: ['PutItem'] };
