/**
 * The cloud's sign-in in Chromium (issue 16): the app served from its own origin with the stack's config.json, the
 * API on another origin answering CORS as the HTTP API does, and Cognito's hosted sign-in played by this test (the
 * one part of AWS that cannot run here). The app signs in with the authorization code and PKCE, sends the ID token
 * to the API, renews it with the refresh token before it expires and after the API refuses it, and signs out through
 * the hosted logout, revoking the refresh token.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { sampleClaims } from '../../bin/sample-users';
import { WEB_DIST } from '../../web/build';
import { newPage, startBrowser } from '../support/browser';
import { HUICHENG, type Stack, startStack } from '../support/local-stack';

// Run inside the page (playwright serialises these functions): the browser's globals, which Node's types do not know.
declare const sessionStorage: { getItem(key: string): string | null };
declare const document: { querySelector(selector: string): unknown };

const SITE = 'https://site.test';
const API = 'https://api.site.test';
const AUTH = 'https://gridflow-test.auth.ap-southeast-1.amazoncognito.com';
const CLIENT_ID = 'hosted-test-client';
const CODE = 'the-one-code';
const REFRESH_TOKEN = 'the-refresh-token';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ env: { ...process.env, GRIDFLOW_CORS_ALLOW_ORIGINS: SITE } }), startBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The district operator's ID token as the pool would issue it, signed in at `authTime` (seconds). */
function idToken(authTime: number): string {
  return stack.platform.token({ ...sampleClaims(stack.platform.deps.directory, 'district_center', HUICHENG), auth_time: authTime });
}

const base64url = (text: string) => createHash('sha256').update(text).digest('base64url');

interface HostedWorld {
  page: Page;
  context: BrowserContext;
  errors: string[];
  /** What the hosted sign-in was asked, in order: `authorize`, `token:<grant>`, `revoke`, `logout`, with their parameters. */
  asked: { endpoint: string; params: URLSearchParams }[];
  /** The bearer token of every API request, in order. */
  bearers: string[];
}

/**
 * A browser context where the site, the API and the hosted sign-in answer at their cloud addresses: the site from
 * the app's build and a config.json as the stack writes it; the API by the local platform (the requests go to it as
 * they are, the page's Origin included, and its replies come back as they are, so Chromium applies its CORS headers);
 * the hosted sign-in by `tokens`.
 */
