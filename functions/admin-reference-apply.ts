/** POST /admin/reference/apply — a proposed reference version applied, if valid and still based on the version in effect. */
import { applyReference } from '../shared/core/administer-reference';
import { apiRoute, PROPOSAL_BODY_BYTES, parseInput } from '../shared/http/api-handler';
import { ApplyReferenceBody, proposedDocuments } from '../shared/schemas/admin-reference';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute(
  'required',
  async (request, deps) => {
    const body = parseInput(ApplyReferenceBody, request.body, 'body');
    const version = await applyReference(deps, request.caller, { ...body, documents: proposedDocuments(body.documents) });
    return { status: 201, body: version, headers: { location: `/admin/reference/versions/${version.version}` } };
  },
  { maxBodyBytes: PROPOSAL_BODY_BYTES },
);

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads as validate does; writes the new
 * documents' parts, then the version and the pointer in one transaction.
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query', 'PutItem'] };
