/**
 * Reports over a history made through the real API, on a clock the test drives (the morning's reports and
 * actions at 09:00, then the afternoon passes and the open drains fall overdue): the figures match what the test
 * counts itself from that history; reports read counters and small indexes only (no Scan, and no more
 * calls for more events); scopes and published reports.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { buildReport } from '../../shared/core/reports/build-report';
import { parsePeriod } from '../../shared/domain/periods';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { work as scheduledJob } from '../../functions/scheduled-jobs';
import { runJob } from '../../shared/core/jobs';
import { at, fetchEvent, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

let stack: Stack;
const ids: string[] = [];
const DAY = '2026-11-23';
const clock = new DrivenClock(at(`${DAY} 09:00`));

beforeAll(async () => {
  stack = await startStack({ clock, scheduledJobs: false, policy: { ...DEFAULT_POLICY } });
  const grid = (n: number) => `${JINYUAN}00${n}`;
  const drainSpot = { lat: 23.1315, lng: 114.4152, address: '金英街' };
  // Six blocked drains by grid workers, three of them at the same spot; four are cleared.
  for (let index = 0; index < 6; index++) {
    const worker = stack.token('grid_worker', grid((index % 3) + 1));
    const location =
      index < 3 ? { ...drainSpot, lat: drainSpot.lat + index * 0.0001 } : { lat: 23.2 + index / 100, lng: 114.5, address: `别处${index}` };
    const { body } = await stack.call('POST', '/events', {
      token: worker,
      body: { itemCode: '01-01', gridCode: grid((index % 3) + 1), description: `排水口堵塞${index}`, location },
    });
    ids.push(body.id);
  }
  // Two residents' reports: one accepted, one voided.
  const citizen = [];
  for (const description of ['夜间噪音', '重复反映']) {
    const { body } = await stack.call('POST', '/events', { body: { itemCode: '03-08', gridCode: JINYUAN_GRID_1, description } });
    citizen.push(body.id);
    ids.push(body.id);
  }
  // Two street-level stalls: the street team handles one and returns the other.
  const center = stack.token('town_center', XIAOJINKOU);
  const stalls = [];
  for (const description of ['占道经营A', '占道经营B']) {
    const { body } = await stack.call('POST', '/events', {
      token: center,
      body: { itemCode: '01-04', gridCode: grid(2), severity: 2, description },
    });
    stalls.push(body.id);
    ids.push(body.id);
  }
  // A level-1 rescue on the through train, completed and verified.
  const gridWorker5 = stack.token('grid_worker', grid(5));
  const { body: rescue } = await stack.call('POST', '/events', {
    token: gridWorker5,
    body: { itemCode: '02-03', gridCode: grid(5), severity: 1, description: '积水被困' },
  });
  ids.push(rescue.id);

  // Time stands still: each case's lifecycle has taken its first steps once the clock has settled.
  const district = stack.token('district_center', HUICHENG);
  const expectNow = async (id: string, done: (event: any) => boolean, what: string) => {
    await clock.settled();
    expect([what, done(await fetchEvent(stack, id, district))]).toEqual([what, true]);
  };
  for (const id of ids)
    await expectNow(id, (event) => event.stage !== 'registered' || Boolean(event.deadlineAt), `${id} routed or waiting`);

  for (const [index, id] of ids.slice(0, 4).entries()) {
    const worker = stack.token('grid_worker', grid((index % 3) + 1));
    expect(
      (await stack.call('POST', `/events/${id}/actions`, { token: worker, body: { action: 'complete', note: '已疏通' } })).status,
    ).toBe(200);
  }
  const worker1 = stack.token('grid_worker', JINYUAN_GRID_1);
  await stack.call('POST', `/events/${citizen[0]}/actions`, { token: worker1, body: { action: 'accept_report' } });
  await stack.call('POST', `/events/${citizen[1]}/actions`, { token: worker1, body: { action: 'void_report', note: '重复' } });
  const team = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
  await expectNow(stalls[0], (event) => event.stage === 'routed', 'stall routed');
  await expectNow(stalls[1], (event) => event.stage === 'routed', 'stall routed');
  expect(
    (await stack.call('POST', `/events/${stalls[0]}/actions`, { token: team, body: { action: 'complete', note: '已清理' } })).status,
  ).toBe(200);
  expect(
    (await stack.call('POST', `/events/${stalls[1]}/actions`, { token: team, body: { action: 'return', note: '不属本队' } })).status,
  ).toBe(200);
  await expectNow(rescue.id, (event) => event.tier === 'through_train' && event.stage === 'routed', 'the through train');
  expect(
    (await stack.call('POST', `/events/${rescue.id}/actions`, { token: district, body: { action: 'complete', note: '已转移' } })).status,
  ).toBe(200);
  expect((await stack.call('POST', `/events/${rescue.id}/actions`, { token: district, body: { action: 'verify_pass' } })).status).toBe(200);
  await expectNow(citizen[0], (event) => event.stage === 'routed', 'the accepted report routed');
  // The day passes (its report is read at 18:00): the returned stall misses its 30-minute dispatch limit on the way,
  // and the cases still open get their reminders.
  await clock.advanceTo(at(`${DAY} 18:00`));
}, 120_000);
afterAll(() => stack?.stop());

/** The history, counted by the test from the timelines the API shows. */
async function countedFromTimelines(unitPrefix: string) {
  const district = stack.token('district_center', HUICHENG);
  const counts: Record<string, number> = {};
  const add = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
  for (const id of ids) {
    const { body } = await stack.call('GET', `/events/${id}`, { token: district });
    if (!body.gridCode.startsWith(unitPrefix)) continue;
    for (const entry of body.timeline) {
      if (entry.type === 'registered') add('reported');
      if (entry.type === 'accepted') add('accepted');
      if (entry.type === 'voided') add('voided');
      if (entry.type === 'routed') add('routed');
      if (entry.type === 'completed') {
        add('handled');
        if (entry.data?.onTime) add('handledOnTime');
      }
      if (entry.type === 'returned') add('returned');
      if (entry.type === 'overdue' || entry.data?.missed) add('overdue');
      if (entry.type === 'routed' && entry.data?.tier === 'through_train') add('throughTrain');
    }
  }
  return counts;
}

