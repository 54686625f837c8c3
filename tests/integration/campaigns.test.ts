/**
 * Story 5, a campaign (闭环排查): the Xiaojinkou street center pushes a task to every grid worker of Jinyuan
 * community; each gets an SMS and answers; the center sees who has and has not answered; the late ones
 * are reminded (from a day before the deadline, at most once a day). An answer after the deadline is
 * accepted and marked late. Refusals for those who may not send, answer or see.
 *
 * Through HTTP on the local stack; the clock runs at ×1 from Tuesday 2026-11-24 09:00, and the reminder job
 * is run by the test with the moment it is about.
 */
import { toLocalIso } from '../../shared/domain/calendar';
import { runJob as runJobNow } from '../../shared/core/jobs';
import { at, HUICHENG, JINYUAN, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const grid = (n: number) => `${JINYUAN}00${n}`;
/** Runs a job, then waits until the SMS sender has been handed the SMS it stored (the tests read the outbox). */
async function runJob(...args: Parameters<typeof runJobNow>) {
  const result = await runJobNow(...args);
  await stack.platform.smsDelivered();
  return result;
}
const workerPhone = (n: number) => `1300000100${n}`;
const workerId = (n: number) => (n === 1 ? 'gw-ouyang-lingqiao' : n === 5 ? 'gw-gu-huanhuan' : `gw-${grid(n)}`);
const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const DEADLINE = '2026-11-26T17:00:00+08:00';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 1, clockStart: at('2026-11-24 09:00'), scheduledJobs: false });
});
afterAll(() => stack?.stop());

const worker = (n: number) => stack.token('grid_worker', grid(n));
const streetCenter = () => stack.token('town_center', XIAOJINKOU);
const station = () => stack.token('community_station', JINYUAN);
const sms = (template: string, campaignId?: string) =>
  stack.platform.outbox
    .all()
    .filter((message) => message.template === template && (!campaignId || message.params.campaignId === campaignId));
const persons = (entries: { person: string }[]) => entries.map((entry) => entry.person).sort();
const fieldsOf = (body: any) => body.error.fields.map((problem: { field: string }) => problem.field);

let householdCheck: string; // the street's campaign to all of Jinyuan, due 2026-11-26 17:00
let stationCheck: string; // the station's campaign to grids 1–3, due 2026-11-27 12:00

test('the street center sends a campaign to every grid worker of Jinyuan; each gets an SMS', async () => {
  const { status, body } = await stack.call('POST', '/campaigns', {
    token: streetCenter(),
    body: {
      title: '独居老人入户走访排查',
      instructions: '逐户走访名单上的独居老人，核实居住、身体和用电用气安全情况，拍照回复。',
      deadlineAt: DEADLINE,
      units: [JINYUAN],
    },
  });
  expect(status).toBe(201);
  householdCheck = body.id;
  expect(householdCheck).toMatch(/^C20261124-[0-9A-Z]{6}$/);
  expect(body).toMatchObject({
    title: '独居老人入户走访排查',
    deadlineAt: DEADLINE,
    units: [JINYUAN],
    creatorUnits: [XIAOJINKOU],
    createdBy: { role: 'town_center' },
    targets: 9,
    responded: [],
  });
  expect(persons(body.notResponded)).toEqual(ALL.map(workerId).sort());

  const tasks = sms('campaign_task', householdCheck);
  expect(tasks.map((message) => message.to).sort()).toEqual(ALL.map(workerPhone));
  expect(tasks[0]).toMatchObject({
    recipientRole: 'grid_worker',
    text: `【网格通】小金口街道下发排查任务${householdCheck}：独居老人入户走访排查，请于11月26日17:00前完成并回复。`,
  });

  const second = await stack.call('POST', '/campaigns', {
    token: station(),
    body: {
      title: '消防通道堵塞排查',
      instructions: '检查楼道和消防通道',
      deadlineAt: '2026-11-27T12:00:00+08:00',
      units: [grid(1), grid(2), grid(3)],
    },
  });
  expect(second.status).toBe(201);
  stationCheck = second.body.id;
  expect(second.body.targets).toBe(3);
  expect(
    sms('campaign_task', stationCheck)
      .map((message) => message.to)
      .sort(),
  ).toEqual([1, 2, 3].map(workerPhone));
});

