/**
 * Who opened which case (issue 16: a level-1 case raises a banner for each user until that user opens it), kept by
 * the platform rather than a browser: POST /events/{id}/seen records the caller's opening, GET /me/seen lists theirs.
 * Through HTTP on the local stack, the real handlers and DynamoDB Local.
 */
import { HUICHENG, JINYUAN, JINYUAN_GRID_1, type Stack, startStack } from '../support/local-stack';

let stack: Stack;
let caseId: string;

beforeAll(async () => {
  stack = await startStack();
  const created = await stack.call('POST', '/events', {
    token: stack.token('grid_worker', JINYUAN_GRID_1),
    body: {
      itemCode: '02-09',
      gridCode: JINYUAN_GRID_1,
      severity: 1,
      description: '金源路路面塌陷',
      location: { lat: 23.1315, lng: 114.4152 },
    },
  });
  expect(created.status).toBe(201);
  caseId = created.body.id;
}, 60_000);

afterAll(() => stack?.stop());

const operator = () => stack.token('district_center', HUICHENG);
const secondOperator = () => stack.token('district_center', HUICHENG, { person: 'dc-huicheng-night', name: '夜班值班员' });

test("an opening is the caller's: kept once with its first time, on every screen, and nobody else's", async () => {
  expect(await stack.call('GET', '/me/seen', { token: operator() })).toEqual({ status: 200, body: { cases: [] } });
  const first = await stack.call('POST', `/events/${caseId}/seen`, { token: operator() });
  expect(first).toEqual({ status: 200, body: { id: caseId, at: expect.any(String) } });
  // Another token of the same person (another screen), later: the same opening.
  const again = await stack.call('POST', `/events/${caseId}/seen`, { token: operator() });
  expect(again.body).toEqual(first.body);
  expect((await stack.call('GET', '/me/seen', { token: operator() })).body).toEqual({ cases: [first.body] });
  // The night shift's operator has not opened it: their banner stands.
  expect((await stack.call('GET', '/me/seen', { token: secondOperator() })).body).toEqual({ cases: [] });
});

test("a case outside the caller's units (another grid's worker), or none, reads as absent; no token is 401", async () => {
  const otherGrid = stack.token('grid_worker', '441302010001002');
  const outside = await stack.call('POST', `/events/${caseId}/seen`, { token: otherGrid });
  expect(outside.status).toBe(404);
  expect((await stack.call('GET', '/me/seen', { token: otherGrid })).body).toEqual({ cases: [] });
  expect((await stack.call('POST', '/events/E20990101-000001/seen', { token: operator() })).status).toBe(404);
  expect((await stack.call('POST', `/events/${caseId}/seen`)).status).toBe(401);
  expect((await stack.call('GET', '/me/seen')).status).toBe(401);
  // The community the case is in may open it.
  expect((await stack.call('POST', `/events/${caseId}/seen`, { token: stack.token('community_station', JINYUAN) })).status).toBe(200);
});
