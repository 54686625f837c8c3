/**
 * Story 3, buck-passing (推诿扯皮): a crack in a building wall (02-05) reported at level 2 starts at the
 * street: Xiaojinkou's housing-construction team (小金口街道规划建设办) returns it as not theirs → back to the
 * street center to dispatch; the center sends it to the urban-management team, which returns it too →
 * the second return sends it to a joint meeting (联席会议). The district center convenes the departments,
 * records the decision (lead housing-construction, helper urban-management, a deadline, the minutes); the
 * lead — the district bureau — handles it; verification passes; the reporter is told and rates it. Both
 * returns are counted against the teams that made them.
 *
 * Through HTTP on the local stack, time ×60: every step here is an action, so the clocks (30 calendar
 * minutes to dispatch or sign for a level-2 case = 30 s) never run out while the test acts.
 */
import { type BusinessCalendar, toLocalIso } from '../../shared/domain/calendar';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import {
  act,
  at,
  counterTotals,
  eventually,
  eventWhen,
  fetchEvent,
  HUICHENG,
  JINYUAN_GRID_1,
  smsOf,
  smsWhen,
  startStack,
  typesOf,
  XIAOJINKOU,
  type Stack,
} from '../support/local-stack';
import { sampleCalendar } from '../../dev-server/seed-reference';

const POLICY = DEFAULT_POLICY;
const calendar = sampleCalendar();
const deadlineOf = (startedAt: string, limit: Parameters<BusinessCalendar['add']>[1]) =>
  toLocalIso(calendar.add(new Date(startedAt), limit));
const MINUTE = 60_000;

const HOUSING_TEAM = { type: 'department', id: 'housing-construction', name: '小金口街道规划建设办', unit: XIAOJINKOU };
const URBAN_TEAM = { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: XIAOJINKOU };
const STREET_CENTER = { type: 'unit', id: XIAOJINKOU, name: '小金口街道网格中心', unit: XIAOJINKOU };
const JOINT_MEETING = { type: 'unit', id: HUICHENG, name: '惠城区跨部门联席会议', unit: HUICHENG };
const HOUSING_BUREAU = { type: 'department', id: 'housing-construction', name: '区住房和城乡建设局', unit: HUICHENG };
const REPORTER_PHONE = '13000009903';

let stack: Stack;
let worker: string;
let streetCenter: string;
let housingTeam: string;
let urbanTeam: string;
let districtCenter: string;
let housingBureau: string;
beforeAll(async () => {
  stack = await startStack({ timeScale: 60, clockStart: at('2026-11-23 09:00'), policy: POLICY });
  worker = stack.token('grid_worker', JINYUAN_GRID_1);
  streetCenter = stack.token('town_center', XIAOJINKOU);
  housingTeam = stack.token('department', XIAOJINKOU, { department: 'housing-construction' });
  urbanTeam = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
  districtCenter = stack.token('district_center', HUICHENG);
  housingBureau = stack.token('department', HUICHENG, { department: 'housing-construction' });
});
afterAll(() => stack?.stop());

const policyNow = () => stack.platform.deps.clock.now();