test('refusals when sending: role, scope, bad input', async () => {
  const body = { title: '排查', instructions: '排查', deadlineAt: DEADLINE, units: [JINYUAN] };
  const send = (token: string, overrides: Record<string, unknown>) =>
    stack.call('POST', '/campaigns', { token, body: { ...body, ...overrides } });
  const before = stack.platform.outbox.all().length;
  expect((await send(worker(1), {})).status).toBe(403);
  expect((await send(stack.token('district_center', HUICHENG), {})).status).toBe(403);
  expect((await send(stack.token('community_station', '441302001001'), {})).status).toBe(403);
  expect((await send(station(), { units: [XIAOJINKOU] })).status).toBe(403);
  const past = await send(streetCenter(), { deadlineAt: '2026-11-23T17:00:00+08:00' });
  expect(past.status).toBe(422);
  expect(fieldsOf(past.body)).toEqual(['deadlineAt']);
  const unknown = await send(streetCenter(), { units: [JINYUAN, '441302010999'] });
  expect(unknown.status).toBe(422);
  expect(fieldsOf(unknown.body)).toEqual(['units.1']);
  // A street without grids on the roster: nobody to send to.
  const empty = await send(stack.token('town_center', '441302001'), { units: ['441302001'] });
  expect(empty.status).toBe(422);
  expect(fieldsOf(empty.body)).toEqual(['units']);
  const noTitle = await send(streetCenter(), { title: '' });
  expect(noTitle.status).toBe(400);
  expect(fieldsOf(noTitle.body)).toEqual(['title']);
  expect(fieldsOf((await send(streetCenter(), { units: [] })).body)).toEqual(['units']);
  expect(fieldsOf((await send(streetCenter(), { deadlineAt: 'tomorrow' })).body)).toEqual(['deadlineAt']);
  expect(fieldsOf((await send(streetCenter(), { units: ['4413'] })).body)).toEqual(['units.0']);
  expect(stack.platform.outbox.all()).toHaveLength(before);
});

test('workers answer; a second answer replaces the first and is counted; refusals for others', async () => {
  const answer = (n: number, body: unknown, id = householdCheck) =>
    stack.call('POST', `/campaigns/${id}/responses`, { token: worker(n), body });
  for (const n of [1, 2, 3]) {
    const reply = await answer(n, { note: `第${n}网格已走访完毕`, photos: [`https://photos.example.cn/visit-${n}.jpg`] });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      campaignId: householdCheck,
      person: workerId(n),
      grid: grid(n),
      done: true,
      late: false,
      responses: 1,
    });
  }
  const firstAt = (await stack.call('GET', `/campaigns/${householdCheck}`, { token: worker(1) })).body.responded[0].firstAt;
  const again = await answer(1, { note: '补充：3户已复查', done: true });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ note: '补充：3户已复查', photos: [], responses: 2, firstAt, late: false });

  expect((await answer(5, { note: '不在名单' }, stationCheck)).status).toBe(403);
  expect((await stack.call('POST', `/campaigns/${householdCheck}/responses`, { token: station(), body: { note: '代答' } })).status).toBe(
    403,
  );
  expect((await answer(1, { note: '?' }, 'C20261124-ZZZZZZ')).status).toBe(404);
  expect((await answer(1, { note: '?' }, 'not-an-id')).status).toBe(404);
  const noNote = await answer(4, {});
  expect(noNote.status).toBe(400);
  expect(fieldsOf(noNote.body)).toEqual(['note']);
  expect(fieldsOf((await answer(4, { note: 'x', photos: Array(10).fill('https://photos.example.cn/a.jpg') })).body)).toEqual(['photos']);
});

