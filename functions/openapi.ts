/** GET /openapi.json — this API as OpenAPI 3.1, generated from the route table and the zod schemas. */
import { apiHandler } from '../shared/http/api-handler';
import { openApiDocument } from '../shared/http/openapi';

export const handler = apiHandler('public', async () => ({ status: 200, body: openApiDocument() }));
