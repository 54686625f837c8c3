/**
 * The optional `X-Reporter-Token` header: a resident's proof of their phone (shared/core/verify-phone.ts).
 *
 * A header of its own, not `Authorization`: that one carries staff's Cognito JWTs, which the HTTP API's JWT
 * authorizer (and, on optional routes, the handler) verifies against the user pool — a reporter token is not one of
 * its tokens and a resident is no user. Not a body field either: the body is what is stored and what an
 * Idempotency-Key's hash covers, and a credential belongs in neither. CORS allows the header for the web app.
 */
import { badRequest } from '../domain/errors';

export const REPORTER_TOKEN_HEADER = 'X-Reporter-Token';

/** The header's value (headers are lower-cased); a value too long to be a token is a 400 naming the header. */
export function reporterTokenOf(headers: Record<string, string>): string | undefined {
  const token = headers[REPORTER_TOKEN_HEADER.toLowerCase()];
  if (token === undefined) return undefined;
  if (token.length > 512)
    throw badRequest(`${REPORTER_TOKEN_HEADER} is too long to be a reporter token`, [{ field: REPORTER_TOKEN_HEADER, message: 'invalid' }]);
  return token;
}
