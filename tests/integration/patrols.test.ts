/**
 * Story 6, patrols (三查): every grid is patrolled daily (每日一巡查), every community checked weekly (每周一排查),
 * every town inspected monthly (每月一检查). Patrols count `patrols` for the unit, every unit above it and the
 * person; a grid's first daily patrol of the day counts it once in `patrolledGrids`, however many patrols
 * follow (also when they arrive at once). A finding becomes a case in the same call. After the working day
 * the patrol check reminds the worker of every grid with no patrol, and the day's summary shows the gap.
 *
 * Through HTTP on the local stack; the clock runs at ×1 from Tuesday 2026-11-24 09:00, and the jobs are run
 * by the test with the moment they are about.
 */
import { runJob } from '../../shared/core/jobs';
import { at, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const DAY = '2026-11-24';
const grid = (n: number) => `${JINYUAN}00${n}`;
const GRID_2 = grid(2);
const GRID_3 = grid(3);
const OUYANG = 'gw-ouyang-lingqiao';
const workerPhone = (n: number) => `1300000100${n}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 1, clockStart: at(`${DAY} 09:00`), scheduledJobs: false });
});
afterAll(() => stack?.stop());

const post = (token: string, body: unknown) => stack.call('POST', '/patrols', { token, body });
const unitCounters = async (code: string, kind: 'unit' | 'person' = 'unit') =>
  (await stack.platform.deps.counters.read({ kind, code }, DAY, DAY))[0]?.counts ?? {};
const ROUTE = [
  { lat: 23.1315, lng: 114.4152, at: '2026-11-24T08:40:00+08:00' },
  { lat: 23.1321, lng: 114.4161, at: '2026-11-24T08:55:00+08:00' },
];

test('a daily patrol counts; the second patrol of the grid that day counts as a patrol but not as a second patrolled grid', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const first = await post(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', points: ROUTE, note: '金英街一带巡查，未见异常' });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({
    kind: 'daily',
    unitCode: JINYUAN_GRID_1,
    unitName: '金源社区第1网格',
    day: DAY,
    firstOfDay: true,
    by: { id: OUYANG, role: 'grid_worker' },
    points: ROUTE,
    reportedEvents: [],
  });
  expect(first.body.id).toMatch(/^P20261124-[0-9A-Z]{6}$/);
  const second = await post(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', at: '2026-11-24T09:00:00+08:00' });
  expect(second.status).toBe(201);
  expect(second.body.firstOfDay).toBe(false);

  for (const code of [JINYUAN_GRID_1, JINYUAN, XIAOJINKOU, HUICHENG]) {
    expect(await unitCounters(code)).toMatchObject({ patrols: 2, 'patrols@daily': 2, patrolledGrids: 1 });
  }
  // The grid worker's scorecard reads `patrols` from the person's counters.
  expect(await unitCounters(OUYANG, 'person')).toMatchObject({ patrols: 2 });
});

test('ten concurrent patrols of one grid count ten patrols and one patrolled grid', async () => {
  const worker = stack.token('grid_worker', GRID_2);
  const replies = await Promise.all(
    Array.from({ length: 10 }, (_, index) => post(worker, { gridCode: GRID_2, kind: 'daily', note: `第${index + 1}次` })),
  );
  expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(201));
  expect(replies.filter((reply) => reply.body.firstOfDay === true)).toHaveLength(1);
  expect(await unitCounters(GRID_2)).toMatchObject({ patrols: 10, patrolledGrids: 1 });
  for (const code of [JINYUAN, XIAOJINKOU, HUICHENG]) expect(await unitCounters(code)).toMatchObject({ patrols: 12, patrolledGrids: 2 });
  expect(await unitCounters('gw-441302010001002', 'person')).toMatchObject({ patrols: 10 });
});

test('a finding with report: true becomes a case with source patrol in the same call', async () => {
  const worker = stack.token('grid_worker', GRID_3);
  const { status, body } = await post(worker, {
    gridCode: GRID_3,
    kind: 'daily',
    points: [{ lat: 23.1332, lng: 114.417 }],
    findings: [
      {
        itemCode: '01-01',
        description: '园丁街排水口堵塞',
        severity: 4,
        location: { lat: 23.1332, lng: 114.417, address: '园丁街' },
        photos: ['https://photos.example.cn/drain.jpg'],
        report: true,
      },
      { itemCode: '03-08', description: '夜间有施工噪音，已劝导', report: false },
    ],
  });
  expect(status).toBe(201);
  expect(body.reportedEvents).toHaveLength(1);
  const [eventId] = body.reportedEvents;
  expect(body.findings[0]).toMatchObject({ itemCode: '01-01', gridCode: GRID_3, report: true, eventId });
  expect(body.findings[1]).toMatchObject({ itemCode: '03-08', report: false });
  expect(body.findings[1].eventId).toBeUndefined();

  const event = await stack.call('GET', `/events/${eventId}`, { token: worker });
  expect(event.status).toBe(200);
  expect(event.body).toMatchObject({
    source: 'patrol',
    gridCode: GRID_3,
    itemCode: '01-01',
    description: '园丁街排水口堵塞',
    reportedBy: { id: 'gw-441302010001003', role: 'grid_worker' },
  });
  expect(event.body.timeline[0].type).toBe('registered');
  expect(await unitCounters(GRID_3)).toMatchObject({ patrols: 1, patrolledGrids: 1, reported: 1 });
});

test('a community station logs its weekly check and a town center its monthly inspection; they count for their unit and above', async () => {
  const station = stack.token('community_station', JINYUAN);
  const weekly = await post(station, { unitCode: JINYUAN, kind: 'weekly', note: '每周一排查：消防通道、危旧房屋' });
  expect(weekly.status).toBe(201);
  expect(weekly.body).toMatchObject({ kind: 'weekly', unitCode: JINYUAN, unitName: '金源社区' });
  expect(weekly.body.firstOfDay).toBeUndefined();
  const town = stack.token('town_center', XIAOJINKOU);
  const monthly = await post(town, {
    unitCode: XIAOJINKOU,
    kind: 'monthly',
    findings: [{ itemCode: '01-01', description: '金源社区第2网格排水口堵塞', gridCode: GRID_2, report: true }],
  });
  expect(monthly.status).toBe(201);
  expect(monthly.body.reportedEvents).toHaveLength(1);

  expect(await unitCounters(JINYUAN)).toMatchObject({ patrols: 14, 'patrols@weekly': 1, patrolledGrids: 3 });
  expect(await unitCounters(XIAOJINKOU)).toMatchObject({ patrols: 15, 'patrols@weekly': 1, 'patrols@monthly': 1, patrolledGrids: 3 });
  expect(await unitCounters(HUICHENG)).toMatchObject({ patrols: 15, patrolledGrids: 3 });
  // A weekly or monthly check is not a grid's daily patrol.
  expect(await unitCounters(GRID_2)).toMatchObject({ patrols: 10, patrolledGrids: 1 });
});

test('refusals: the wrong role for the kind, out of scope, bad input; nothing is stored or counted', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const station = stack.token('community_station', JINYUAN);
  const before = await unitCounters(JINYUAN);
  const events = await stack.platform.deps.cases.list({ unitPrefix: JINYUAN, limit: 100 });

  const refused = async (token: string, body: unknown, status: number, field?: string) => {
    const reply = await post(token, body);
    expect({ status: reply.status, sent: body, reply: reply.body }).toMatchObject({ status });
    if (field) expect(reply.body.error.fields.map((problem: { field: string }) => problem.field)).toContain(field);
    return reply;
  };
  expect((await refused(worker, { unitCode: JINYUAN, kind: 'weekly' }, 403)).body.error.message).toContain(
    'grid_worker may not log a weekly patrol',
  );
  await refused(station, { gridCode: JINYUAN_GRID_1, kind: 'daily' }, 403);
  await refused(stack.token('town_center', XIAOJINKOU), { unitCode: JINYUAN, kind: 'weekly' }, 403);
  await refused(
    stack.token('department', XIAOJINKOU, { department: 'urban-management' }),
    { gridCode: JINYUAN_GRID_1, kind: 'daily' },
    403,
  );
  // Another worker's grid.
  await refused(worker, { gridCode: GRID_2, kind: 'daily' }, 403);
  // Another town's community, for a station of Jinyuan.
  await refused(stack.token('community_station', '441302001001'), { unitCode: JINYUAN, kind: 'weekly' }, 403);

  await refused(worker, { gridCode: '441302010001099', kind: 'daily' }, 422, 'gridCode');
  await refused(station, { unitCode: JINYUAN_GRID_1, kind: 'weekly' }, 422, 'unitCode');
  await refused(worker, { gridCode: JINYUAN_GRID_1, unitCode: JINYUAN, kind: 'daily' }, 400, 'gridCode');
  await refused(worker, { kind: 'daily' }, 400, 'gridCode');
  await refused(worker, { gridCode: JINYUAN_GRID_1, kind: 'hourly' }, 400, 'kind');
  await refused(worker, { gridCode: '4413', kind: 'daily' }, 400, 'gridCode');
  await refused(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', points: Array(201).fill({ lat: 23.13, lng: 114.41 }) }, 400, 'points');
  await refused(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', points: [{ lat: 123, lng: 114.41 }] }, 400, 'points.0.lat');
  await refused(
    worker,
    { gridCode: JINYUAN_GRID_1, kind: 'daily', findings: Array(21).fill({ itemCode: '01-01', description: 'x', report: false }) },
    400,
    'findings',
  );
  await refused(
    worker,
    { gridCode: JINYUAN_GRID_1, kind: 'daily', findings: [{ itemCode: '01-01', description: 'x' }] },
    400,
    'findings.0.report',
  );
  await refused(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', speed: 3 }, 400, 'speed');
  await refused(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', at: '2026-11-25T09:00:00+08:00' }, 422, 'at');
  await refused(worker, { gridCode: JINYUAN_GRID_1, kind: 'daily', at: '2026-11-01T09:00:00+08:00' }, 422, 'at');
  // A bad finding refuses the whole patrol, the good finding before it included: no case, no patrol.
  await refused(
    worker,
    {
      gridCode: JINYUAN_GRID_1,
      kind: 'daily',
      findings: [
        { itemCode: '01-01', description: '排水口堵塞', report: true },
        { itemCode: '99-99', description: '?', report: true },
      ],
    },
    422,
    'findings.1.itemCode',
  );
  await refused(
    station,
    { unitCode: JINYUAN, kind: 'weekly', findings: [{ itemCode: '01-01', description: '排水口堵塞', report: true }] },
    422,
    'findings.0.gridCode',
  );
  await refused(
    station,
    { unitCode: JINYUAN, kind: 'weekly', findings: [{ itemCode: '01-01', description: 'x', gridCode: '441302001001001', report: true }] },
    422,
    'findings.0.gridCode',
  );
  expect((await stack.call('POST', '/patrols', { body: { gridCode: JINYUAN_GRID_1, kind: 'daily' } })).status).toBe(401);

  expect(await unitCounters(JINYUAN)).toEqual(before);
  expect((await stack.platform.deps.cases.list({ unitPrefix: JINYUAN, limit: 100 })).items).toHaveLength(events.items.length);
});

test("GET /patrols lists a unit's patrols of a day (in scope only) with its grids' coverage", async () => {
  const station = stack.token('community_station', JINYUAN);
  const { status, body } = await stack.call('GET', `/patrols?unit=${JINYUAN}&day=${DAY}`, { token: station });
  expect(status).toBe(200);
  expect(body.patrols).toHaveLength(14);
  expect(body.patrols.filter((patrol: { unitCode: string }) => patrol.unitCode === GRID_2)).toHaveLength(10);
  expect(body.coverage).toEqual({
    grids: 9,
    patrolled: 3,
    missing: [4, 5, 6, 7, 8, 9].map((n) => ({ code: grid(n), name: `金源社区第${n}网格` })),
  });
  // Pages: by unit, then time.
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await stack.call('GET', `/patrols?unit=${JINYUAN}&day=${DAY}&limit=5${cursor ? `&cursor=${cursor}` : ''}`, {
      token: station,
    });
    expect(page.status).toBe(200);
    expect(page.body.patrols.length).toBeLessThanOrEqual(5);
    seen.push(...page.body.patrols.map((patrol: { id: string }) => patrol.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(new Set(seen)).toEqual(new Set(body.patrols.map((patrol: { id: string }) => patrol.id)));
  expect(seen).toHaveLength(14);
  const firstPage = await stack.call('GET', `/patrols?unit=${JINYUAN}&day=${DAY}&limit=5`, { token: station });
  expect(
    (await stack.call('GET', `/patrols?unit=${JINYUAN_GRID_1}&day=${DAY}&cursor=${firstPage.body.nextCursor}`, { token: station })).status,
  ).toBe(400);
  expect((await stack.call('GET', `/patrols?unit=${JINYUAN}&cursor=garbage`, { token: station })).status).toBe(400);
  // A grid worker sees their grid; the default unit is the token's only unit, the default day today.
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const own = await stack.call('GET', '/patrols', { token: worker });
  expect(own.status).toBe(200);
  expect(own.body).toMatchObject({ unit: JINYUAN_GRID_1, day: DAY, coverage: { grids: 1, patrolled: 1, missing: [] } });
  expect(own.body.patrols).toHaveLength(2);
  expect((await stack.call('GET', `/patrols?unit=${JINYUAN}`, { token: worker })).status).toBe(403);
  expect(
    (
      await stack.call('GET', `/patrols?unit=${JINYUAN}`, {
        token: stack.token('department', XIAOJINKOU, { department: 'urban-management' }),
      })
    ).status,
  ).toBe(403);
  const badDay = await stack.call('GET', `/patrols?unit=${JINYUAN}&day=2026-11-31`, { token: station });
  expect(badDay.status).toBe(400);
  expect(badDay.body.error.fields[0].field).toBe('day');
  const otherDay = await stack.call('GET', `/patrols?unit=${HUICHENG}&day=2026-11-23`, { token: stack.token('district_center', HUICHENG) });
  expect(otherDay.body).toMatchObject({ patrols: [], coverage: { grids: 9, patrolled: 0 } });
});

test('the patrol check reminds exactly the workers of the grids with no patrol that day, once', async () => {
  const deps = stack.platform.deps;
  const sent = () => stack.platform.outbox.all().filter((message) => message.template === 'patrol_missing');
  expect(await runJob(deps, 'patrol-check', at(`${DAY} 17:45`))).toEqual({ job: 'patrol-check', done: 6 });
  // The job stores the reminders; the SMS sender sends them.
  await stack.platform.smsDelivered();
  expect(
    sent()
      .map((message) => message.to)
      .sort(),
  ).toEqual([4, 5, 6, 7, 8, 9].map(workerPhone));
  expect(sent().find((message) => message.to === workerPhone(5))).toMatchObject({
    recipientRole: 'grid_worker',
    text: '【网格通】提醒：金源社区第5网格今日（11月24日）尚未登记巡查，请及时巡查并登记。',
    parts: 1,
  });
  // At-least-once schedulers may run it twice: nobody is reminded twice for a day.
  expect(await runJob(deps, 'patrol-check', at(`${DAY} 17:46`))).toEqual({ job: 'patrol-check', done: 0 });
  await stack.platform.smsDelivered();
  expect(sent()).toHaveLength(6);
  // A day without any patrol (a Sunday too: patrols are daily): every grid's worker.
  expect(await runJob(deps, 'patrol-check', at('2026-11-29 17:45'))).toEqual({ job: 'patrol-check', done: 9 });
  await stack.platform.smsDelivered();
});

test("the day's summary shows the patrol gap", async () => {
  const { status, body } = await stack.call('GET', `/reports/daily?unit=${JINYUAN}&period=${DAY}`, {
    token: stack.token('community_station', JINYUAN),
  });
  expect(status).toBe(200);
  expect(body.patrol).toEqual({ gridDays: 9, patrolledGridDays: 3 });
  expect(body.totals).toMatchObject({ patrols: 14, patrolledGrids: 3 });
});

test('the patrol list and the patrol check read with Query only (no Scan): one Query of the markers per district', async () => {
  // Nothing left for the SMS sender (whose table client is recorded too) from the tests before.
  await stack.platform.smsDelivered();
  const commands: string[] = [];
  const record = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    commands.push(String(context.commandName));
    return next(args);
  };
  // Every function's table client: the route's (patrols-list) and the job's.
  for (const client of stack.platform.dynamoDbClients)
    client.middlewareStack.add(record as never, { step: 'initialize', name: 'recordPatrolCommands' });
  try {
    expect(
      (await stack.call('GET', `/patrols?unit=${HUICHENG}&day=${DAY}`, { token: stack.token('district_center', HUICHENG) })).status,
    ).toBe(200);
    expect(commands).toEqual(['QueryCommand', 'QueryCommand']);
    commands.length = 0;
    // Every grid patrolled or already reminded that day: the check reads the markers, claims nothing new.
    await runJob(stack.platform.deps, 'patrol-check', at(`${DAY} 17:50`));
    expect(commands.filter((name) => name !== 'PutItemCommand')).toEqual(['QueryCommand']);
  } finally {
    for (const client of stack.platform.dynamoDbClients) client.middlewareStack.remove('recordPatrolCommands');
  }
});

test('a patrol sent again with the same Idempotency-Key is stored and counted once, its finding reported once; another body is a 409', async () => {
  const GRID_4 = grid(4);
  const worker = stack.token('grid_worker', GRID_4);
  const body = {
    gridCode: GRID_4,
    kind: 'daily',
    note: '信号不好，重发',
    findings: [{ itemCode: '01-01', description: '排水口堵塞', report: true }],
  };
  const send = (sent: unknown) =>
    stack.call('POST', '/patrols', { token: worker, body: sent, headers: { 'idempotency-key': 'patrol-4-morning' } });

  const first = await send(body);
  const again = await send(body);
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body).toEqual(first.body);
  expect(first.body.reportedEvents).toHaveLength(1);
  expect(await unitCounters(GRID_4)).toMatchObject({ patrols: 1, patrolledGrids: 1, reported: 1 });
  const listed = await stack.call('GET', `/patrols?unit=${GRID_4}&day=${DAY}`, { token: worker });
  expect(listed.body.patrols.map((patrol: { id: string }) => patrol.id)).toEqual([first.body.id]);

  const other = await send({ ...body, note: '另一次巡查' });
  expect(other.status).toBe(409);
  expect(other.body.error.fields).toEqual([{ field: 'Idempotency-Key', message: 'reused with another body' }]);
  expect(await unitCounters(GRID_4)).toMatchObject({ patrols: 1 });
});
