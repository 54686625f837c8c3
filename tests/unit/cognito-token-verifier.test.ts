/**
 * Local tokens are Cognito ID tokens in every respect the cloud checks, and the cloud's verifier
 * (CognitoTokenVerifier over aws-jwt-verify) accepts them when given the local keys — and refuses
 * everything a Cognito user pool would not have issued, including a token without `exp`.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import {
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  LOCAL_KEY_FILE,
  LOCAL_REGION,
  LOCAL_USER_POOL_ID,
  LocalSigningKey,
  localTokenVerifier,
} from '../../dev-server/adapters/local-jwt';
import { CognitoTokenVerifier } from '../../shared/adapters/aws/cognito-token-verifier';
import { callerFromClaims } from '../../shared/auth/caller';
import { localSubject, sampleClaims } from '../../bin/sample-users';
import { sampleDirectory } from '../../dev-server/seed-reference';

const key = LocalSigningKey.inMemory();
const verifier = localTokenVerifier(key);
const directory = sampleDirectory();
const GRID = '441302010001001';
const now = () => Math.floor(Date.now() / 1000);

const part = (token: string, index: 0 | 1) => JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));

/** A payload as the local pool issues it, to be spoiled one claim at a time. */
function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...part(key.idToken(sampleClaims(directory, 'grid_worker', GRID)), 1), ...overrides };
}

async function refusal(token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('The token was accepted');
}

test('a local token has the header and claims of a Cognito ID token of the local pool', () => {
  const token = key.idToken(sampleClaims(directory, 'grid_worker', GRID));
  expect(part(token, 0)).toEqual({ kid: key.kid, alg: 'RS256' });
  const claims = part(token, 1);
  expect(LOCAL_USER_POOL_ID).toMatch(new RegExp(`^${LOCAL_REGION}_[a-zA-Z0-9]+$`));
  expect(claims).toMatchObject({
    iss: `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_USER_POOL_ID}`,
    aud: LOCAL_CLIENT_ID,
    token_use: 'id',
    // As in Cognito, the account's sub is a UUID; who the user is, is custom:person.
    sub: localSubject('gw-ouyang-lingqiao'),
    'cognito:username': localSubject('gw-ouyang-lingqiao'),
    'custom:person': 'gw-ouyang-lingqiao',
    'custom:role': 'grid_worker',
    'custom:units': GRID,
    phone_number: '+8613000001001',
  });
  expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(claims.iss).toBe(LOCAL_ISSUER);
  expect(Number.isInteger(claims.iat) && Number.isInteger(claims.exp)).toBe(true);
  expect(claims.exp - claims.iat).toBe(24 * 3600);
  expect(key.jwks().keys).toEqual([expect.objectContaining({ kid: key.kid, alg: 'RS256', kty: 'RSA', use: 'sig' })]);
});

test("the cloud's verifier, given the local keys, accepts a local token, and the caller reads from its custom: claims", async () => {
  const claims = await verifier.verify(key.idToken(sampleClaims(directory, 'department', '441302010', { department: 'urban-management' })));
  expect(callerFromClaims(claims)).toMatchObject({ role: 'department', units: ['441302010'], department: 'urban-management' });
  const worker = callerFromClaims(await verifier.verify(key.idToken(sampleClaims(directory, 'grid_worker', GRID))));
  expect(worker).toEqual({
    person: 'gw-ouyang-lingqiao',
    sub: localSubject('gw-ouyang-lingqiao'),
    name: '欧阳玲巧',
    role: 'grid_worker',
    units: [GRID],
    department: undefined,
    phone: '13000001001',
  });
});

test('aws-jwt-verify alone accepts a token without exp; our verifier (the gateway and the optional-sign-in route) refuses it', async () => {
  const noExp = key.signJwt(payload({ exp: undefined }));
  expect(part(noExp, 1).exp).toBeUndefined();
  const bare = CognitoJwtVerifier.create(
    { userPoolId: LOCAL_USER_POOL_ID, clientId: LOCAL_CLIENT_ID, tokenUse: 'id' },
    { jwksCache: new SimpleJwksCache() },
  );
  bare.cacheJwks(key.jwks() as never);
  await expect(bare.verify(noExp)).resolves.toMatchObject({ 'custom:person': 'gw-ouyang-lingqiao' });
  expect(await refusal(noExp)).toMatch(/exp/);
  expect(await refusal(key.signJwt(payload({ exp: String(now() + 3600) })))).toMatch(/exp/);
});

test('refused: expired, another issuer, another audience, an access token, another key, an unknown kid, a bad signature', async () => {
  expect(await refusal(key.signJwt(payload({ exp: now() - 1 })))).toMatch(/expired/i);
  expect(await refusal(key.signJwt(payload({ iss: 'gridflow-local' })))).toMatch(/issuer/i);
  expect(await refusal(key.signJwt(payload({ iss: `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_REGION}_Other` })))).toMatch(
    /issuer/i,
  );
  expect(await refusal(key.signJwt(payload({ aud: 'another-client' })))).toMatch(/audience|client/i);
  expect(await refusal(key.signJwt(payload({ token_use: 'access' })))).toMatch(/token use/i);
  const other = LocalSigningKey.inMemory();
  expect(other.kid).not.toBe(key.kid);
  expect(await refusal(other.idToken(sampleClaims(directory, 'grid_worker', GRID)))).toMatch(/kid/i);
  const [header, body] = key.idToken(sampleClaims(directory, 'grid_worker', GRID)).split('.');
  const [, , otherSignature] = other.idToken(sampleClaims(directory, 'grid_worker', GRID)).split('.');
  expect(await refusal(`${header}.${body}.${otherSignature}`)).toMatch(/signature/i);
});

test('HS256 tokens (the old local tokens) are refused, whatever they are signed with', async () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  for (const header of [
    { alg: 'HS256', typ: 'JWT' },
    { alg: 'HS256', kid: key.kid },
  ]) {
    const body = `${encode(header)}.${encode(payload())}`;
    // Signed with a random secret, and with the public key's modulus as the secret (algorithm confusion).
    for (const secret of ['0'.repeat(32), key.jwks().keys[0].n]) {
      const token = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
      await expect(verifier.verify(token)).rejects.toThrow();
    }
  }
  const unsigned = `${encode({ alg: 'none' })}.${encode(payload())}.`;
  await expect(verifier.verify(unsigned)).rejects.toThrow();
});

test('the key is kept in the data folder (owner-only) and the same after a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridflow-key-'));
  try {
    const path = join(dir, 'data', LOCAL_KEY_FILE);
    const first = LocalSigningKey.loadOrCreate(path);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = LocalSigningKey.loadOrCreate(path);
    expect(again.kid).toBe(first.kid);
    expect(again.jwks()).toEqual(first.jwks());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a JWKS source may be a function (e.g. fetching /.well-known/jwks.json); it is asked only for unknown keys', async () => {
  let asked = 0;
  const fromSource = new CognitoTokenVerifier(LOCAL_USER_POOL_ID, LOCAL_CLIENT_ID, async () => {
    asked += 1;
    return key.jwks();
  });
  const token = key.idToken(sampleClaims(directory, 'grid_worker', GRID));
  await fromSource.verify(token);
  await fromSource.verify(token);
  expect(asked).toBe(1);
});
