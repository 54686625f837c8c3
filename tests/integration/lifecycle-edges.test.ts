/**
 * Edges of the lifecycle, through HTTP on the local stack: signing for a case (签收) stops the second
 * notice; an extension (延期) is asked for by the handler, decided by the right approver, moves the deadline
 * once and by at most the original limit; a poor rating reopens the case once, and a second poor rating
 * archives it; a leader puts an ordinary case on the through train (直通车).
 *
 * On a clock the tests drive from Thursday 08:00: the first moves it past a level-4 case's 2 working hours to sign
 * for it; a one-working-day deadline set on Thursday falls on Friday, so an extension by at most that limit runs
 * over the weekend; the other tests act within their clocks. Each test uses grids of its own, so their SMS never
 * fold into one another's reminder windows.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { type BusinessCalendar, toLocalIso } from '../../shared/domain/calendar';
import { communityOf } from '../../shared/domain/unit-codes';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { act, at, counterTotals, fetchEvent, HUICHENG, JINYUAN, smsOf, startStack, typesOf, type Stack } from '../support/local-stack';
import { sampleCalendar } from '../../dev-server/seed-reference';

const POLICY = DEFAULT_POLICY;
const calendar = sampleCalendar();
const deadlineOf = (startedAt: string, limit: Parameters<BusinessCalendar['add']>[1]) =>
  toLocalIso(calendar.add(new Date(startedAt), limit));
const MINUTE = 60_000;

let stack: Stack;
const clock = new DrivenClock(at('2026-11-26 08:00'));
beforeAll(async () => {
  stack = await startStack({ clock, policy: POLICY });
});
afterAll(() => stack?.stop());

const grid = (n: number) => `44130201000100${n}`;
const workerPhone = (n: number) => `1300000100${n}`;

async function report(gridCode: string, extra: Record<string, unknown> = {}) {
  const token = stack.token('grid_worker', gridCode);
  const created = await stack.call('POST', '/events', {
    token,
    body: { itemCode: '01-01', gridCode, description: '排水口堵塞', location: { lat: 23.13, lng: 114.41, address: '金源路' }, ...extra },
  });
  expect(created.status).toBe(201);
  await clock.settled();
  const routed = await fetchEvent(stack, created.body.id, token);
  expect(routed.stage).toBe('routed');
  return { id: created.body.id as string, token, routed };
}

test('a handler who signs for the case (签收) gets no second notice; one who does not, gets it once the time to sign is up', async () => {
  const [signed, unsigned] = await Promise.all([report(grid(3)), report(grid(4))]);
  expect(signed.routed.assignee).toMatchObject({ type: 'person', id: 'gw-441302010001003' });
  expect(unsigned.routed.assignee).toMatchObject({ type: 'person', id: 'gw-441302010001004' });
  const acknowledged = await act(stack, signed.id, signed.token, { action: 'acknowledge', note: '已签收，马上处理' });
  expect(acknowledged.status).toBe(200);
  expect(acknowledged.body).toMatchObject({ stage: 'handling', deadlineAt: signed.routed.deadlineAt });
  expect(acknowledged.body.acknowledgedAt).toBeDefined();

  // The one not signed for: a second notice once its 2 working hours to sign are up.
  const signBy = (routed: any) => calendar.add(new Date(routed.routedAt), POLICY.acknowledgeLimit[4]);
  // Both signing times are the same moment; the clock moves ten minutes past it (the reminder poller checks every 7.5).
  expect(signBy(signed.routed)).toEqual(signBy(unsigned.routed));
  await clock.advanceTo(new Date(signBy(unsigned.routed).getTime() + 10 * MINUTE));
  const noticed = await fetchEvent(stack, unsigned.id, unsigned.token);
  expect(typesOf(noticed)).toEqual(['registered', 'routed', 'not_acknowledged']);
  expect(noticed.timeline[2].actor).toMatchObject({ id: 'gridflow', role: 'system' });
  expect(Date.parse(noticed.timeline[2].at)).toBeGreaterThanOrEqual(signBy(unsigned.routed).getTime());
  expect(noticed.stage).toBe('routed');
  const second = smsOf(stack, unsigned.id, 'acknowledge_reminder');
  expect(second.map((message) => [message.to, message.recipientRole])).toEqual([[workerPhone(4), 'handler']]);

  // The signed one, past the same moment: nothing.
  const quiet = await fetchEvent(stack, signed.id, signed.token);
  expect(typesOf(quiet)).toEqual(['registered', 'routed', 'acknowledged']);
  expect(quiet.timeline[2].actor).toMatchObject({ id: 'gw-441302010001003', role: 'grid_worker' });
  expect(smsOf(stack, signed.id).map((message) => message.template)).toEqual(['case_assigned']);
  expect(
    stack.platform.outbox
      .all()
      .filter((message) => message.to === workerPhone(3))
      .map((message) => message.template),
  ).toEqual(['case_assigned']);
  const day = signed.routed.createdAt.slice(0, 10);
  const counts = await counterTotals(stack, { kind: 'unit', code: JINYUAN }, day, day);
  expect(counts).toMatchObject({ acknowledged: 1, notAcknowledged: 1 });
});

test('an extension: asked by the handler, decided by the right approver, moves the deadline once and by at most the original limit', async () => {
  const { id, token: worker, routed } = await report(grid(1));
  expect((await act(stack, id, worker, { action: 'acknowledge' })).status).toBe(200);
  const station = stack.token('community_station', JINYUAN);
  const streetCenter = stack.token('town_center', '441302010');
  const original = Date.parse(routed.deadlineAt);
  expect(routed.deadlineAt).toBe(deadlineOf(routed.routedAt, POLICY.handlingLimit.grid[4]));
  const limit = original - Date.parse(routed.clock.startedAt);

  // Beyond the original limit (however it is counted), or not after the deadline: 422, naming the field.
  const beyond = Math.max(original + limit, calendar.add(new Date(original), POLICY.handlingLimit.grid[4]).getTime()) + MINUTE;
  const tooLong = await act(stack, id, worker, {
    action: 'request_extension',
    until: toLocalIso(new Date(beyond)),
    note: '需协调管网单位',
  });
  expect(tooLong.status).toBe(422);
  expect(tooLong.body.error.fields).toEqual([{ field: 'until', message: expect.stringMatching(/^at the latest /) }]);
  const tooSoon = await act(stack, id, worker, { action: 'request_extension', until: routed.deadlineAt, note: '需协调管网单位' });
  expect(tooSoon.status).toBe(422);
  expect(tooSoon.body.error.fields[0].field).toBe('until');
  // Only the handler asks.
  expect(
    (await act(stack, id, station, { action: 'request_extension', until: toLocalIso(new Date(original + limit / 2)), note: '代为申请' }))
      .status,
  ).toBe(403);

  const until = toLocalIso(new Date(original + limit / 2));
  const requested = await act(stack, id, worker, { action: 'request_extension', until, note: '需协调管网单位疏通主管' });
  expect(requested.status).toBe(200);
  expect(requested.body).toMatchObject({
    deadlineAt: routed.deadlineAt,
    extension: { status: 'requested', until, reason: '需协调管网单位疏通主管' },
  });
  const asked = smsOf(stack, id, 'extension_requested');
  expect(asked.map((message) => [message.to, message.recipientRole])).toEqual([
    ['13000002001', 'approver'],
    ['13000002002', 'approver'],
  ]);
  expect(asked[0].text).toContain('需协调管网单位疏通主管');

  // A second request while one is pending: 409. The wrong approver: 403. A grid worker cannot approve.
  const again = await act(stack, id, worker, { action: 'request_extension', until, note: '再次申请' });
  expect(again.status).toBe(409);
  expect(again.body.error.message).toContain('already pending');
  const wrongApprover = await act(stack, id, streetCenter, { action: 'approve_extension' });
  expect(wrongApprover.status).toBe(403);
  expect(wrongApprover.body.error.message).toContain('community_station');
  expect((await act(stack, id, worker, { action: 'approve_extension' })).status).toBe(403);

  const approved = await act(stack, id, station, { action: 'approve_extension', note: '同意' });
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ deadlineAt: until, extension: { status: 'approved', until }, overdue: false });
  expect(approved.body.clock).toMatchObject({ kind: 'handling', deadlineAt: until, startedAt: routed.clock.startedAt });
  const decided = smsOf(stack, id, 'extension_decided');
  expect(decided.map((message) => [message.to, message.recipientRole])).toEqual([[workerPhone(1), 'handler']]);
  expect(decided[0].text).toContain('已批准');

  // Once only.
  const secondRequest = await act(stack, id, worker, {
    action: 'request_extension',
    until: toLocalIso(new Date(Date.parse(until) + MINUTE)),
    note: '还需时间',
  });
  expect(secondRequest.status).toBe(409);
  expect(secondRequest.body.error.message).toContain('already approved');
  expect((await act(stack, id, station, { action: 'approve_extension' })).status).toBe(409);

  const after = await fetchEvent(stack, id, worker);
  expect(after.deadlineAt).toBe(until);
  expect(typesOf(after)).toEqual(['registered', 'routed', 'acknowledged', 'extension_requested', 'extension_approved']);
  expect(after.timeline[3]).toMatchObject({ actor: { id: 'gw-ouyang-lingqiao', role: 'grid_worker' }, data: { until } });
  expect(after.timeline[4]).toMatchObject({ actor: { id: 'cs-jinyuan-duty', role: 'community_station' }, data: { deadlineAt: until } });
  const day = routed.createdAt.slice(0, 10);
  expect((await counterTotals(stack, { kind: 'unit', code: JINYUAN }, day, day)).extended).toBe(1);
});

test('the most an extension may add is the original limit in working time: one working day from a Friday deadline is Monday', async () => {
  const { id, token: worker, routed } = await report(grid(7));
  const original = new Date(routed.deadlineAt);
  expect(routed.deadlineAt).toBe(deadlineOf(routed.routedAt, POLICY.handlingLimit.grid[4]));
  // The clock started on Thursday: the deadline is on Friday and the extension's room runs over the weekend.
  expect(original.getUTCDay()).toBe(5);
  const latest = calendar.add(original, POLICY.handlingLimit.grid[4]);
  expect(latest.getUTCDay()).toBe(1);

  const beyond = await act(stack, id, worker, {
    action: 'request_extension',
    until: toLocalIso(new Date(latest.getTime() + MINUTE)),
    note: '周末无法施工',
  });
  expect(beyond.status).toBe(422);
  expect(beyond.body.error.fields).toEqual([{ field: 'until', message: `at the latest ${toLocalIso(latest)}` }]);
  const within = await act(stack, id, worker, {
    action: 'request_extension',
    until: toLocalIso(new Date(latest.getTime() - MINUTE)),
    note: '周末无法施工',
  });
  expect({ status: within.status, body: within.body }).toMatchObject({ status: 200, body: { extension: { status: 'requested' } } });
});

test('a poor rating reopens the case once, back to its handler; a second poor rating archives it', async () => {
  const reporterPhone = '13000009921';
  const { id, token: worker, routed } = await report(grid(2), { reporter: { name: '居民', phone: reporterPhone } });
  expect(routed.assignee).toMatchObject({ type: 'person', id: 'gw-441302010001002' });

  const feedbackCodes = async (count: number) => {
    // The lifecycle feeds back at the moment of the completion.
    await clock.settled();
    const sent = smsOf(stack, id, 'feedback_to_reporter');
    expect(sent).toHaveLength(count);
    expect(sent.every((message) => message.to === reporterPhone && message.recipientRole === 'reporters')).toBe(true);
    return sent.map((message) => /评价码(\d{6})/.exec(message.text)![1]);
  };

  expect((await act(stack, id, worker, { action: 'complete', note: '已疏通' })).status).toBe(200);
  const [firstCode] = await feedbackCodes(1);
  const reopened = await stack.call('POST', `/events/${id}/rating`, { body: { code: firstCode, score: 1, note: '根本没通' } });
  expect(reopened.status).toBe(200);
  // The reporter's reply says only what the reporter needs to know.
  expect(reopened.body).toEqual({ id, stage: 'routed', rating: null, reopened: true });
  const back = await fetchEvent(stack, id, worker);
  expect(back).toMatchObject({ status: 'open', stage: 'routed', tier: 'grid', reopened: true, assignee: routed.assignee });
  expect(back.rating).toBeUndefined();
  expect(back.clock.kind).toBe('handling');
  expect(back.deadlineAt).toBe(deadlineOf(back.clock.startedAt, POLICY.handlingLimit.grid[4]));
  expect(smsOf(stack, id, 'case_assigned').map((message) => message.to)).toEqual([workerPhone(2), workerPhone(2)]);
  // The old code is spent.
  expect((await stack.call('POST', `/events/${id}/rating`, { body: { code: firstCode, score: 5 } })).status).toBe(404);

  expect((await act(stack, id, worker, { action: 'complete', note: '已清掏主管淤泥，排水畅通' })).status).toBe(200);
  const [, secondCode] = await feedbackCodes(2);
  const rated = await stack.call('POST', `/events/${id}/rating`, { body: { code: secondCode, score: 1, note: '还是不满意' } });
  expect(rated.status).toBe(200);
  expect(rated.body).toMatchObject({ id, stage: 'feedback', rating: { score: 1, by: 'reporter' }, reopened: true });

  await clock.settled();
  const archived = await fetchEvent(stack, id, worker);
  expect(archived.stage).toBe('archived');
  expect(archived).toMatchObject({ status: 'closed', reopened: true, rating: { score: 1 } });
  expect(typesOf(archived)).toEqual([
    'registered',
    'routed',
    'completed',
    'fed_back',
    'reopened',
    'completed',
    'fed_back',
    'rated',
    'archived',
  ]);
  expect(archived.timeline[4]).toMatchObject({
    actor: { id: 'reporter', role: 'citizen' },
    stage: 'routed',
    data: { rating: { score: 1, comment: '根本没通' } },
  });
  const [fromDay, toDay] = [routed.createdAt.slice(0, 10), archived.closedAt.slice(0, 10)];
  expect(await counterTotals(stack, { kind: 'unit', code: communityOf(grid(2)) }, fromDay, toDay)).toMatchObject({
    reopened: 1,
    rated: 2,
    ratingTotal: 2,
    handled: 2,
    fedBack: 2,
    closed: 1,
  });
});

test('a leader puts an ordinary case on the through train (直通车): district leadership handles it on the shortest clock, everyone is alerted', async () => {
  const { id, token: worker, routed } = await report(grid(6), { itemCode: '01-04', description: '商户长期占道经营，多次劝离无效' });
  expect(routed).toMatchObject({ tier: 'grid', severity: 4, assignee: { type: 'person', id: 'gw-441302010001006' } });
  const leader = stack.token('leader', HUICHENG);

  expect((await act(stack, id, worker, { action: 'through_train', note: '我要直通车' })).status).toBe(403);
  const boarded = await act(stack, id, leader, { action: 'through_train', note: '群众多次反映，区领导直接督办' });
  expect(boarded.status).toBe(200);
  expect(boarded.body).toMatchObject({
    tier: 'through_train',
    stage: 'routed',
    status: 'open',
    severity: 4,
    assignee: { type: 'unit', id: HUICHENG, name: '惠城区直通车（区领导）', unit: HUICHENG },
  });
  expect(boarded.body.clock.kind).toBe('handling');
  expect(boarded.body.deadlineAt).toBe(deadlineOf(boarded.body.clock.startedAt, POLICY.handlingLimit.through_train[4]));

  const alerts = smsOf(stack, id, 'level1_alert');
  expect(alerts.map((message) => [message.to, message.recipientRole])).toEqual([
    ['13000004001', 'district_center'],
    ['13000004002', 'district_center'],
    ['13000002001', 'community_head'],
    [workerPhone(6), 'grid_workers'],
    ['13000005001', 'leadership'],
  ]);

  expect((await act(stack, id, leader, { action: 'through_train', note: '再次' })).status).toBe(409);
  const late = await act(stack, id, worker, { action: 'complete', note: '已劝离' });
  expect(late.status).toBe(409);
  expect(late.body.error.message).toMatch(/moved on: through_train to 惠城区直通车（区领导） \(through_train\)/);

  const final = await fetchEvent(stack, id, leader);
  expect(typesOf(final)).toEqual(['registered', 'routed', 'through_train']);
  expect(final.timeline[2]).toMatchObject({
    actor: { id: 'ld-zhang-wenzheng', role: 'leader' },
    tier: 'through_train',
    stage: 'routed',
    note: '群众多次反映，区领导直接督办',
  });
  const day = routed.createdAt.slice(0, 10);
  expect((await counterTotals(stack, { kind: 'unit', code: HUICHENG }, day, day)).throughTrain).toBe(1);

  // The leadership handles it; through-train cases are verified on site.
  const done = await act(stack, id, leader, { action: 'complete', note: '已责成城管执法局取缔' });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ stage: 'verifying', tier: 'through_train' });
});