test('two returns, a joint meeting, the lead closes it; both returns count against the teams that made them', async () => {
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: {
      itemCode: '02-05',
      gridCode: JINYUAN_GRID_1,
      severity: 2,
      description: '金英街12号楼外墙出现贯穿裂缝，墙皮脱落',
      location: { lat: 23.1322, lng: 114.4161, address: '金英街12号' },
      photos: ['https://photos.example.cn/wall-crack.jpg'],
      reporter: { name: '12号楼住户', phone: REPORTER_PHONE },
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;

  // 分流: level 2 starts at the street, with the team of the item's department, on 8 working hours.
  const routed = await eventWhen(stack, id, worker, (event) => event.stage === 'routed', 'routed');
  expect(routed).toMatchObject({ tier: 'town', assignee: HOUSING_TEAM, overdue: false });
  expect(routed.clock.kind).toBe('handling');
  expect(routed.deadlineAt).toBe(deadlineOf(routed.routedAt, POLICY.handlingLimit.town[2]));
  expect(smsOf(stack, id, 'case_assigned').map((message) => [message.to, message.recipientRole])).toEqual([['13000020202', 'handler']]);

  // 退回 #1: the housing team says it is not theirs → back to the street center, on its dispatch clock.
  const noReason = await act(stack, id, housingTeam, { action: 'return', note: ' ' });
  expect(noReason.status).toBe(400);
  const firstReturn = await act(stack, id, housingTeam, { action: 'return', note: '裂缝系违章搭建引起，不属本办职责' });
  expect(firstReturn.status).toBe(200);
  expect(firstReturn.body).toMatchObject({ tier: 'town', stage: 'routed', assignee: STREET_CENTER, returns: 1 });
  expect(firstReturn.body.clock.kind).toBe('dispatch');
  expect(firstReturn.body.deadlineAt).toBe(deadlineOf(firstReturn.body.clock.startedAt, POLICY.dispatchLimit[2]));
  expect(smsOf(stack, id, 'dispatch_needed').map((message) => [message.to, message.recipientRole])).toEqual([['13000003002', 'handler']]);
  // The team that returned it still sees it, but may not act on it any more.
  expect((await fetchEvent(stack, id, housingTeam)).assignee).toEqual(STREET_CENTER);
  const late = await act(stack, id, housingTeam, { action: 'complete', note: '已查看' });
  expect(late.status).toBe(409);
  expect(late.body.error.message).toMatch(/moved on: returned to 小金口街道网格中心 \(town\)/);

  // 分流 again: the street center sends it to the urban-management team.
  const dispatched = await act(stack, id, streetCenter, {
    action: 'assign',
    department: 'urban-management',
    note: '疑似违章搭建，请城管中队处理',
  });
  expect(dispatched.status).toBe(200);
  expect(dispatched.body).toMatchObject({ tier: 'town', stage: 'routed', assignee: URBAN_TEAM });
  expect(dispatched.body.clock.kind).toBe('handling');
  expect(dispatched.body.deadlineAt).toBe(deadlineOf(dispatched.body.clock.startedAt, POLICY.handlingLimit.town[2]));
  expect(smsOf(stack, id, 'case_assigned').at(-1)).toMatchObject({ to: '13000020102', recipientRole: 'handler' });

  // 退回 #2 → a joint meeting of departments, on the convene clock; the district center is told.
  const secondReturn = await act(stack, id, urbanTeam, { action: 'return', note: '房屋结构安全不属城管职责' });
  expect(secondReturn.status).toBe(200);
  expect(secondReturn.body).toMatchObject({ tier: 'joint_meeting', stage: 'routed', assignee: JOINT_MEETING, returns: 2 });
  expect(secondReturn.body.clock.kind).toBe('convene');
  expect(secondReturn.body.deadlineAt).toBe(deadlineOf(secondReturn.body.clock.startedAt, POLICY.conveneLimit[2]));
  expect(smsOf(stack, id, 'dispatch_needed').map((message) => [message.to, message.recipientRole])).toEqual([
    ['13000003002', 'handler'],
    ['13000004002', 'handler'],
  ]);
  expect(smsOf(stack, id, 'dispatch_needed')[1].text).toContain('联席会议');

  // Only the district center convenes; the departments must exist.
  const meetingAt = toLocalIso(new Date(policyNow().getTime() + 2 * MINUTE));
  expect(
    (
      await act(stack, id, streetCenter, {
        action: 'convene_meeting',
        departments: ['housing-construction', 'urban-management'],
        at: meetingAt,
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await act(stack, id, districtCenter, {
        action: 'convene_meeting',
        departments: ['housing-construction', 'no-such-bureau'],
        at: meetingAt,
      })
    ).status,
  ).toBe(422);
  const convened = await act(stack, id, districtCenter, {
    action: 'convene_meeting',
    departments: ['housing-construction', 'urban-management'],
    at: meetingAt,
    note: '召集住建、城管会商',
  });
  expect(convened.status).toBe(200);
  expect(convened.body).toMatchObject({
    tier: 'joint_meeting',
    stage: 'routed',
    meeting: { at: meetingAt, departments: ['housing-construction', 'urban-management'] },
  });
  expect(convened.body.clock.kind).toBe('meeting');
  expect(convened.body.deadlineAt).toBe(deadlineOf(meetingAt, POLICY.meetingDecisionLimit));
  const invitations = smsOf(stack, id, 'meeting_invitation');
  expect(invitations.map((message) => [message.to, message.recipientRole]).sort()).toEqual([
    ['13000010201', 'department_heads'],
    ['13000010301', 'department_heads'],
  ]);
  expect(invitations[0].text).toContain(meetingAt.slice(0, 16).replace('T', ' '));
  expect(
    (
      await act(stack, id, districtCenter, {
        action: 'convene_meeting',
        departments: ['housing-construction', 'urban-management'],
        at: meetingAt,
      })
    ).status,
  ).toBe(409);

  // The meeting sits (two policy minutes later: 2 s at ×60).
  await eventually(async () => (policyNow().getTime() > Date.parse(meetingAt) ? true : undefined), 'the meeting to sit');

  // 会议决定: lead, helper, deadline, minutes → the lead (the district bureau) handles it by that deadline.
  const decidedBy = toLocalIso(calendar.addWorkingDays(new Date(meetingAt), 3));
  const minutes = '经会商，外墙裂缝由区住建局牵头鉴定处置，区城管局协助查处违章搭建';
  const decided = await act(stack, id, districtCenter, {
    action: 'record_meeting_decision',
    lead: 'housing-construction',
    helpers: ['urban-management'],
    deadlineAt: decidedBy,
    minutes,
  });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({
    tier: 'joint_meeting',
    stage: 'routed',
    assignee: HOUSING_BUREAU,
    deadlineAt: decidedBy,
    meeting: { decision: { lead: 'housing-construction', helpers: ['urban-management'], deadlineAt: decidedBy, minutes } },
  });
  expect(decided.body.clock.kind).toBe('handling');
  expect(smsOf(stack, id, 'case_assigned').at(-1)).toMatchObject({ to: '13000010302', recipientRole: 'handler' });
  expect(smsOf(stack, id, 'meeting_helper').map((message) => [message.to, message.recipientRole])).toEqual([
    ['13000010201', 'department_heads'],
  ]);
  expect(smsOf(stack, id, 'meeting_helper')[0].text).toContain('区住房和城乡建设局');
  expect(
    (
      await act(stack, id, districtCenter, {
        action: 'record_meeting_decision',
        lead: 'urban-management',
        deadlineAt: decidedBy,
        minutes: '再议',
      })
    ).status,
  ).toBe(409);

  // The lead handles it; the district verifies on site; the reporter is told and rates it.
  expect((await act(stack, id, housingBureau, { action: 'acknowledge' })).status).toBe(200);
  const completed = await act(stack, id, housingBureau, {
    action: 'complete',
    note: '已鉴定为C级危房，已设警戒并督促加固',
    photos: ['https://photos.example.cn/wall-fixed.jpg'],
  });
  expect(completed.status).toBe(200);
  expect(completed.body).toMatchObject({ stage: 'verifying', tier: 'joint_meeting', handledOnTime: true });
  expect(completed.body.deadlineAt).toBe(deadlineOf(completed.body.clock.startedAt, POLICY.verificationLimit[2]));
  expect((await act(stack, id, districtCenter, { action: 'verify_pass', note: '现场核查，警戒与加固到位' })).status).toBe(200);
  await eventWhen(stack, id, worker, (event) => Boolean(event.fedBackAt), 'the feedback');
  const feedback = await smsWhen(stack, id, 'feedback_to_reporter');
  expect(feedback.map((message) => [message.to, message.recipientRole])).toEqual([[REPORTER_PHONE, 'reporters']]);
  const code = /评价码(\d{6})/.exec(feedback[0].text)![1];
  expect((await stack.call('POST', `/events/${id}/rating`, { body: { code, score: 5 } })).status).toBe(200);
  const archived = await eventWhen(stack, id, worker, (event) => event.stage === 'archived', 'the archive');
  expect(archived.status).toBe('closed');

  expect(typesOf(archived)).toEqual([
    'registered',
    'routed',
    'returned',
    'assigned',
    'returned',
    'meeting_convened',
    'meeting_decided',
    'acknowledged',
    'completed',
    'verified',
    'fed_back',
    'rated',
    'archived',
  ]);
  expect(archived.timeline.map((entry: any) => [entry.actor.id, entry.tier])).toEqual([
    ['gw-ouyang-lingqiao', 'grid'],
    ['gridflow', 'town'],
    ['ds-housing-construction-441302010', 'town'],
    ['tc-xiaojinkou-duty', 'town'],
    ['ds-urban-management-441302010', 'joint_meeting'],
    ['dc-huicheng-duty', 'joint_meeting'],
    ['dc-huicheng-duty', 'joint_meeting'],
    ['ds-housing-construction-441302', 'joint_meeting'],
    ['ds-housing-construction-441302', 'joint_meeting'],
    ['dc-huicheng-duty', 'joint_meeting'],
    ['gridflow', 'joint_meeting'],
    ['reporter', 'joint_meeting'],
    ['gridflow', 'joint_meeting'],
  ]);
  expect(archived.timeline[2].note).toContain('裂缝系违章搭建引起，不属本办职责');
  expect(archived.timeline[4].note).toContain('房屋结构安全不属城管职责');
  expect(archived.timeline[6].note).toBe(minutes);

  // The monthly bulletin's figures: each return against the team that made it; one joint meeting.
  const [fromDay, toDay] = [routed.createdAt.slice(0, 10), archived.closedAt.slice(0, 10)];
  const housing = await counterTotals(stack, { kind: 'department', code: `${XIAOJINKOU}:housing-construction` }, fromDay, toDay);
  const urban = await counterTotals(stack, { kind: 'department', code: `${XIAOJINKOU}:urban-management` }, fromDay, toDay);
  expect(housing.returned).toBe(1);
  expect(urban.returned).toBe(1);
  expect(housing['returned@02-05']).toBe(1);
  for (const unit of [XIAOJINKOU, HUICHENG]) {
    expect(await counterTotals(stack, { kind: 'unit', code: unit }, fromDay, toDay)).toMatchObject({
      returned: 2,
      jointMeeting: 1,
      handled: 1,
      verifiedPassed: 1,
      closed: 1,
    });
  }
  const bureau = await counterTotals(stack, { kind: 'department', code: `${HUICHENG}:housing-construction` }, fromDay, toDay);
  expect(bureau).toMatchObject({ handled: 1 });
  expect(bureau.returned).toBeUndefined();

  await stack.platform.workflow.engine.result(id);
  const transitions = stack.platform.workflow.engine.transitions(id);
  console.log(`story 3 (buck-passing): ${transitions} state transitions`);
  expect(transitions).toBeLessThanOrEqual(40);
});
