/**
 * Local sign-in: tokens that are Cognito ID tokens in every respect the cloud checks — RS256 with a `kid`,
 * the issuer of a fixed local user pool (`https://cognito-idp.<region>.amazonaws.com/<region>_<id>`), `aud` =
 * the local app client, `token_use: id`, numeric `iat`/`exp` — signed with an RSA key kept in the data folder
 * (made on first start) or in memory (tests). The cloud's CognitoTokenVerifier checks them, fed this key's
 * JWKS (also served at /.well-known/jwks.json). Good for one machine; the cloud uses Cognito.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../durable-files';
import { CognitoTokenVerifier, type JwksDocument } from '../../shared/adapters/aws/cognito-token-verifier';

/** The local user pool, defined once: its region, id and app client (the cloud's come from the stack's outputs). */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_GridFlowLocal`;
export const LOCAL_CLIENT_ID = 'gridflowlocalwebclient';
export const LOCAL_ISSUER = `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_USER_POOL_ID}`;

/** Cognito issues ID tokens for 5 minutes to 1 day; local ones get the longest (a day of `npm run token`). */
export const LOCAL_TOKEN_TTL_SECONDS = 24 * 3600;

/** The file in the data folder that holds the signing key (PKCS #8 PEM). */
export const LOCAL_KEY_FILE = 'cognito-local-key.pem';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** One RSA signing key of the local user pool, with its public half as a JWKS. */
export class LocalSigningKey {
  /** RFC 7638 thumbprint of the public key: stable across restarts, distinct per key. */
  readonly kid: string;
  private readonly publicJwk: Record<string, string>;

  private constructor(private readonly privateKey: KeyObject) {
    const { kty, n, e } = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
    this.kid = createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
    this.publicJwk = { kty, n, e };
  }

  /** A fresh key that lives as long as the process (tests; each platform its own). */
  static inMemory(): LocalSigningKey {
    return new LocalSigningKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  }

  /** The key in `path`, made (readable by the owner only) when the file does not exist. */
  static loadOrCreate(path: string): LocalSigningKey {
    const read = () => new LocalSigningKey(createPrivateKey(readFileSync(path, 'utf8')));
    if (existsSync(path)) return read();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    mkdirSync(dirname(path), { recursive: true });
    try {
      // Exclusive: when `npm start` and `npm run token` make it at the same moment, the first one's key stays.
      writeFileAtomic(path, key.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, exclusive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
      throw error;
    }
    return new LocalSigningKey(key);
  }

  /** The public key as Cognito publishes its keys (`/.well-known/jwks.json`). */
  jwks(): JwksDocument {
    return { keys: [{ ...this.publicJwk, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** Signs a payload as is (RS256, this key's kid): tests build malformed tokens with it. */
  signJwt(payload: Record<string, unknown>): string {
    const body = `${encode({ kid: this.kid, alg: 'RS256' })}.${encode(payload)}`;
    return `${body}.${sign('sha256', Buffer.from(body), this.privateKey).toString('base64url')}`;
  }

  /**
   * An ID token of the local user pool carrying `claims` (the user's attributes: `sub`, `name`, `custom:person`,
   * `custom:role`, `custom:units`, `custom:department`, `phone_number` — see bin/sample-users.ts).
   */
  idToken(claims: Record<string, unknown>, ttlSeconds = LOCAL_TOKEN_TTL_SECONDS): string {
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    return this.signJwt({
      ...claims,
      'cognito:username': claims['cognito:username'] ?? claims.sub,
      iss: LOCAL_ISSUER,
      aud: LOCAL_CLIENT_ID,
      token_use: 'id',
      // A renewed token keeps the sign-in's time, as Cognito's refreshed ID tokens do.
      auth_time: claims.auth_time ?? now,
      iat: now,
      exp: now + ttlSeconds,
      jti,
      origin_jti: jti,
    });
  }
}

/** The verifier of local tokens: the cloud's, with the keys from `key` instead of Cognito's JWKS URL. */
export function localTokenVerifier(key: LocalSigningKey): CognitoTokenVerifier {
  return new CognitoTokenVerifier(LOCAL_USER_POOL_ID, LOCAL_CLIENT_ID, key.jwks());
}