async function hostedWorld(tokens: {
  first: string;
  renewed: string | undefined;
  refuse?: boolean;
  /** The revocation is answered once this settles (a slow network). */
  revokeAnswered?: Promise<void>;
}): Promise<HostedWorld> {
  const { context, page, errors } = await newPage(browser);
  const asked: HostedWorld['asked'] = [];
  const bearers: string[] = [];
  let challenge = '';

  await context.route(`${SITE}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/config.json')
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          apiUrl: `${API}/`,
          region: 'ap-southeast-1',
          userPoolId: 'ap-southeast-1_Test',
          clientId: CLIENT_ID,
          signInUrl: AUTH,
        }),
      });
    const file = path === '/' ? join(WEB_DIST, 'index.html') : normalize(join(WEB_DIST, path));
    if (!file.startsWith(WEB_DIST) || !existsSync(file) || !statSync(file).isFile()) return route.fulfill({ status: 404, body: '' });
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
    return route.fulfill({ contentType: types[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });

  await context.route(`${API}/**`, async (route) => {
    const request = route.request();
    const headers = await request.allHeaders();
    if (headers.authorization) bearers.push(headers.authorization.replace(/^Bearer /, ''));
    const response = await route.fetch({ url: request.url().replace(API, stack.url), headers });
    await route.fulfill({ response });
  });

  await context.route(`${AUTH}/**`, async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const cors = { 'access-control-allow-origin': SITE };
    if (url.pathname === '/oauth2/authorize') {
      asked.push({ endpoint: 'authorize', params: url.searchParams });
      challenge = url.searchParams.get('code_challenge') ?? '';
      const back = new URL(url.searchParams.get('redirect_uri') ?? SITE);
      const state = url.searchParams.get('state') ?? '';
      back.search = new URLSearchParams(
        tokens.refuse ? { error: 'access_denied', error_description: 'User is disabled.', state } : { code: CODE, state },
      ).toString();
      return route.fulfill({ status: 302, headers: { location: back.href } });
    }
    if (request.method() === 'OPTIONS')
      return route.fulfill({
        status: 204,
        headers: { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' },
      });
    const form = new URLSearchParams(request.postData() ?? '');
    if (url.pathname === '/oauth2/token') {
      asked.push({ endpoint: `token:${form.get('grant_type')}`, params: form });
      const refused = () =>
        route.fulfill({ status: 400, headers: cors, contentType: 'application/json', body: '{"error":"invalid_grant"}' });
      if (form.get('grant_type') === 'authorization_code') {
        // PKCE: the verifier sent now must be the one whose hash went to the authorize endpoint.
        if (form.get('code') !== CODE || base64url(form.get('code_verifier') ?? '') !== challenge) return refused();
        const body = {
          id_token: tokens.first,
          access_token: 'access-1',
          refresh_token: REFRESH_TOKEN,
          expires_in: 3600,
          token_type: 'Bearer',
        };
        return route.fulfill({ headers: cors, contentType: 'application/json', body: JSON.stringify(body) });
      }
      if (form.get('refresh_token') !== REFRESH_TOKEN || !tokens.renewed) return refused();
      const body = { id_token: tokens.renewed, access_token: 'access-2', expires_in: 3600, token_type: 'Bearer' };
      return route.fulfill({ headers: cors, contentType: 'application/json', body: JSON.stringify(body) });
    }
    if (url.pathname === '/oauth2/revoke') {
      asked.push({ endpoint: 'revoke', params: form });
      await tokens.revokeAnswered;
      return route.fulfill({ status: 200, headers: cors, body: '' });
    }
    if (url.pathname === '/logout') {
      asked.push({ endpoint: 'logout', params: url.searchParams });
      return route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri') ?? SITE } });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  return { page, context, errors, asked, bearers };
}

/** Closes the world's context, its board's readings still in flight. */
async function closed(world: HostedWorld): Promise<void> {
  await world.context.unrouteAll({ behavior: 'ignoreErrors' });
  await world.context.close();
}

async function signInThroughHostedPage(world: HostedWorld): Promise<void> {
  await world.page.goto(`${SITE}/`);
  await world.page.getByTestId('hosted-sign-in').click();
  await world.page.getByTestId('who').waitFor();
}

/** Waits until the API has been sent `token` (the board reads every few seconds). */
async function sentToApi(world: HostedWorld, token: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!world.bearers.includes(token)) {
    if (Date.now() > deadline) throw new Error('The renewed token was never sent to the API');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('signs in through the hosted page with a PKCE code, renews before expiry, and signs out through the hosted logout', async () => {
  const authTime = Math.floor(Date.now() / 1000);
  const [first, renewed] = [idToken(authTime), idToken(authTime)];
  const world = await hostedWorld({ first, renewed });
  await world.page.clock.install();
  try {
    await world.page.goto(`${SITE}/`);
    // No roster in the cloud, though this API is a local platform: the deployment's config names a hosted sign-in.
    await world.page.getByTestId('hosted-sign-in').waitFor();
    expect(await world.page.locator('[aria-label="roster"]').count()).toBe(0);
    await world.page.getByTestId('hosted-sign-in').click();
    await world.page.getByTestId('who').waitFor();

    const authorize = world.asked.find((each) => each.endpoint === 'authorize')?.params;
    expect(
      Object.fromEntries(['response_type', 'client_id', 'redirect_uri', 'code_challenge_method'].map((key) => [key, authorize?.get(key)])),
    ).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${SITE}/`,
      code_challenge_method: 'S256',
    });
    expect(authorize?.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'phone']));
    expect(world.asked.map((each) => each.endpoint)).toEqual(['authorize', 'token:authorization_code']);
    // The code is spent and gone from the address; the API got the ID token, across origins.
    expect(new URL(world.page.url()).search).toBe('');
    expect(await world.page.getByTestId('who').textContent()).toContain(
      sampleClaims(stack.platform.deps.directory, 'district_center', HUICHENG).name,
    );
    expect(world.bearers).toContain(first);

    // A minute before the hour is out, the library renews with the refresh token; the next readings carry the new one.
    await world.page.clock.fastForward('59:10');
    await sentToApi(world, renewed);
    expect(world.asked.map((each) => each.endpoint)).toContain('token:refresh_token');

    await world.page.getByRole('button', { name: /Sign out/ }).click();
    await world.page.getByTestId('hosted-sign-in').waitFor();
    const revoke = world.asked.find((each) => each.endpoint === 'revoke')?.params;
    expect(revoke?.get('token')).toBe(REFRESH_TOKEN);
    expect(revoke?.get('client_id')).toBe(CLIENT_ID);
    const logout = world.asked.find((each) => each.endpoint === 'logout')?.params;
    expect({ client_id: logout?.get('client_id'), logout_uri: logout?.get('logout_uri') }).toEqual({
      client_id: CLIENT_ID,
      logout_uri: `${SITE}/`,
    });
    expect(await world.page.evaluate(() => sessionStorage.getItem('gridflow.token'))).toBeNull();
    expect(world.errors.filter((error) => !/401|Failed to load resource/.test(error))).toEqual([]);
  } finally {
    await closed(world);
  }
}, 60_000);

test('while signing out, the page offers no sign-in: a sign-in started then would keep the hosted session', async () => {
  let answerRevoke = () => {};
  const world = await hostedWorld({
    first: idToken(Math.floor(Date.now() / 1000)),
    renewed: undefined,
    revokeAnswered: new Promise((resolve) => {
      answerRevoke = resolve;
    }),
  });
  try {
    await signInThroughHostedPage(world);
    const revoking = world.page.waitForRequest((request) => request.url() === `${AUTH}/oauth2/revoke` && request.method() === 'POST');
    await world.page.getByRole('button', { name: /Sign out/ }).click();
    await revoking;
    // The revocation is on its way: the page says it is signing out, and no sign-in button can be clicked yet.
    expect(await world.page.getByTestId('hosted-sign-in').count()).toBe(0);
    await world.page.getByRole('status').filter({ hasText: 'Signing out' }).waitFor();
    answerRevoke();
    // Back from the hosted logout, in a new page, the sign-in is offered again.
    await world.page.getByTestId('hosted-sign-in').waitFor();
    expect(world.asked.map((each) => each.endpoint)).toEqual(['authorize', 'token:authorization_code', 'revoke', 'logout']);
    expect(await world.page.evaluate(() => sessionStorage.getItem('gridflow.token'))).toBeNull();
  } finally {
    answerRevoke();
    await closed(world);
  }
}, 60_000);

test('a token the API refuses is renewed once and the request sent again; when renewal fails, the person signs in again', async () => {
  const authTime = Math.floor(Date.now() / 1000);
  const good = idToken(authTime);
  // Its claims are the person's, its signature is not the pool's: the API answers 401.
  const forged = `${good.slice(0, good.lastIndexOf('.') + 1)}${'A'.repeat(342)}`;

  const renewing = await hostedWorld({ first: forged, renewed: good });
  try {
    await signInThroughHostedPage(renewing);
    await sentToApi(renewing, good);
    expect(renewing.bearers).toContain(forged);
    expect(renewing.asked.map((each) => each.endpoint)).toContain('token:refresh_token');
    expect(await renewing.page.getByTestId('hosted-sign-in').count()).toBe(0);
  } finally {
    await closed(renewing);
  }

  const failing = await hostedWorld({ first: forged, renewed: undefined });
  try {
    await failing.page.goto(`${SITE}/`);
    await failing.page.getByTestId('hosted-sign-in').click();
    // Refused, not renewed: back at the sign-in, the tab's token gone.
    await failing.page.waitForFunction(() => {
      try {
        return sessionStorage.getItem('gridflow.token') === null && document.querySelector('[data-testid="hosted-sign-in"]') !== null;
      } catch {
        return false; // between documents (the hosted page's redirects)
      }
    });
    expect(failing.asked.map((each) => each.endpoint)).toEqual(['authorize', 'token:authorization_code', 'token:refresh_token']);
  } finally {
    await closed(failing);
  }
}, 60_000);

test('the page asked for comes back through the sign-in; a refused sign-in says why', async () => {
  const authTime = Math.floor(Date.now() / 1000);
  const world = await hostedWorld({ first: idToken(authTime), renewed: undefined });
  try {
    // A "report ready" SMS link, opened signed out.
    await world.page.goto(`${SITE}/#/reports`);
    await world.page.getByTestId('hosted-sign-in').click();
    await world.page.getByTestId('who').waitFor();
    expect(new URL(world.page.url()).hash).toBe('#/reports');
    expect(new URL(world.page.url()).search).toBe('');
  } finally {
    await closed(world);
  }

  const refused = await hostedWorld({ first: idToken(authTime), renewed: undefined, refuse: true });
  try {
    await refused.page.goto(`${SITE}/`);
    await refused.page.getByTestId('hosted-sign-in').click();
    await refused.page.getByRole('alert').waitFor();
    expect(await refused.page.getByRole('alert').textContent()).toContain('User is disabled.');
    expect(new URL(refused.page.url()).search).toBe('');
    expect(refused.asked.map((each) => each.endpoint)).toEqual(['authorize']);
  } finally {
    await closed(refused);
  }
}, 60_000);

describe('the API answers CORS as the HTTP API does', () => {
  const preflight = (origin: string, headers = 'authorization,content-type') =>
    fetch(`${stack.url}/events`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
    });

  test('a preflight from the site is allowed; from another origin, or asking another header, it is not', async () => {
    const allowed = await preflight(SITE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-reporter-token']),
    );
    expect((await preflight('https://elsewhere.test')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(SITE, 'authorization,x-other')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('replies to the site carry its origin, refusals included; to others, nothing', async () => {
    const refused = await fetch(`${stack.url}/events`, { headers: { origin: SITE } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(SITE);
    const health = await fetch(`${stack.url}/health`, { headers: { origin: 'https://elsewhere.test' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });
});
