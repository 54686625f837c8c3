/**
 * Sign-in on the local stack as the cloud does it: the gateway's JWT authorizer (signed-in routes) and
 * the optional-sign-in route (POST /events) both refuse what Cognito would not have issued — no `exp`,
 * expired, HS256 — the gateway with AWS's own `{"message": …}` reply, the route with the app's error;
 * the local user pool's keys are served at /.well-known/jwks.json and are the data folder's key.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_CLIENT_ID, LOCAL_KEY_FILE, LOCAL_USER_POOL_ID, LocalSigningKey } from '../../dev-server/adapters/local-jwt';
import { CognitoTokenVerifier, type JwksDocument } from '../../shared/adapters/aws/cognito-token-verifier';
import { sampleClaims } from '../../bin/sample-users';
import { JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

let stack: Stack;
let key: LocalSigningKey;
const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-identity-'));

beforeAll(async () => {
  stack = await startStack({ dataDir, scheduledJobs: false });
  // The platform made its key in the data folder on first start; this reads the same one.
  key = LocalSigningKey.loadOrCreate(join(dataDir, LOCAL_KEY_FILE));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const report = { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: '垃圾堆积', reporter: { name: '张三', phone: '13000008888' } };
const LIST = `/events?unit=${JINYUAN_GRID_1}`;

/** A valid token's claims with some changed (undefined removes one), signed with the platform's key. */
function spoiled(overrides: Record<string, unknown>): string {
  const valid = stack.token('grid_worker', JINYUAN_GRID_1);
  const claims = JSON.parse(Buffer.from(valid.split('.')[1], 'base64url').toString('utf8'));
  return key.signJwt({ ...claims, ...overrides });
}

function hs256(): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...sampleClaims(stack.platform.deps.directory, 'grid_worker', JINYUAN_GRID_1), iat: now, exp: now + 3600 };
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: 'gridflow-local', ...claims })}`;
  return `${body}.${createHmac('sha256', 'k'.repeat(32)).update(body).digest('base64url')}`;
}

test("the JWKS is served on the gateway's port, is the data folder's key, and verifies the platform's tokens", async () => {
  const reply = await fetch(`${stack.url}/.well-known/jwks.json`);
  expect(reply.status).toBe(200);
  const jwks = (await reply.json()) as JwksDocument;
  expect(jwks).toEqual(key.jwks());
  const fromUrl = new CognitoTokenVerifier(
    LOCAL_USER_POOL_ID,
    LOCAL_CLIENT_ID,
    async () => (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as JwksDocument,
  );
  await expect(fromUrl.verify(stack.token('grid_worker', JINYUAN_GRID_1))).resolves.toMatchObject({ token_use: 'id' });
});

test("signed-in routes: the gateway's authorizer answers 401 with AWS's own reply for no token, no exp, expired or HS256", async () => {
  expect(await stack.call('GET', LIST, { token: stack.token('grid_worker', JINYUAN_GRID_1) })).toMatchObject({ status: 200 });
  for (const token of [undefined, spoiled({ exp: undefined }), spoiled({ exp: Math.floor(Date.now() / 1000) - 60 }), hs256()]) {
    expect(await stack.call('GET', LIST, { token })).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  }
  const noExp = await fetch(`${stack.url}${LIST}`, { headers: { authorization: `Bearer ${spoiled({ exp: undefined })}` } });
  expect(noExp.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token".*exp/);
});

test("the optional-sign-in route (POST /events) checks exp too, and refuses HS256, with the app's error", async () => {
  for (const token of [spoiled({ exp: undefined }), spoiled({ exp: Math.floor(Date.now() / 1000) - 60 }), hs256()]) {
    const reply = await stack.call('POST', '/events', { token, body: report });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }
  expect((await stack.call('POST', '/events', { token: stack.token('grid_worker', JINYUAN_GRID_1), body: report })).status).toBe(201);
});