test('GET /campaigns/{id} shows who has and has not answered, to those who may see it', async () => {
  const view = async (token: string) => stack.call('GET', `/campaigns/${householdCheck}`, { token });
  const center = await view(streetCenter());
  expect(center.status).toBe(200);
  expect(persons(center.body.responded)).toEqual([1, 2, 3].map(workerId).sort());
  expect(persons(center.body.notResponded)).toEqual([4, 5, 6, 7, 8, 9].map(workerId).sort());
  expect(center.body.responded.find((entry: any) => entry.person === workerId(1))).toMatchObject({
    name: '欧阳玲巧',
    grid: grid(1),
    gridName: '金源社区第1网格',
    late: false,
    responses: 2,
    note: '补充：3户已复查',
  });
  expect(center.body.notResponded[0]).toEqual({
    person: workerId(4),
    name: '金源社区第4网格网格员',
    grid: grid(4),
    gridName: '金源社区第4网格',
  });
  expect(JSON.stringify(center.body)).not.toContain('1300000');
  // The district center above the street and the station of the community named see it too.
  expect((await view(stack.token('district_center', HUICHENG))).body.notResponded).toHaveLength(6);
  expect((await view(station())).body.responded).toHaveLength(3);
  // A targeted worker sees their own entry only.
  const own = await view(worker(1));
  expect(own.status).toBe(200);
  expect(persons(own.body.responded)).toEqual([workerId(1)]);
  expect(own.body.notResponded).toEqual([]);
  expect(persons((await view(worker(4))).body.notResponded)).toEqual([workerId(4)]);
  // Not theirs: 404.
  expect((await stack.call('GET', `/campaigns/${stationCheck}`, { token: worker(5) })).status).toBe(404);
  expect((await view(stack.token('town_center', '441302001'))).status).toBe(404);
  expect((await view(stack.token('department', XIAOJINKOU, { department: 'civil-affairs' }))).status).toBe(404);
  expect((await stack.call('GET', '/campaigns/C20261124-ZZZZZZ', { token: streetCenter() })).status).toBe(404);
});

test('GET /campaigns lists the campaigns of a unit, with how many have answered', async () => {
  const list = async (token: string, unit?: string) => stack.call('GET', `/campaigns${unit ? `?unit=${unit}` : ''}`, { token });
  const community = await list(station());
  expect(community.status).toBe(200);
  expect(community.body.items.map((item: any) => [item.id, item.targets, item.responded])).toEqual([
    [stationCheck, 3, 0],
    [householdCheck, 9, 3],
  ]);
  expect((await list(worker(5))).body.items.map((item: any) => item.id)).toEqual([householdCheck]);
  expect((await list(stack.token('district_center', HUICHENG), HUICHENG)).body.items).toHaveLength(2);
  expect((await list(stack.token('town_center', '441302001'))).body.items).toEqual([]);
  expect((await list(worker(5), JINYUAN)).status).toBe(403);
  expect((await list(station(), XIAOJINKOU)).status).toBe(403);
});

test('an answer after the deadline is accepted and marked late', async () => {
  const now = stack.platform.deps.clock.now();
  const created = await stack.call('POST', '/campaigns', {
    token: station(),
    body: { title: '台风前排查', instructions: '检查广告牌', deadlineAt: toLocalIso(new Date(now.getTime() + 1500)), units: [grid(4)] },
  });
  expect(created.status).toBe(201);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const late = await stack.call('POST', `/campaigns/${created.body.id}/responses`, {
    token: worker(4),
    body: { note: '已检查，广告牌已加固' },
  });
  expect(late.status).toBe(201);
  expect(late.body).toMatchObject({ late: true, done: true });
  const view = await stack.call('GET', `/campaigns/${created.body.id}`, { token: station() });
  expect(view.body.responded).toEqual([expect.objectContaining({ person: workerId(4), late: true })]);
});

