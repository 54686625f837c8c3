/** GET /health — the service answers and knows its mode. */
import { apiHandler } from '../shared/http/api-handler';

export const handler = apiHandler('public', async (_request, deps) => ({
  status: 200,
  body: {
    status: 'ok',
    service: 'gridflow',
    mode: process.env.GRIDFLOW_MODE ?? 'aws',
    time: deps.clock.now().toISOString(),
    timeScale: deps.clock.scale,
  },
}));
