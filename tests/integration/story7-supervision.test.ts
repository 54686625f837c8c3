/**
 * Story 7, supervision: a landslide risk behind Xiaojinkou Middle School (02-04, level 2) is beyond the
 * street, which reports it up (上报); the district center sends it to the natural-resources bureau. While
 * it is open a people's-congress deputy invites the bureau to act (约请: SMS to the bureau's head), nudges
 * the case (催办: SMS to the handler's head), and once it is closed records an evaluation (一事一评议);
 * all of it on the timeline. A supervisor may not handle the case; a grid worker may not nudge.
 *
 * Through HTTP on the local stack, time ×60 (every step is an action; no clock runs out meanwhile).
 */
import { type BusinessCalendar, toLocalIso } from '../../shared/domain/calendar';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import {
  act,
  at,
  counterTotals,
  eventWhen,
  fetchEvent,
  HUICHENG,
  smsOf,
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

const GRID = '441302010001007';
const STREET_CENTER = { type: 'unit', id: XIAOJINKOU, name: '小金口街道网格中心', unit: XIAOJINKOU };
const DISTRICT_CENTER = { type: 'unit', id: HUICHENG, name: '惠城区网格中心', unit: HUICHENG };
const NR_BUREAU = { type: 'department', id: 'natural-resources', name: '自然资源局惠城分局', unit: HUICHENG };
const NR_HEAD_PHONE = '13000010401';
const DEPUTY = { id: 'sv-huicheng-deputy', name: '惠城区人大代表', role: 'supervisor' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 60, clockStart: at('2026-11-23 09:00'), policy: POLICY });
});
afterAll(() => stack?.stop());

