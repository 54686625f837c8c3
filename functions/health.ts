/** GET /health — the service answers and knows its mode. */
import { apiRoute } from '../shared/http/api-handler';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('public', async (_request, deps) => ({
  status: 200,
  body: {
    status: 'ok',
    service: 'gridflow',
    mode: deps.mode,
    time: deps.clock.now().toISOString(),
    timeScale: deps.clock.scale,
  },
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Served from code: no AWS calls.
 */
export const needs: LambdaNeeds = {};
