/**
 * Story 2, overdue up the ladder: the street center reports an illegal stall blocking a road (01-04) at
 * level 2; it goes to Xiaojinkou's urban-management team on an 8-working-hour clock. Nobody acts: a second
 * notice, reminders at about half and three quarters of the time, and at the deadline 督办 to the team
 * head, the overdue mark and count, and the case moves up to the district center to dispatch. The district
 * center sends it to the district bureau, which handles it; verification on site fails once (返工), passes
 * the second time; the reporter is told, rates it, and it is archived.
 *
 * Through HTTP on the local stack (DynamoDB Local, the real ASL on the local engine), on a clock the test
 * drives from Monday 09:00: time stands still while the test acts, and moving it to the street's deadline
 * (8 working hours, overnight) fires on the way, each at its own moment, the reminder poller (four times a
 * reminder window), the night's scheduled jobs and the lifecycle's timer — however loaded the machine.
 */
import { type BusinessCalendar, toLocalIso } from '../../shared/domain/calendar';
import { smsTime } from '../../shared/domain/messages';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import {
  act,
  at,
  counterTotals,
  fetchEvent,
  HUICHENG,
  JINYUAN_GRID_1,
  smsOf,
  startStack,
  typesOf,
  XIAOJINKOU,
  type Stack,
} from '../support/local-stack';
import { sampleCalendar } from '../../dev-server/seed-reference';

const POLICY = DEFAULT_POLICY;
const MINUTE = 60_000;
const calendar = sampleCalendar();
const deadlineOf = (startedAt: string, limit: Parameters<BusinessCalendar['add']>[1]) =>
  toLocalIso(calendar.add(new Date(startedAt), limit));

const STREET_TEAM = { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: XIAOJINKOU };
const DISTRICT_CENTER = { type: 'unit', id: HUICHENG, name: '惠城区网格中心', unit: HUICHENG };
const DISTRICT_BUREAU = { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: HUICHENG };
const STREET_CLERK_PHONE = '13000020102';
const STREET_HEAD_PHONE = '13000020101';
const BUREAU_CLERK_PHONE = '13000010202';
const DISTRICT_DUTY_PHONE = '13000004002';
const REPORTER_PHONE = '13000009902';

let stack: Stack;
const clock = new DrivenClock(at('2026-11-23 09:00'));
let streetCenter: string;
let streetTeam: string;
let districtCenter: string;
let bureau: string;
beforeAll(async () => {
  stack = await startStack({ clock, policy: POLICY });
  streetCenter = stack.token('town_center', XIAOJINKOU);
  streetTeam = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
  districtCenter = stack.token('district_center', HUICHENG);
  bureau = stack.token('department', HUICHENG, { department: 'urban-management' });
});
afterAll(() => stack?.stop());

let id: string;
let routed: any;
let escalated: any;

test('the street center reports a stall blocking the road at level 2: the street urban-management team has 8 working hours', async () => {
  const created = await stack.call('POST', '/events', {
    token: streetCenter,
    body: {
      itemCode: '01-04',
      gridCode: JINYUAN_GRID_1,
      severity: 2,
      description: '金英街路口流动摊贩占道经营，堵住一条车道',
      location: { lat: 23.1318, lng: 114.4149, address: '金英街路口' },
      reporter: { name: '过路司机', phone: REPORTER_PHONE },
    },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    itemCode: '01-04',
    severity: 2,
    stage: 'routed',
    status: 'open',
    source: 'assigned',
    assignee: STREET_TEAM,
  });
  id = created.body.id;

  // The lifecycle's first steps run at the moment of the report: it waits on the street team once they have.
  await clock.settled();
  routed = await fetchEvent(stack, id, streetCenter);
  expect(routed).toMatchObject({ tier: 'town', stage: 'routed', status: 'open', overdue: false, assignee: STREET_TEAM });
  expect(routed.routedAt).toBe(toLocalIso(at('2026-11-23 09:00')));
  expect(routed.clock).toMatchObject({ kind: 'handling', startedAt: routed.routedAt, reminders: 0 });
  // Level 2 at the street: the policy's 8 working hours (the item's own 4 hours are for level 4 at the grid).
  expect(routed.deadlineAt).toBe(deadlineOf(routed.routedAt, POLICY.handlingLimit.town[2]));
  expect(routed.deadlineAt).toBe(toLocalIso(calendar.addWorkingHours(new Date(routed.routedAt), 8)));
  // Time has not moved: nothing else is on the timeline yet.
  expect(typesOf(routed)).toEqual(['registered', 'routed']);
  expect(routed.timeline.slice(0, 2).map((entry: any) => [entry.type, entry.actor.id, entry.actor.role])).toEqual([
    ['registered', 'tc-xiaojinkou-duty', 'town_center'],
    ['routed', 'gridflow', 'system'],
  ]);
  expect(
    typesOf(routed)
      .slice(2)
      .every((type: string) => type === 'not_acknowledged'),
  ).toBe(true);
  expect(routed.timeline[1]).toMatchObject({
    stage: 'routed',
    tier: 'town',
    data: { tier: 'town', assignee: STREET_TEAM, deadlineAt: routed.deadlineAt },
  });

  const assigned = smsOf(stack, id, 'case_assigned');
  expect(assigned.map((message) => [message.to, message.recipientRole])).toEqual([[STREET_CLERK_PHONE, 'handler']]);
  expect(assigned[0].text).toContain('占道经营');
});