test('a deputy invites the natural-resources bureau to act, nudges the case and evaluates it; refusals for those who may not', async () => {
  const worker = stack.token('grid_worker', GRID);
  const streetCenter = stack.token('town_center', XIAOJINKOU);
  const districtCenter = stack.token('district_center', HUICHENG);
  const bureau = stack.token('department', HUICHENG, { department: 'natural-resources' });
  const deputy = stack.token('supervisor', HUICHENG);

  const created = await stack.call('POST', '/events', {
    token: worker,
    body: {
      itemCode: '02-04',
      gridCode: GRID,
      severity: 2,
      description: '小金口中学后山坡出现裂缝，雨后有落石，坡下为学生宿舍',
      location: { lat: 23.1351, lng: 114.4188, address: '园丁街小金口中学后山' },
      photos: ['https://photos.example.cn/slope-crack.jpg'],
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;

  // The street has no natural-resources team: the street center holds it, on 8 working hours.
  const routed = await eventWhen(stack, id, worker, (event) => event.stage === 'routed', 'routed');
  expect(routed).toMatchObject({ tier: 'town', assignee: STREET_CENTER });
  expect(routed.deadlineAt).toBe(deadlineOf(routed.routedAt, POLICY.handlingLimit.town[2]));

  // 上报: beyond the street → the district center dispatches it to the bureau.
  const up = await act(stack, id, streetCenter, { action: 'escalate', note: '地质灾害隐患需区自然资源部门鉴定处置' });
  expect(up.status).toBe(200);
  expect(up.body).toMatchObject({ tier: 'district', stage: 'routed', assignee: DISTRICT_CENTER, complex: true });
  expect(up.body.clock.kind).toBe('dispatch');
  const assigned = await act(stack, id, districtCenter, { action: 'assign', department: 'natural-resources' });
  expect(assigned.status).toBe(200);
  expect(assigned.body).toMatchObject({ tier: 'district', stage: 'routed', assignee: NR_BUREAU });
  expect(assigned.body.deadlineAt).toBe(deadlineOf(assigned.body.clock.startedAt, POLICY.handlingLimit.district[2]));
  expect(smsOf(stack, id, 'case_assigned').at(-1)).toMatchObject({ to: '13000010402', recipientRole: 'handler' });
  expect((await act(stack, id, bureau, { action: 'acknowledge' })).status).toBe(200);
  const handling = await fetchEvent(stack, id, deputy);
  expect(handling).toMatchObject({ stage: 'handling', assignee: NR_BUREAU });

  // Refusals: a supervisor does not handle cases; a grid worker does not nudge.
  const supervisorCompletes = await act(stack, id, deputy, { action: 'complete', note: '代为办结' });
  expect(supervisorCompletes.status).toBe(403);
  expect(supervisorCompletes.body.error.message).toContain('supervisor may not complete');
  const workerNudges = await act(stack, id, worker, { action: 'nudge', note: '请加快' });
  expect(workerNudges.status).toBe(403);
  expect(workerNudges.body.error.message).toContain('grid_worker may not nudge');
  expect((await act(stack, id, deputy, { action: 'invite_department', department: 'no-such-bureau', note: '约请' })).status).toBe(422);
  expect((await act(stack, id, deputy, { action: 'invite_department', department: 'natural-resources' })).status).toBe(400);

  // 约请: the bureau's head is invited to act.
  const invited = await act(stack, id, deputy, {
    action: 'invite_department',
    department: 'natural-resources',
    note: '请尽快组织专家现场排查并公示避险方案',
  });
  expect(invited.status).toBe(200);
  expect(invited.body).toMatchObject({ stage: 'handling', tier: 'district', assignee: NR_BUREAU, deadlineAt: assigned.body.deadlineAt });
  const invitations = smsOf(stack, id, 'invitation_to_act');
  expect(invitations.map((message) => [message.to, message.recipientRole])).toEqual([[NR_HEAD_PHONE, 'department_heads']]);
  expect(invitations[0].text).toContain('约请');
  expect(invitations[0].text).toContain('惠城区人大代表');

  // 催办: the handler's head is nudged.
  const nudged = await act(stack, id, deputy, { action: 'nudge', note: '群众反映强烈，请加快办理' });
  expect(nudged.status).toBe(200);
  expect(nudged.body).toMatchObject({ stage: 'handling', assignee: NR_BUREAU, deadlineAt: assigned.body.deadlineAt });
  const nudges = smsOf(stack, id, 'case_nudged');
  expect(nudges.map((message) => [message.to, message.recipientRole])).toEqual([[NR_HEAD_PHONE, 'head']]);
  expect(nudges[0].text).toContain('催办');
  expect(nudges[0].text).toContain('惠城区人大代表');
  expect(nudges[0].text).toContain('自然资源局惠城分局');

  // The bureau acts; the district verifies; with no phone to call back, the case is archived.
  expect((await act(stack, id, bureau, { action: 'complete', note: '已组织专家排查，设置警示并转移坡下宿舍学生' })).status).toBe(200);
  expect((await act(stack, id, districtCenter, { action: 'verify_pass', note: '现场核查到位' })).status).toBe(200);
  await eventWhen(stack, id, deputy, (event) => event.stage === 'archived', 'the archive');

  // 一事一评议: the deputy's evaluation is kept on the closed case.
  expect((await act(stack, id, deputy, { action: 'evaluate', score: 6, note: '超出评分范围' })).status).toBe(400);
  const evaluated = await act(stack, id, deputy, { action: 'evaluate', score: 4, note: '约请后及时排查，处置到位，公示稍慢' });
  expect(evaluated.status).toBe(200);
  expect(evaluated.body).toMatchObject({ stage: 'archived', status: 'closed' });

  const final = await fetchEvent(stack, id, deputy);
  expect(typesOf(final)).toEqual([
    'registered',
    'routed',
    'escalated',
    'assigned',
    'acknowledged',
    'department_invited',
    'nudged',
    'completed',
    'verified',
    'fed_back',
    'archived',
    'evaluated',
  ]);
  const entry = (type: string) => final.timeline.find((candidate: any) => candidate.type === type);
  expect(entry('department_invited')).toMatchObject({
    actor: DEPUTY,
    stage: 'handling',
    note: '请尽快组织专家现场排查并公示避险方案',
    data: { department: 'natural-resources' },
  });
  expect(entry('nudged')).toMatchObject({ actor: DEPUTY, stage: 'handling', note: '群众反映强烈，请加快办理' });
  expect(entry('evaluated')).toMatchObject({
    actor: DEPUTY,
    stage: 'archived',
    note: '约请后及时排查，处置到位，公示稍慢',
    data: { score: 4 },
  });
  expect(entry('fed_back').note).toContain('No phone on file');

  const [fromDay, toDay] = [routed.createdAt.slice(0, 10), final.closedAt.slice(0, 10)];
  expect(await counterTotals(stack, { kind: 'unit', code: HUICHENG }, fromDay, toDay)).toMatchObject({
    nudged: 2,
    escalated: 1,
    handled: 1,
    closed: 1,
  });
  expect(await counterTotals(stack, { kind: 'department', code: `${HUICHENG}:natural-resources` }, fromDay, toDay)).toMatchObject({
    nudged: 2,
    handled: 1,
  });
});
