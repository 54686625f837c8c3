/** POST /verifications — texts a 6-digit code to a phone, for its holder to prove it is theirs (202). */
import { requestCode } from '../shared/core/verify-phone';
import { toLocalIso } from '../shared/domain/calendar';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { VerificationBody } from '../shared/schemas/verifications';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('resident', async (request, deps) => {
  const { phone } = parseInput(VerificationBody, request.body, 'body');
  const sent = await requestCode(deps, phone, request.sourceIp);
  return { status: 202, body: { phone: sent.phone, expiresAt: toLocalIso(sent.expiresAt) } };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. It counts the request against the client's
 * and the number's windows, stores the code's hash, and stores the SMS (the SMS sender texts it).
 */
export const needs: LambdaNeeds = { table: ['PutItem', 'UpdateItem'] };
