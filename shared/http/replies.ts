/** Small helpers shared by route handlers. */
import { notFound } from '../domain/errors';
import { EVENT_ID } from '../schemas/events';
import type { ApiRequest } from './api-handler';

/** The `{id}` path parameter; an id that cannot exist is simply not found. */
export function eventIdOf(request: Pick<ApiRequest, 'pathParameters'>): string {
  const id = request.pathParameters.id ?? '';
  if (!EVENT_ID.safeParse(id).success) throw notFound(`Event ${id} does not exist`);
  return id;
}
