/**
 * Verifies Cognito ID tokens with aws-jwt-verify's CognitoJwtVerifier: signature (the pool's keys, by
 * `kid`), issuer (`https://cognito-idp.<region>.amazonaws.com/<pool id>`), `aud` = the app client,
 * `token_use: id`, expiry. In the cloud the keys come from the pool's JWKS URL; locally they are given
 * (the local signing key's JWKS), so nothing is fetched — otherwise the same verifier.
 *
 * Used by the local gateway as its JWT authorizer and, in both modes, by routes where signing in is
 * optional (the HTTP API's authorizer does not guard those).
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { TokenVerifier } from '../../auth/caller';

/** A JSON Web Key Set as Cognito publishes it (`{ keys: [{ kid, alg, kty, n, e, use }] }`). */
export interface JwksDocument {
  keys: Record<string, string>[];
}

/** Where the pool's public keys come from when not from Cognito: the document, or a function giving it. */
export type JwksSource = JwksDocument | (() => JwksDocument | Promise<JwksDocument>);

export class CognitoTokenVerifier implements TokenVerifier {
  private readonly verifier;

  constructor(userPoolId: string, clientId: string, jwks?: JwksSource) {
    this.verifier = CognitoJwtVerifier.create(
      { userPoolId, clientId, tokenUse: 'id' },
      jwks === undefined ? undefined : { jwksCache: new SimpleJwksCache({ fetcher: fixedJwks(jwks) }) },
    );
  }

  async verify(token: string): Promise<Record<string, unknown>> {
    const claims = (await this.verifier.verify(token)) as unknown as Record<string, unknown>;
    // aws-jwt-verify checks `exp` only when the token has one; the HTTP API's JWT authorizer
    // refuses a token without it, and so does every route here.
    if (typeof claims.exp !== 'number') throw new Error('The token has no exp claim');
    return claims;
  }
}

/** A JWKS "fetcher" that answers every JWKS URL with the given keys (no network). */
function fixedJwks(source: JwksSource) {
  return {
    fetch: async (): Promise<ArrayBuffer> => {
      const document = typeof source === 'function' ? await source() : source;
      return new TextEncoder().encode(JSON.stringify(document)).buffer as ArrayBuffer;
    },
  };
}
