/** GET /admin/reference/versions/{version}/documents/{name} — one document of a reference version, as applied. */
import { referenceDocument } from '../shared/core/administer-reference';
import { apiRoute } from '../shared/http/api-handler';
import { ReferenceDocumentPathParams } from '../shared/schemas/admin-reference';
import { notFound } from '../shared/domain/errors';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const parsed = ReferenceDocumentPathParams.safeParse(request.pathParameters);
  if (!parsed.success) throw notFound('No such reference version or document');
  return { status: 200, body: await referenceDocument(deps, request.caller, parsed.data.version, parsed.data.name) };
});

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. Reads a version and one document. */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
