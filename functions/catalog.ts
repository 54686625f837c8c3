/** GET /catalog — the classes and items of matters, with departments, severities and limits. */
import { apiHandler } from '../shared/http/api-handler';

export const handler = apiHandler('public', async (_request, deps) => ({
  status: 200,
  body: { classes: deps.catalog.classes },
  headers: { 'cache-control': 'public, max-age=300' },
}));
