/**
 * Local sign-in: HS256 JWTs with the same claims Cognito carries, signed with a key kept in the local
 * data folder (made on first use). Good for one machine; the cloud uses Cognito.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TokenVerifier } from '../../shared/auth/caller';

export const ISSUER = 'gridflow-local';

export function loadOrCreateKey(path: string): Buffer {
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64'), { mode: 0o600 });
  return key;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signToken(key: Buffer, claims: Record<string, unknown>, ttlSeconds = 30 * 24 * 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: ISSUER, iat: now, exp: now + ttlSeconds, ...claims })}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export class LocalTokenVerifier implements TokenVerifier {
  constructor(private readonly key: Buffer) {}

  async verify(token: string): Promise<Record<string, unknown>> {
    const parts = token.split('.');
    if (parts.length !== 3) throw new Error('not a JWT');
    const [header, payload, signature] = parts;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (alg !== 'HS256') throw new Error('unexpected algorithm');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (claims.iss !== ISSUER) throw new Error('unexpected issuer');
    if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) throw new Error('expired');
    return claims;
  }
}
