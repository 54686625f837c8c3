/**
 * A dead store is visible and heals (issue 12 item 3). DynamoDB Local hung (SIGSTOP): reads, writes and /health
 * answer 503 `store_unavailable` with Retry-After instead of hanging; once it answers again, so does the API, and
 * a report retried with its Idempotency-Key makes one case. DynamoDB Local killed: 503 at once; the platform
 * starts it again on the same data folder and the API recovers by itself, with what was stored before.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

const drain = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '存储停摆时的排水口堵塞',
  reporter: { name: '王五', phone: '13000006666' },
};

const storePid = (dataDir: string) => Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));

/** Straight over HTTP (the stack's call waits for SMS delivery after a change, which a dead store holds up). */
async function request(stack: Stack, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

function expectStoreUnavailable(reply: Awaited<ReturnType<typeof request>>) {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status: 503, code: 'store_unavailable' });
  expect(Number(reply.retryAfter)).toBeGreaterThan(0);
}

describe('a dead store', () => {
  let dataDir: string;
  let stack: Stack;
  let worker: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gridflow-dead-store-'));
    stack = await startStack({ dataDir, timeScale: 1 });
    worker = stack.token('grid_worker', JINYUAN_GRID_1);
  });

  afterAll(async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('/health reads the store and says local mode', async () => {
    const health = await request(stack, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', mode: 'local', store: 'ok' });
  });

  test('hung: reads, writes and /health answer 503 store_unavailable with Retry-After, and serve again once it answers', async () => {
    const before = await request(stack, 'POST', '/events', worker, drain, { 'idempotency-key': 'dead-store-before' });
    expect(before.status).toBe(201);
    const pid = storePid(dataDir);
    process.kill(pid, 'SIGSTOP');
    try {
      expectStoreUnavailable(await request(stack, 'GET', `/events/${before.body.id}`, worker));
      expectStoreUnavailable(await request(stack, 'POST', '/events', worker, drain, { 'idempotency-key': 'dead-store-hung' }));
      expectStoreUnavailable(await request(stack, 'GET', '/health'));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await eventually(async () => ((await request(stack, 'GET', '/health')).status === 200 ? true : undefined), 'the API to serve again');
    expect((await request(stack, 'GET', `/events/${before.body.id}`, worker)).status).toBe(200);
    // Whether or not the refused report reached the table, its retry under the same key gives one case.
    const retried = await request(stack, 'POST', '/events', worker, drain, { 'idempotency-key': 'dead-store-hung' });
    const again = await request(stack, 'POST', '/events', worker, drain, { 'idempotency-key': 'dead-store-hung' });
    expect([200, 201]).toContain(retried.status);
    expect(again.body.id).toBe(retried.body.id);
  }, 120_000);

  test('killed: 503 at once; the platform starts it again on the same data and the API recovers by itself', async () => {
    const before = await request(stack, 'POST', '/events', worker, drain, { 'idempotency-key': 'dead-store-killed' });
    expect(before.status).toBe(201);
    const pid = storePid(dataDir);
    process.kill(pid, 'SIGKILL');
    expectStoreUnavailable(await request(stack, 'GET', `/events/${before.body.id}`, worker));

    const healed = await eventually(
      async () => {
        const health = await request(stack, 'GET', '/health');
        return health.status === 200 ? health : undefined;
      },
      'the API to recover by itself',
      60_000,
    );
    expect(healed.body).toMatchObject({ status: 'ok', store: 'ok' });
    expect(storePid(dataDir)).not.toBe(pid);
    const read = await request(stack, 'GET', `/events/${before.body.id}`, worker);
    expect(read.status).toBe(200);
    expect(read.body.description).toBe(drain.description);
    const after = await request(stack, 'POST', '/events', worker, drain, { 'idempotency-key': 'dead-store-after' });
    expect(after.status).toBe(201);
    // The SMS sender reads the table's stream of the new DynamoDB Local: the handler is texted.
    await smsWhen(stack, after.body.id, 'case_assigned');
  }, 120_000);
});
