/** GET /openapi.json — this API as OpenAPI 3.1, generated from the route table and the zod schemas. */
import { apiRoute } from '../shared/http/api-handler';
import { openApiDocument } from '../shared/http/openapi';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('public', async () => ({ status: 200, body: openApiDocument() }));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Served from code: no AWS calls.
 */
export const needs: LambdaNeeds = {};