describe('the figures match the history', () => {
  test.each([JINYUAN, XIAOJINKOU, HUICHENG, JINYUAN_GRID_1])('daily summary of %s', async (unit) => {
    await expectSummaryMatchesHistory(unit);
  });

  test.each([JINYUAN, XIAOJINKOU, HUICHENG, JINYUAN_GRID_1])(
    'daily summary of %s after the nightly fold (the scheduled-jobs function at 00:30, run twice as a retried run is)',
    async (unit) => {
      // The function's own composition (its calls are checked against its grants), its clock at the run.
      const job = {
        ...stack.platform.dependenciesOf('scheduled-jobs'),
        clock: Object.assign(Object.create(stack.platform.deps.clock), { now: () => at('2026-11-24 00:30') }),
      };
      const first = await scheduledJob({ job: 'fold-counters' }, job);
      if (unit === JINYUAN) expect(first.done).toBeGreaterThan(0);
      await scheduledJob({ job: 'fold-counters' }, job);
      await expectSummaryMatchesHistory(unit);
    },
  );

  async function expectSummaryMatchesHistory(unit: string) {
    // The clock stands still: the timelines and the report are read at the same moment.
    const expected = await countedFromTimelines(unit);
    const { status, body } = await stack.call('GET', `/reports/daily?unit=${unit}&period=${DAY}`, {
      token: stack.token('district_center', HUICHENG),
    });
    expect(status).toBe(200);
    // The returned stall (grid 2) is the day's one overdue case: the count is not zero above the grid.
    expect(expected.overdue ?? 0).toBe(unit === JINYUAN_GRID_1 ? 0 : 1);
    for (const name of ['reported', 'accepted', 'voided', 'routed', 'handled', 'handledOnTime', 'returned', 'overdue', 'throughTrain']) {
      expect([name, body.totals[name]]).toEqual([name, expected[name] ?? 0]);
    }
    expect(body.period).toEqual({ kind: 'daily', label: DAY, from: DAY, to: DAY });
    const byItem = Object.fromEntries(body.byItem.map((entry: { code: string; reported: number }) => [entry.code, entry.reported]));
    if (unit !== JINYUAN_GRID_1) expect(byItem['01-01']).toBe(6);
    // Open now: everything not closed (the count is the units’ standing open counters, summed over their shards).
    const district = stack.token('district_center', HUICHENG);
    let open = 0;
    for (const id of ids) {
      const { body: event } = await stack.call('GET', `/events/${id}`, { token: district });
      if (event.gridCode.startsWith(unit) && event.status === 'open') open++;
    }
    expect(body.open).toBe(open);
  }

  test('weekly analysis: hotspots and the change against the previous week', async () => {
    const { body } = await stack.call('GET', `/reports/weekly?unit=${JINYUAN}&period=2026-W48`, {
      token: stack.token('community_station', JINYUAN),
    });
    expect(body.hotspots.topItems[0]).toMatchObject({ code: '01-01', reported: 6 });
    expect(body.hotspots.repeatedPlaces).toEqual([expect.objectContaining({ itemCode: '01-01', reports: 3 })]);
    expect(body.hotspots.topGrids[0].reported).toBeGreaterThanOrEqual(body.hotspots.topGrids.at(-1).reported);
    expect(body.change.previous).toBe('2026-W47');
    expect(body.change.totals.reported).toEqual({ current: body.totals.reported, previous: 0 });
  });

  test('monthly bulletin: the street team ranked with its return, grades and flags', async () => {
    const { body } = await stack.call('GET', `/reports/monthly?unit=${HUICHENG}&period=2026-11`, {
      token: stack.token('leader', HUICHENG),
    });
    const team = body.rankings.departments.find((row: { code: string }) => row.code === '441302010:urban-management');
    expect(team.totals).toMatchObject({ handled: 1, handledOnTime: 1, returned: 1 });
    expect(team.rates.onTimeClosure).toBe(100);
    // Flags follow the figures: a case not signed for in time is 不作为.
    expect(team.flags.includes('不作为 not acknowledged in time')).toBe(team.totals.notAcknowledged > 0);
    expect(team.flags).not.toContain('推诿扯皮 returned twice or more');
    expect(['A', 'B', 'C', 'D', 'E']).toContain(team.grade);
    expect(body.rankings.units.map((row: { code: string }) => row.code)).toContain(XIAOJINKOU);
    expect(body.totals.throughTrain).toBe(1);
  });

  test("grid-worker scorecards in a community's monthly report", async () => {
    const { body } = await stack.call('GET', `/reports/monthly?unit=${JINYUAN}&period=2026-11`, {
      token: stack.token('community_station', JINYUAN),
    });
    const ouyang = body.scorecards.find((card: { person: string }) => card.person === 'gw-ouyang-lingqiao');
    expect(ouyang).toMatchObject({ grid: JINYUAN_GRID_1, validReports: 2, handled: 2, handledOnTime: 2 });
  });
});

