/**
 * Cross-site posts (issue 13 item 5): a JSON body sent as text/plain, application/xml or with no content type
 * was accepted, so any web page could post an anonymous report from its visitor's browser (a form or a plain
 * fetch needs no CORS preflight; application/json does). Routes that take JSON require application/json (415
 * naming the header, nothing stored); JSON replies carry `X-Content-Type-Options: nosniff`.
 */
import { JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const report = JSON.stringify({ itemCode: '03-08', gridCode: JINYUAN_GRID_1, description: '夜间噪音扰民', reporter: {} });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function post(contentType: string | undefined, key: string) {
  const headers: Record<string, string> = { 'idempotency-key': key };
  if (contentType !== undefined) headers['content-type'] = contentType;
  // A Blob body: fetch adds no content type of its own, so "none" is sent as none.
  const response = await fetch(`${stack.url}/events`, { method: 'POST', headers, body: new Blob([report]) });
  return {
    status: response.status,
    body: (await response.json()) as { error?: unknown },
    nosniff: response.headers.get('x-content-type-options'),
  };
}

test.each([
  ['text/plain', 'text/plain;charset=UTF-8'],
  ['application/xml', 'application/xml'],
  ['a form', 'application/x-www-form-urlencoded'],
  ['no content type', undefined],
])('a JSON body sent as %s is refused with 415 naming content-type, and nothing is stored', async (_label, contentType) => {
  const key = `cross-site-${String(contentType).replace(/[^a-z]/g, '-')}`;
  const refused = await post(contentType, key);
  expect(refused.status).toBe(415);
  expect(refused.body.error).toMatchObject({ code: 'unsupported_media_type', fields: [{ field: 'content-type' }] });
  // Nothing was stored under the key: the same report sent properly is new (201), not a replay (200).
  expect((await post('application/json', key)).status).toBe(201);
});

test('application/json, with or without a charset, is accepted; JSON replies carry nosniff', async () => {
  const plain = await post('application/json', 'json-plain');
  expect(plain.status).toBe(201);
  expect(plain.nosniff).toBe('nosniff');
  expect((await post('Application/JSON; charset=utf-8', 'json-charset')).status).toBe(201);
  const health = await fetch(`${stack.url}/health`);
  expect(health.headers.get('x-content-type-options')).toBe('nosniff');
});
