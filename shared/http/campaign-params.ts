/** The `{id}` path parameter of the campaign routes; an id that cannot exist is simply not found. */
import { notFound } from '../domain/errors';
import { CAMPAIGN_ID } from '../schemas/campaigns';
import type { ApiRequest } from './api-handler';

export function campaignIdOf(request: Pick<ApiRequest, 'pathParameters'>): string {
  const id = request.pathParameters.id ?? '';
  if (!CAMPAIGN_ID.safeParse(id).success) throw notFound(`Campaign ${id} does not exist`);
  return id;
}
