/** POST /verifications/confirm — the code from the SMS, for a reporter token that carries the phone (200). */
import { confirmCode } from '../shared/core/verify-phone';
import { toLocalIso } from '../shared/domain/calendar';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { ConfirmVerificationBody } from '../shared/schemas/verifications';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('resident', async (request, deps) => {
  const { phone, code } = parseInput(ConfirmVerificationBody, request.body, 'body');
  const confirmed = await confirmCode(deps, phone, code);
  return { status: 200, body: { phone: confirmed.phone, token: confirmed.token, expiresAt: toLocalIso(confirmed.expiresAt) } };
});

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone. It counts a try at the code and uses it up. */
export const needs: LambdaNeeds = { table: ['UpdateItem', 'DeleteItem'] };
