/** POST /admin/reference/validate — what a proposed reference version would change, or every problem; applies nothing. */
import { validateReference } from '../shared/core/administer-reference';
import { apiRoute, PROPOSAL_BODY_BYTES, parseInput } from '../shared/http/api-handler';
import { proposedDocuments, ValidateReferenceBody } from '../shared/schemas/admin-reference';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute(
  'required',
  async (request, deps) => {
    const body = parseInput(ValidateReferenceBody, request.body, 'body');
    return {
      status: 200,
      body: await validateReference(deps, request.caller, { documents: proposedDocuments(body.documents), remove: body.remove }),
    };
  },
  { maxBodyBytes: PROPOSAL_BODY_BYTES },
);

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the version in effect, its documents,
 * and the open-case counts of the units a proposal removes.
 */
export const needs: LambdaNeeds = { table: ['GetItem', 'Query'] };
