/**
 * People by person id (issue 14, "People and identities"). In Cognito a user's `sub` is a UUID the pool generates
 * and no administrator can set; who the user is for GridFlow is the roster's person id, in the admin-only custom
 * attribute `custom:person`. Every "is this the handler / the reporter / my cases / the requester / who acted"
 * check compares person ids, never `sub` (kept for audit, beside the actor on timeline entries).
 *
 * Through HTTP on the local stack, with tokens shaped as Cognito issues them: a `sub` that is a UUID unlike the
 * roster id, and `custom:person` the roster id. The data folder's roster has two people of the same role and unit
 * where the sample has one: a second grid worker on Jinyuan's grid 1 and a second district leader.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sampleUnits from '../../shared/data/units-huicheng-sample.json' with { type: 'json' };
import sampleRoster from '../../shared/data/roster.json' with { type: 'json' };
import { toLocalIso } from '../../shared/domain/calendar';
import type { Role } from '../../shared/domain/types';
import {
  act,
  at,
  counterTotals,
  eventWhen,
  fetchEvent,
  HUICHENG,
  JINYUAN,
  JINYUAN_GRID_1,
  startStack,
  XIAOJINKOU,
  type Stack,
} from '../support/local-stack';

interface Someone {
  id: string;
  name: string;
  role: Role;
  unit: string;
  phone: string;
}

const OUYANG: Someone = { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker', unit: JINYUAN_GRID_1, phone: '13000001001' };
/** A second grid worker on the same grid (not in the sample district: this test's roster only). */
const CHEN: Someone = { id: 'gw-chen-xiaoyu', name: '陈晓雨', role: 'grid_worker', unit: JINYUAN_GRID_1, phone: '13000001011' };
const ZHANG: Someone = { id: 'ld-zhang-wenzheng', name: '张文正', role: 'leader', unit: HUICHENG, phone: '13000005001' };
/** A second district leader (this test's roster only). */
const HUANG: Someone = { id: 'ld-huang-minghui', name: '黄明辉', role: 'leader', unit: HUICHENG, phone: '13000005002' };

/** A UUID made from a seed, as unlike a roster id as Cognito's `sub`; a different seed is a different account. */
function uuidOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

let stack: Stack;
const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-person-ids-'));

