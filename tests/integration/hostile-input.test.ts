/**
 * Inputs that gave 5xx or slipped through (issue 13 item 1), on the local stack with the real handlers and
 * DynamoDB Local: each gets a 4xx `{ error: { code, message, fields } }` naming the field, and writes nothing.
 */
import { HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

let stack: Stack;
let district: string;
beforeAll(async () => {
  stack = await startStack({ timeScale: 1 });
  district = stack.token('district_center', HUICHENG);
});
afterAll(() => stack?.stop());

/** The reply's status and body, whatever its content type (a 5xx may not be JSON). */
async function raw(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

function expectNamed(reply: { status: number; body: any }, field: string, status = 400) {
  const described = `${reply.status} ${JSON.stringify(reply.body)}`;
  expect(`${reply.status}`).toBe(`${status}`);
  expect(reply.body?.error?.code).toEqual(expect.any(String));
  expect(reply.body?.error?.message).toEqual(expect.any(String));
  expect((reply.body.error.fields ?? []).map((problem: { field: string }) => problem.field)).toContain(field);
  return described;
}

describe('bad percent-escapes in path ids: 400 naming the parameter', () => {
  const escapes = ['%E0%A4%A', '%', '%FF'];
  const routes: [string, (id: string) => string, unknown?][] = [
    ['GET', (id) => `/events/${id}`],
    ['POST', (id) => `/events/${id}/actions`, { action: 'comment', note: 'x' }],
    ['POST', (id) => `/events/${id}/rating`, { code: '123456', score: 5 }],
    ['GET', (id) => `/campaigns/${id}`],
    ['POST', (id) => `/campaigns/${id}/responses`, { note: 'x' }],
    ['GET', (id) => `/reports/${id}`],
  ];
  const cases = routes.flatMap(([method, path, body]) => escapes.map((bad) => [method, path(bad), body] as const));
  test.each(cases)('%s %s', async (method, path, body) => {
    const reply = await raw(method, path, district, body);
    expectNamed(reply, path.startsWith('/reports/') ? 'kind' : 'id');
  });
  test('there are 18 of them', () => expect(cases).toHaveLength(18));
});

describe('forged cursors: 400 naming cursor', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const forged = [
    b64({ status: 'open', key: { pk: 'x' } }),
    b64({ status: 'open', key: null }),
    b64({ status: 'open', key: [] }),
    b64({ status: 'open', key: { pk: 1, sk: { nested: true } } }),
    b64({ status: 'closed', positions: { x: { pk: 'x' } } }),
    b64({ status: 'open', key: { colour: 'blue' } }),
    b64({ status: 'patrols', key: { pk: 'PATROLS#441302#2026-11-26', sk: `${JINYUAN}#x`, extra: 'x' } }),
  ];
  test.each(forged)('GET /events?cursor=%s', async (cursor) => {
    for (const query of [`unit=${HUICHENG}`, `unit=${JINYUAN}&sort=urgency`, 'mine=true', `unit=${XIAOJINKOU}&status=open`])
      expectNamed(await raw('GET', `/events?${query}&cursor=${cursor}`, district), 'cursor');
  });
  test.each(forged)('GET /patrols and /events/{id} with cursor=%s', async (cursor) => {
    expectNamed(await raw('GET', `/patrols?unit=${JINYUAN}&cursor=${cursor}`, district), 'cursor');
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const created = await raw('POST', '/events', worker, { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: '垃圾堆积' });
    expect(created.status).toBe(201);
    expectNamed(await raw('GET', `/events/${created.body.id}?cursor=${cursor}`, district), 'cursor');
  });

  test('a cursor the API handed out still pages; the same cursor on another list is refused', async () => {
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    for (let index = 0; index < 3; index++)
      expect(
        (await raw('POST', '/events', worker, { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: `垃圾${index}` })).status,
      ).toBe(201);
    const first = await raw('GET', `/events?unit=${JINYUAN}&limit=1`, district);
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await raw('GET', `/events?unit=${JINYUAN}&limit=1&cursor=${first.body.nextCursor}`, district);
    expect(next.status).toBe(200);
    expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
    // Tampered: one character of its signature changed.
    const cursor: string = first.body.nextCursor;
    const tampered = `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`;
    expectNamed(await raw('GET', `/events?unit=${JINYUAN}&limit=1&cursor=${tampered}`, district), 'cursor');
    // Handed out for another list: refused, not followed.
    expectNamed(await raw('GET', `/events?unit=${JINYUAN}&sort=urgency&cursor=${cursor}`, district), 'cursor');
    expectNamed(await raw('GET', `/patrols?unit=${JINYUAN}&cursor=${cursor}`, district), 'cursor');
  });
});

describe('periods: between 2000 and next year', () => {
  // The year after this one in Asia/Shanghai (the stack's clock is the wall clock).
  const nextYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear() + 1;
  const refused: [string, string][] = [
    ['weekly', '9999-W52'],
    ['monthly', '0000-01'],
    ['monthly', '9999-12'],
    ['daily', '1900-01-01'],
    ['quarterly', '2100-Q1'],
    ['daily', '1999-12-31'],
    ['monthly', `${nextYear + 1}-01`],
  ];
  test.each(refused)('%s %s: 400 naming period', async (kind, period) => {
    expectNamed(await raw('GET', `/reports/${kind}?unit=${HUICHENG}&period=${period}`, district), 'period');
  });
  const accepted: [string, string][] = [
    ['daily', '2000-01-01'],
    ['monthly', `${nextYear}-12`],
    ['quarterly', `${nextYear}-Q4`],
  ];
  test.each(accepted)('%s %s: 200', async (kind, period) => {
    expect((await raw('GET', `/reports/${kind}?unit=${HUICHENG}&period=${period}`, district)).status).toBe(200);
  });
});

describe('limits: decimal integers only', () => {
  test.each(['0x10', '1e1', '+5', ' 5', '5.0', '', '-0'])('limit=%p: 400 naming limit', async (limit) => {
    for (const path of [`/events?unit=${HUICHENG}`, `/patrols?unit=${JINYUAN}`])
      expectNamed(await raw('GET', `${path}&limit=${encodeURIComponent(limit)}`, district), 'limit');
  });
  test('limit=10: 200', async () => {
    expect((await raw('GET', `/events?unit=${HUICHENG}&limit=10`, district)).status).toBe(200);
  });
});

test('/reports/yearly names kind', async () => {
  expectNamed(await raw('GET', `/reports/yearly?unit=${HUICHENG}`, district), 'kind');
});