test('nobody acts: a second notice, reminders at about half and three quarters, then 督办 to the team head, overdue, and up to the district center', async () => {
  // Up to a minute past the deadline: the night's jobs, every poll for due reminders and the deadline's timer fire on the way.
  await clock.advanceTo(new Date(Date.parse(routed.deadlineAt) + MINUTE));
  escalated = await fetchEvent(stack, id, streetCenter);
  expect(escalated).toMatchObject({ stage: 'routed', status: 'open', tier: 'district', overdue: true, assignee: DISTRICT_CENTER });
  expect(escalated.clock).toMatchObject({ kind: 'dispatch', reminders: 0 });
  expect(escalated.deadlineAt).toBe(deadlineOf(escalated.clock.startedAt, POLICY.dispatchLimit[2]));
  expect(Date.parse(escalated.clock.startedAt)).toBeGreaterThanOrEqual(Date.parse(routed.deadlineAt));
  // The deadline's timer fired at the deadline itself (the driven clock fires each timer at its own moment).
  expect(escalated.clock.startedAt).toBe(routed.deadlineAt);

  const timeline = escalated.timeline;
  expect(typesOf(escalated)).toEqual(['registered', 'routed', 'not_acknowledged', 'reminded', 'reminded', 'escalated']);
  for (const entry of timeline.slice(2)) expect(entry.actor).toMatchObject({ id: 'gridflow', role: 'system' });
  const [, , notice, half, threeQuarters, up] = timeline;
  expect(notice).toMatchObject({ tier: 'town', stage: 'routed' });
  expect(half.data).toEqual({ passed: 0.5 });
  expect(threeQuarters.data).toEqual({ passed: 0.75 });
  // At half and three quarters of the working time (4 and 6 of the 8 working hours), never early, before the deadline.
  const start = new Date(routed.routedAt);
  const remindAt = [4, 6].map((hours) => toLocalIso(calendar.addWorkingHours(start, hours)));
  expect(routed.clock.remindAt).toEqual(remindAt);
  expect(Date.parse(half.at)).toBeGreaterThanOrEqual(Date.parse(remindAt[0]));
  expect(Date.parse(threeQuarters.at)).toBeGreaterThanOrEqual(Date.parse(remindAt[1]));
  // Each within one poll (a quarter of the reminder window) of its time.
  const pollMs = (POLICY.reminderWindowMinutes * MINUTE) / 4;
  expect(Date.parse(half.at) - Date.parse(remindAt[0])).toBeLessThanOrEqual(pollMs);
  expect(Date.parse(threeQuarters.at) - Date.parse(remindAt[1])).toBeLessThanOrEqual(pollMs);
  expect(Date.parse(threeQuarters.at)).toBeLessThan(Date.parse(routed.deadlineAt));
  expect(up).toMatchObject({
    tier: 'district',
    stage: 'routed',
    data: { tier: 'district', assignee: DISTRICT_CENTER, missed: { clock: 'handling', deadlineAt: routed.deadlineAt } },
  });
  expect(up.note).toContain('超过时限');
  expect(Date.parse(up.at)).toBeGreaterThanOrEqual(Date.parse(routed.deadlineAt));

  // SMS: the second notice and the two reminders to the street clerk; 督办 to the team head; the district center told to dispatch.
  // Sent by the time the clock has settled.
  const sms = smsOf(stack, id);
  expect(sms.slice(0, 6).map((message) => [message.template, message.to, message.recipientRole])).toEqual([
    ['case_assigned', STREET_CLERK_PHONE, 'handler'],
    ['acknowledge_reminder', STREET_CLERK_PHONE, 'handler'],
    ['case_reminder', STREET_CLERK_PHONE, 'handler'],
    ['case_reminder', STREET_CLERK_PHONE, 'handler'],
    ['case_overdue', STREET_HEAD_PHONE, 'head'],
    ['dispatch_needed', DISTRICT_DUTY_PHONE, 'handler'],
  ]);
  const supervision = smsOf(stack, id, 'case_overdue')[0];
  expect(supervision.text).toContain('督办');
  expect(supervision.text).toContain('小金口街道城管执法中队');
  expect(supervision.params.deadline).toBe(smsTime(routed.deadlineAt));
  expect(smsOf(stack, id, 'dispatch_needed')[0].text).toContain('待分流');

  // The overdue mark is counted against the street team, and for every unit above the grid.
  const [fromDay, toDay] = [routed.createdAt.slice(0, 10), escalated.clock.startedAt.slice(0, 10)];
  const team = await counterTotals(stack, { kind: 'department', code: `${XIAOJINKOU}:urban-management` }, fromDay, toDay);
  expect(team).toMatchObject({ overdue: 1, escalated: 1, notAcknowledged: 1 });
  for (const unit of [XIAOJINKOU, HUICHENG]) {
    expect(await counterTotals(stack, { kind: 'unit', code: unit }, fromDay, toDay)).toMatchObject({
      reported: 1,
      routed: 1,
      overdue: 1,
      escalated: 1,
      'overdue@01-04': 1,
    });
  }
});