beforeAll(async () => {
  const people = [
    ...sampleRoster.people,
    { ...CHEN, title: '网格员 grid worker' },
    { ...HUANG, title: '区委常委 district standing committee member' },
  ];
  writeFileSync(
    join(dataDir, 'district.json'),
    JSON.stringify({ units: sampleUnits.units, departments: sampleUnits.departments, people }, null, 1),
  );
  stack = await startStack({ dataDir, timeScale: 1, clockStart: at('2026-11-24 09:00'), scheduledJobs: false });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An ID token as Cognito issues it for this person: `sub` a UUID of the account, `custom:person` the roster id. */
function tokenOf(person: Someone, account = 'first account'): string {
  return stack.platform.token({
    sub: uuidOf(`${person.id} ${account}`),
    name: person.name,
    'custom:role': person.role,
    'custom:units': person.unit,
    'custom:person': person.id,
    phone_number: `+86${person.phone}`,
  });
}

const drain = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '金英街排水口堵塞',
  severity: 4,
  location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
  reporter: { name: '金英街居民', phone: '13000009999' },
};

/** 欧阳玲巧 reports a drain on her grid: it is routed to her. */
async function reportByOuyang(description = drain.description): Promise<string> {
  const created = await stack.call('POST', '/events', { token: tokenOf(OUYANG), body: { ...drain, description } });
  expect(created.status).toBe(201);
  expect(created.body.assignee).toMatchObject({ type: 'person', id: OUYANG.id });
  return created.body.id;
}

test("the handler signs for and completes her own case: her token's custom:person is the assignee, its sub a UUID", async () => {
  const id = await reportByOuyang();
  const signed = await act(stack, id, tokenOf(OUYANG), { action: 'acknowledge' });
  expect(signed.status).toBe(200);
  // Reporters' phones are shown to the handler.
  expect(signed.body.reporter.phone).toBe('13000009999');
  const done = await act(stack, id, tokenOf(OUYANG), { action: 'complete', note: '已清理排水口' });
  expect(done.status).toBe(200);
  expect(done.body.stage).toBe('feedback');

  // Who acted is the person; the account's sub is kept beside it for audit.
  const event = await fetchEvent(stack, id, tokenOf(OUYANG));
  const byHer = event.timeline.filter((entry: any) => ['registered', 'acknowledged', 'completed'].includes(entry.type));
  expect(byHer.map((entry: any) => [entry.type, entry.actor])).toEqual([
    ['registered', { id: OUYANG.id, name: OUYANG.name, role: 'grid_worker', sub: uuidOf(`${OUYANG.id} first account`) }],
    ['acknowledged', { id: OUYANG.id, name: OUYANG.name, role: 'grid_worker', sub: uuidOf(`${OUYANG.id} first account`) }],
    ['completed', { id: OUYANG.id, name: OUYANG.name, role: 'grid_worker', sub: uuidOf(`${OUYANG.id} first account`) }],
  ]);
  expect(event.reportedBy).toMatchObject({ id: OUYANG.id, role: 'grid_worker' });
});

test("a second grid worker of the same grid cannot act as the handler of the first's case, whatever her token's sub", async () => {
  const id = await reportByOuyang('金英街口排水口堵塞');
  for (const action of [{ action: 'acknowledge' }, { action: 'complete', note: '代为办结' }]) {
    const refused = await act(stack, id, tokenOf(CHEN), action);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(OUYANG.name);
  }
  // A token whose sub happens to be the handler's person id is still 陈晓雨's: sub decides nothing.
  const lookalike = stack.platform.token({
    sub: OUYANG.id,
    name: CHEN.name,
    'custom:role': 'grid_worker',
    'custom:units': JINYUAN_GRID_1,
    'custom:person': CHEN.id,
  });
  expect((await act(stack, id, lookalike, { action: 'complete', note: '冒名办结' })).status).toBe(403);
  // Not the handler: the resident's phone is masked for her.
  expect((await fetchEvent(stack, id, tokenOf(CHEN))).reporter.phone).toBe('130****9999');
  // The handler herself still can, from another account of hers (a new sub, the same person).
  expect((await act(stack, id, tokenOf(OUYANG, 'second account'), { action: 'acknowledge' })).status).toBe(200);
});

test("my cases: the handler's open cases are listed for her person id, not for the other worker of her grid", async () => {
  const id = await reportByOuyang('金英街尾排水口堵塞');
  const mine = await stack.call('GET', '/events?mine=true', { token: tokenOf(OUYANG) });
  expect(mine.status).toBe(200);
  expect(mine.body.items.map((item: any) => item.id)).toContain(id);
  const hers = await stack.call('GET', '/events?mine=true', { token: tokenOf(CHEN) });
  expect(hers.status).toBe(200);
  expect(hers.body.items).toEqual([]);
});

test("the reporter: a grid worker's reports count on her own scorecard (by person id), not on her account's sub", async () => {
  const day = '2026-11-24';
  const before = await counterTotals(stack, { kind: 'person', code: OUYANG.id }, day, day);
  await reportByOuyang('金英街中段排水口堵塞');
  const after = await counterTotals(stack, { kind: 'person', code: OUYANG.id }, day, day);
  expect((after.reported ?? 0) - (before.reported ?? 0)).toBe(1);
  const bySub = await counterTotals(stack, { kind: 'person', code: uuidOf(`${OUYANG.id} first account`) }, day, day);
  expect(bySub).toEqual({});
});

test('the requester never decides their own request, from any account of theirs; the other leader does', async () => {
  const created = await stack.call('POST', '/events', {
    token: tokenOf(OUYANG),
    body: { ...drain, itemCode: '02-03', severity: 1, description: '金英街积水深约1米，有群众被困' },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  const routed = await eventWhen(stack, id, tokenOf(ZHANG), (event) => event.stage === 'routed', 'routed');
  expect(routed.tier).toBe('through_train');
  const until = toLocalIso(new Date(Date.parse(routed.deadlineAt) + 3600_000));
  const requested = await act(stack, id, tokenOf(ZHANG), { action: 'request_extension', until, note: '需调集排涝设备' });
  expect(requested.status).toBe(200);
  expect(requested.body.extension.requestedBy).toEqual({
    id: ZHANG.id,
    name: ZHANG.name,
    role: 'leader',
    sub: uuidOf(`${ZHANG.id} first account`),
  });

  for (const account of ['first account', 'second account']) {
    const own = await act(stack, id, tokenOf(ZHANG, account), { action: 'approve_extension' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('another person decides it');
  }
  const approved = await act(stack, id, tokenOf(HUANG), { action: 'approve_extension' });
  expect(approved.status).toBe(200);
  expect(approved.body.deadlineAt).toBe(until);
});

test("a campaign's task is answered by the grid worker it names, by person id", async () => {
  const sent = await stack.call('POST', '/campaigns', {
    token: stack.token('town_center', XIAOJINKOU),
    body: { title: '消防通道排查', instructions: '检查楼道和消防通道', deadlineAt: '2026-11-27T12:00:00+08:00', units: [JINYUAN] },
  });
  expect(sent.status).toBe(201);
  const answer = await stack.call('POST', `/campaigns/${sent.body.id}/responses`, { token: tokenOf(OUYANG), body: { note: '已检查' } });
  expect(answer.status).toBeLessThan(300);
  expect(answer.body).toMatchObject({ person: OUYANG.id });
  const seen = await stack.call('GET', `/campaigns/${sent.body.id}`, { token: tokenOf(CHEN) });
  expect(seen.status).toBe(200);
  expect(JSON.stringify(seen.body)).not.toContain(OUYANG.id);
});

test('a staff token without custom:person is refused with 401 naming the claim', async () => {
  const anonymous = stack.platform.token({
    sub: uuidOf('nobody'),
    name: '无人员编号',
    'custom:role': 'grid_worker',
    'custom:units': JINYUAN_GRID_1,
  });
  const reply = await stack.call('GET', `/events?unit=${JINYUAN}`, { token: anonymous });
  expect(reply.status).toBe(401);
  expect(reply.body.error.fields).toEqual([{ field: 'custom:person', message: expect.any(String) }]);
  expect(reply.body.error.message).toContain('custom:person');
  const report = await stack.call('POST', '/events', { token: anonymous, body: drain });
  expect(report.status).toBe(401);
  expect(report.body.error.fields[0].field).toBe('custom:person');
});

test('one person, one role: a token that gives a roster person another role is refused (403 naming custom:role)', async () => {
  const id = await reportByOuyang('金英街西排水口堵塞');
  const asCenter = tokenOf({ ...OUYANG, role: 'district_center', unit: HUICHENG });
  for (const reply of [
    await stack.call('GET', `/events/${id}`, { token: asCenter }),
    await act(stack, id, asCenter, { action: 'complete', note: '以区中心身份办结' }),
    await stack.call('POST', '/events', { token: asCenter, body: drain }),
  ]) {
    expect(reply.status).toBe(403);
    expect(reply.body.error.fields).toEqual([{ field: 'custom:role', message: expect.stringContaining('grid_worker') }]);
  }
  expect((await fetchEvent(stack, id, tokenOf(OUYANG))).stage).toBe('routed');
});