describe('reports read counters and small indexes only', () => {
  test('no Scan, and the same calls for more events', async () => {
    // Only the report's own calls are recorded: the workflows keep working on the same client meanwhile.
    const reportCalls = new AsyncLocalStorage<string[]>();
    const record = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      reportCalls.getStore()?.push(String(context.commandName));
      return next(args);
    };
    stack.platform.dynamoDbClient.middlewareStack.add(record as never, { step: 'initialize', name: 'recordCommands' });
    try {
      const scope = { kind: 'unit' as const, code: XIAOJINKOU, name: '小金口街道', level: 'town' as const };
      const build = async () => {
        const calls: string[] = [];
        await reportCalls.run(calls, () => buildReport(stack.platform.deps, 'monthly', scope, parsePeriod('monthly', '2026-11')));
        return calls;
      };
      const before = await build();
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((name) => name === 'QueryCommand')).toBe(true);
      const worker = stack.token('grid_worker', JINYUAN_GRID_1);
      for (let index = 0; index < 15; index++)
        await stack.call('POST', '/events', {
          token: worker,
          body: { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: `垃圾${index}` },
        });
      const after = await build();
      expect(after).toEqual(before);
    } finally {
      stack.platform.dynamoDbClient.middlewareStack.remove('recordCommands');
    }
  });
});