test('the reminder job reminds only those who have not answered, from a day before the deadline, once a day', async () => {
  const deps = stack.platform.deps;
  const reminders = (campaignId: string) =>
    sms('campaign_reminder', campaignId)
      .map((message) => message.to)
      .sort();

  // Two days before the deadline: too early.
  expect(await runJob(deps, 'campaign-reminders', at('2026-11-25 09:00'))).toEqual({ job: 'campaign-reminders', done: 0 });
  // Within a day of it: the six who have not answered; the station's campaign (due the 27th, 12:00) not yet.
  expect(await runJob(deps, 'campaign-reminders', at('2026-11-26 09:00'))).toEqual({ job: 'campaign-reminders', done: 6 });
  expect(reminders(householdCheck)).toEqual([4, 5, 6, 7, 8, 9].map(workerPhone));
  expect(sms('campaign_reminder', householdCheck).find((message) => message.to === workerPhone(5))).toMatchObject({
    recipientRole: 'grid_worker',
    text: `【网格通】提醒：排查任务${householdCheck}（独居老人入户走访排查）11月26日17:00截止，您尚未回复，请尽快完成并回复。`,
  });
  // The afternoon run: nobody twice on one day; the station's campaign is now due within a day.
  expect(await runJob(deps, 'campaign-reminders', at('2026-11-26 15:00'))).toEqual({ job: 'campaign-reminders', done: 3 });
  expect(reminders(householdCheck)).toHaveLength(6);
  expect(reminders(stationCheck)).toEqual([1, 2, 3].map(workerPhone));

  // Worker 4 answers; the next morning the overdue campaign reminds the five others, the station's its three again.
  expect((await stack.call('POST', `/campaigns/${householdCheck}/responses`, { token: worker(4), body: { note: '已走访' } })).status).toBe(
    201,
  );
  expect(await runJob(deps, 'campaign-reminders', at('2026-11-27 09:00'))).toEqual({ job: 'campaign-reminders', done: 8 });
  expect(reminders(householdCheck)).toEqual([4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9].map(workerPhone));
  expect(reminders(stationCheck)).toEqual([1, 1, 2, 2, 3, 3].map(workerPhone));

  // A week after the deadline reminders stop.
  expect(await runJob(deps, 'campaign-reminders', at('2026-12-05 09:00'))).toEqual({ job: 'campaign-reminders', done: 0 });
});

test('answers arriving at once are each counted once; once everyone has answered nobody is reminded', async () => {
  const answers = await Promise.all(
    [5, 5, 6, 7, 8, 9].map((n) =>
      stack.call('POST', `/campaigns/${householdCheck}/responses`, { token: worker(n), body: { note: `第${n}网格已走访` } }),
    ),
  );
  expect(answers.map((reply) => reply.status).sort()).toEqual([200, 201, 201, 201, 201, 201]);
  const view = await stack.call('GET', `/campaigns/${householdCheck}`, { token: streetCenter() });
  expect(view.body.responded).toHaveLength(9);
  expect(view.body.notResponded).toEqual([]);
  expect(view.body.responded.find((entry: any) => entry.person === workerId(5)).responses).toBe(2);
  const listed = await stack.call('GET', `/campaigns?unit=${JINYUAN}`, { token: station() });
  expect(listed.body.items.find((item: any) => item.id === householdCheck)).toMatchObject({ targets: 9, responded: 9 });
  const before = sms('campaign_reminder', householdCheck).length;
  await runJob(stack.platform.deps, 'campaign-reminders', at('2026-11-28 09:00'));
  expect(sms('campaign_reminder', householdCheck)).toHaveLength(before);
});

test('lists, views and the reminder job read with GetItem or Query only (no Scan)', async () => {
  const commands: string[] = [];
  const record = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    commands.push(String(context.commandName));
    return next(args);
  };
  stack.platform.dynamoDbClient.middlewareStack.add(record as never, { step: 'initialize', name: 'recordCampaignCommands' });
  try {
    expect((await stack.call('GET', `/campaigns?unit=${JINYUAN}`, { token: station() })).status).toBe(200);
    expect((await stack.call('GET', `/campaigns/${householdCheck}`, { token: streetCenter() })).status).toBe(200);
    await runJob(stack.platform.deps, 'campaign-reminders', at('2026-11-27 15:00'));
    expect(commands.length).toBeGreaterThan(2);
    expect(commands.filter((name) => !['QueryCommand', 'GetItemCommand', 'PutItemCommand'].includes(name))).toEqual([]);
  } finally {
    stack.platform.dynamoDbClient.middlewareStack.remove('recordCampaignCommands');
  }
});