test("the street team's late action is refused with what happened", async () => {
  const late = await act(stack, id, streetTeam, { action: 'complete', note: '已劝离摊贩' });
  expect(late.status).toBe(409);
  expect(late.body.error.message).toMatch(/moved on: escalated to 惠城区网格中心 \(district\)/);
  expect(late.body.error.message).toContain('超过时限');
  expect(late.body.error.fields).toEqual([{ field: 'action', message: 'the case is no longer yours' }]);
  const lateSign = await act(stack, id, streetTeam, { action: 'acknowledge' });
  expect(lateSign.status).toBe(409);
  // The refusals changed nothing.
  const after = await fetchEvent(stack, id, districtCenter);
  expect(after).toMatchObject({ tier: 'district', assignee: DISTRICT_CENTER, stage: 'routed' });
  expect(after.timeline).toHaveLength(escalated.timeline.length);
});

test('the district center sends it to the district bureau; it handles; verification fails once (返工), passes the second time; the reporter rates; archived', async () => {
  const seq = escalated.timeline.length;

  const assigned = await act(stack, id, districtCenter, { action: 'assign', department: 'urban-management', note: '交区城管执法局处理' });
  expect(assigned.status).toBe(200);
  expect(assigned.body).toMatchObject({ tier: 'district', stage: 'routed', assignee: DISTRICT_BUREAU, overdue: true });
  expect(assigned.body.clock.kind).toBe('handling');
  expect(assigned.body.deadlineAt).toBe(deadlineOf(assigned.body.clock.startedAt, POLICY.handlingLimit.district[2]));
  expect(smsOf(stack, id, 'case_assigned').at(-1)).toMatchObject({ to: BUREAU_CLERK_PHONE, recipientRole: 'handler' });

  const signed = await act(stack, id, bureau, { action: 'acknowledge' });
  expect(signed.status).toBe(200);
  expect(signed.body).toMatchObject({ stage: 'handling', assignee: DISTRICT_BUREAU, deadlineAt: assigned.body.deadlineAt });

  const first = await act(stack, id, bureau, {
    action: 'complete',
    note: '已清理占道摊点',
    photos: ['https://photos.example.cn/stall-after-1.jpg'],
  });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ stage: 'verifying', tier: 'district', handledOnTime: true });
  expect(first.body.clock.kind).toBe('verification');
  expect(first.body.deadlineAt).toBe(deadlineOf(first.body.clock.startedAt, POLICY.verificationLimit[2]));

  // 核查: not done. Back to the bureau (返工), on a fresh clock at the district tier.
  const failed = await act(stack, id, districtCenter, {
    action: 'verify_fail',
    note: '现场复核仍有摊贩占道',
    photos: ['https://photos.example.cn/stall-check-1.jpg'],
  });
  expect(failed.status).toBe(200);
  expect(failed.body).toMatchObject({ stage: 'handling', tier: 'district', assignee: DISTRICT_BUREAU, verifyFailures: 1 });
  expect(failed.body.clock.kind).toBe('handling');
  expect(failed.body.deadlineAt).toBe(deadlineOf(failed.body.clock.startedAt, POLICY.handlingLimit.district[2]));
  expect(smsOf(stack, id, 'case_assigned').map((message) => message.to)).toEqual([
    STREET_CLERK_PHONE,
    BUREAU_CLERK_PHONE,
    BUREAU_CLERK_PHONE,
  ]);

  const second = await act(stack, id, bureau, {
    action: 'complete',
    note: '已取缔占道摊点并设置隔离',
    photos: ['https://photos.example.cn/stall-after-2.jpg'],
  });
  expect(second.status).toBe(200);
  expect(second.body.stage).toBe('verifying');
  const passed = await act(stack, id, districtCenter, {
    action: 'verify_pass',
    note: '现场核查通过',
    photos: ['https://photos.example.cn/stall-check-2.jpg'],
  });
  expect(passed.status).toBe(200);
  expect(passed.body.stage).toBe('feedback');

  // The lifecycle runs on from the verification (feed back, then wait for the rating) at this moment.
  await clock.settled();
  const fedBack = await fetchEvent(stack, id, districtCenter);
  expect(fedBack.fedBackAt).toBeDefined();
  const feedback = smsOf(stack, id, 'feedback_to_reporter');
  expect(feedback.map((message) => [message.to, message.recipientRole])).toEqual([[REPORTER_PHONE, 'reporters']]);
  expect(feedback[0].text).toContain('已取缔占道摊点并设置隔离');
  expect(fedBack.clock.kind).toBe('rating');
  const code = /评价码(\d{6})/.exec(feedback[0].text)![1];
  const rated = await stack.call('POST', `/events/${id}/rating`, { body: { code, score: 4, note: '处理到位' } });
  expect(rated.status).toBe(200);

  await clock.settled();
  const archived = await fetchEvent(stack, id, districtCenter);
  expect(archived.stage).toBe('archived');
  expect(archived).toMatchObject({
    status: 'closed',
    tier: 'district',
    assignee: DISTRICT_BUREAU,
    rating: { score: 4, by: 'reporter' },
    verifyFailures: 1,
  });
  expect(archived.deadlineAt).toBeUndefined();
  expect(archived.timeline.slice(seq).map((entry: any) => [entry.type, entry.actor.id, entry.stage])).toEqual([
    ['assigned', 'dc-huicheng-duty', 'routed'],
    ['acknowledged', 'ds-urban-management-441302', 'handling'],
    ['completed', 'ds-urban-management-441302', 'verifying'],
    ['verification_failed', 'dc-huicheng-duty', 'handling'],
    ['completed', 'ds-urban-management-441302', 'verifying'],
    ['verified', 'dc-huicheng-duty', 'feedback'],
    ['fed_back', 'gridflow', 'feedback'],
    ['rated', 'reporter', 'feedback'],
    ['archived', 'gridflow', 'archived'],
  ]);
  expect(archived.timeline.find((entry: any) => entry.type === 'verification_failed').note).toContain('现场复核仍有摊贩占道');

  const [fromDay, toDay] = [routed.createdAt.slice(0, 10), archived.closedAt.slice(0, 10)];
  const district = await counterTotals(stack, { kind: 'unit', code: HUICHENG }, fromDay, toDay);
  expect(district).toMatchObject({
    reported: 1,
    routed: 1,
    overdue: 1,
    escalated: 1,
    handled: 2,
    reworked: 1,
    verifiedPassed: 1,
    fedBack: 1,
    rated: 1,
    ratingTotal: 4,
    closed: 1,
  });
  expect(district.reassigned).toBeUndefined();
  const bureauCounts = await counterTotals(stack, { kind: 'department', code: `${HUICHENG}:urban-management` }, fromDay, toDay);
  expect(bureauCounts).toMatchObject({ handled: 2, reworked: 1, verifiedPassed: 1 });
  expect(bureauCounts.overdue).toBeUndefined();
  const streetCounts = await counterTotals(stack, { kind: 'department', code: `${XIAOJINKOU}:urban-management` }, fromDay, toDay);
  expect(streetCounts.overdue).toBe(1);
  expect(streetCounts.handled).toBeUndefined();
});

test('a case that missed a deadline on the way is closed, but not closed on time (the on-time closure rate of the bulletin)', async () => {
  const archived = await fetchEvent(stack, id, districtCenter);
  expect(archived).toMatchObject({ stage: 'archived', overdue: true });
  const [fromDay, toDay] = [archived.createdAt.slice(0, 10), archived.closedAt.slice(0, 10)];
  for (const unit of [XIAOJINKOU, HUICHENG]) {
    const counts = await counterTotals(stack, { kind: 'unit', code: unit }, fromDay, toDay);
    expect({ unit, closed: counts.closed, closedOnTime: counts.closedOnTime }).toEqual({ unit, closed: 1, closedOnTime: undefined });
  }
});

test('the whole lifecycle stays within 40 state transitions', async () => {
  await stack.platform.workflow.engine.result(id);
  const transitions = stack.platform.workflow.engine.transitions(id);
  console.log(`story 2 (overdue up the ladder): ${transitions} state transitions`);
  expect(transitions).toBeLessThanOrEqual(40);
});