describe('who sees which report', () => {
  test('a community its own units, a department its own figures, the district all', async () => {
    const station = stack.token('community_station', JINYUAN);
    expect((await stack.call('GET', `/reports/daily?unit=${JINYUAN}&period=${DAY}`, { token: station })).status).toBe(200);
    expect((await stack.call('GET', `/reports/daily?unit=${XIAOJINKOU}&period=${DAY}`, { token: station })).status).toBe(403);
    const team = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
    const own = await stack.call('GET', `/reports/monthly?department=urban-management&unit=${XIAOJINKOU}&period=2026-11`, { token: team });
    expect(own.status).toBe(200);
    expect(own.body.scope).toMatchObject({ kind: 'department', code: '441302010:urban-management' });
    expect(own.body.totals).toMatchObject({ handled: 1, returned: 1 });
    expect(
      (await stack.call('GET', `/reports/monthly?department=housing-construction&unit=${XIAOJINKOU}&period=2026-11`, { token: team }))
        .status,
    ).toBe(403);
    expect((await stack.call('GET', `/reports/monthly?unit=${XIAOJINKOU}&period=2026-11`, { token: team })).status).toBe(400);
    const district = stack.token('district_center', HUICHENG);
    expect(
      (await stack.call('GET', `/reports/quarterly?unit=${HUICHENG}&period=2026-Q4`, { token: district })).body.months.map(
        (month: { period: string }) => month.period,
      ),
    ).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(
      (await stack.call('GET', `/reports/weekly?unit=${HUICHENG}&period=2026-11`, { token: district })).body.error.fields[0].field,
    ).toBe('period');
    expect((await stack.call('GET', `/reports/yearly?unit=${HUICHENG}`, { token: district })).status).toBe(400);
    expect((await stack.call('GET', `/reports/daily?unit=${HUICHENG}`)).status).toBe(401);
  });
});

describe('published reports', () => {
  test("the morning job publishes yesterday's summary for every street and community and texts their heads", async () => {
    const published = await runJob(stack.platform.deps, 'daily-reports', at('2026-11-24 07:00'));
    expect(published.done).toBe(
      stack.platform.deps.directory.allUnits().filter((unit) => unit.level === 'town' || unit.level === 'community').length,
    );
    await stack.platform.smsDelivered();
    const ready = stack.platform.outbox.all().filter((message) => message.template === 'report_ready');
    expect(ready.map((message) => message.to)).toEqual(expect.arrayContaining(['13000002001', '13000003001']));
    expect(ready.find((message) => message.to === '13000002001')?.text).toContain('金源社区');
    // Its link opens the report's page in the command center (served here, beside the API), not the API's token-guarded route.
    expect(ready.find((message) => message.to === '13000002001')?.text).toContain(`查阅：${stack.url}/#/reports/daily/${JINYUAN}/${DAY}`);
    const stored = await stack.platform.deps.reports.get('daily', JINYUAN, DAY);
    expect(stored?.totals.reported).toBeGreaterThan(0);
    const served = await stack.call('GET', `/reports/daily?unit=${JINYUAN}&period=${DAY}`, {
      token: stack.token('community_station', JINYUAN),
    });
    expect(served.body.generatedAt).toBe(stored?.generatedAt);
  });

  test('a retried run of the job (EventBridge Scheduler delivers at least once) texts no head twice', async () => {
    const ready = () => stack.platform.outbox.all().filter((message) => message.template === 'report_ready');
    // The scheduled-jobs function's own work, its clock at the moment of the run.
    const runAt = (local: string) => ({
      ...stack.platform.deps,
      clock: Object.assign(Object.create(stack.platform.deps.clock), { now: () => at(local) }),
    });
    const sent = ready().length;
    expect(sent).toBeGreaterThan(0);
    // The same run again a few minutes later, as the Scheduler's retry or a second delivery makes it.
    const again = await scheduledJob({ job: 'daily-reports' }, runAt('2026-11-24 07:04'));
    expect(again.done).toBe(
      stack.platform.deps.directory.allUnits().filter((unit) => unit.level === 'town' || unit.level === 'community').length,
    );
    await stack.platform.smsDelivered();
    expect(ready()).toHaveLength(sent);
    // The claims are items of the table (DynamoDB Local): one per head and report.
    expect(
      await stack.platform.deps.guards.claimOnce(
        `report-ready#daily#${DAY}#${JINYUAN}#${stack.platform.deps.directory.unitHead(JINYUAN)?.id}`,
        at('2026-11-30 00:00'),
      ),
    ).toBe(false);
    // The next day's reports are announced as usual.
    await scheduledJob({ job: 'daily-reports' }, runAt('2026-11-25 07:00'));
    await stack.platform.smsDelivered();
    expect(ready().length).toBe(2 * sent);
  });
});
