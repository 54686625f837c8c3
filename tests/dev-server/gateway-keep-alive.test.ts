/**
 * The local gateway keeps an idle connection open longer than a client keeps it (65 s, as behind a load
 * balancer): with Node's 5 s a client could send its next request on a connection the server was closing that
 * instant and get ECONNRESET, no reply at all (the fuzz test saw one under load). Clients read the server's
 * `Keep-Alive: timeout=` hint and close first.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startGateway } from '../../dev-server/gateway';
import type { AppDependencies } from '../../shared/http/api-handler';

const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, deps: { logger: silent } as unknown as AppDependencies });
});

afterAll(async () => {
  await gateway?.close();
});

it('tells clients it keeps an idle connection 65 s, and keeps it so', async () => {
  const reply = await fetch(`${gateway.url}/no-such-route`);
  await reply.text();
  expect(reply.headers.get('keep-alive')).toBe('timeout=65');
  expect(gateway.server.keepAliveTimeout).toBe(65_000);
  expect(gateway.server.headersTimeout).toBeGreaterThan(gateway.server.keepAliveTimeout);
});
