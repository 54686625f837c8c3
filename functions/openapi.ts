/** GET /openapi.json — this API as OpenAPI 3.1, generated from the route table and the zod schemas. */
import { apiRoute } from '../shared/http/api-handler';
import { openApiDocument } from '../shared/http/openapi';
import { makeHandler } from '../shared/composition/make-handler';

export const route = apiRoute('public', async () => ({ status: 200, body: openApiDocument() }));

export const handler = makeHandler(route);
