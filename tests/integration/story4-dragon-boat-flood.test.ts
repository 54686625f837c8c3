/**
 * Story 4, the dragon-boat flood (龙舟水): on a night of heavy rain, Jinluo Road (金罗路) is under 1.6 m of
 * water with 16 people not yet out. Grid worker 古欢欢 reports it at level 1: it boards the through train at
 * once, the district center, the community secretary 蓝彬, the grid's party-member worker 古欢欢 and the
 * leader are alerted; the district center reports all 16 safe within the 2-hour clock, verification (1 hour)
 * passes and the reporters are told. Meanwhile 300 reports of waterlogging arrive from the nine grids of
 * Jinyuan community within the hour: every one is registered and routed, none lost; reports of the same
 * spot are offered as likely duplicates and one is linked; the district center sees the night on one list,
 * most urgent first.
 *
 * Through HTTP on the local stack, time ×10 from Monday 22:00 in the flood season: the night's hour of
 * reports is six minutes of wall-clock time, the level-1 case's 2 hours are twelve. The 300 reports took
 * 28–100 s in 40 full suites on 2 cores (at ×30 the hour was two minutes, and a loaded machine made the flood
 * last longer than the night's hour, the test over its time limit and the level-1 case late).
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
  JINYUAN,
  smsOf,
  startStack,
  typesOf,
  XIAOJINKOU,
  type Stack,
} from '../support/local-stack';
import { sampleCalendar } from '../../dev-server/seed-reference';

const POLICY = DEFAULT_POLICY;
const SCALE = 10;
const calendar = sampleCalendar();
const deadlineOf = (startedAt: string, limit: Parameters<BusinessCalendar['add']>[1]) =>
  toLocalIso(calendar.add(new Date(startedAt), limit));

const GU_GRID = '441302010001005';
const JINLUO = { lat: 23.145, lng: 114.43, address: '金罗路' };
const THROUGH_TRAIN = { type: 'unit', id: HUICHENG, name: '惠城区直通车（区领导）', unit: HUICHENG };
const REPORTER_PHONE = '13000008801';
const FLOOD = 300;
const CONCURRENCY = 16;

let stack: Stack;
let gu: string;
let districtCenter: string;
beforeAll(async () => {
  stack = await startStack({ timeScale: SCALE, clockStart: at('2026-06-15 22:00'), policy: POLICY });
  gu = stack.token('grid_worker', GU_GRID);
  districtCenter = stack.token('district_center', HUICHENG);
});
afterAll(() => stack?.stop());

/** Runs `task` over `items`, at most `limit` at a time; results in the order of `items`. */
async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index], index);
      }
    }),
  );
  return results;
}

let level1: any;

test('level 1 on Jinluo Road boards the through train at once: everyone who must act is alerted; a 2-hour clock', async () => {
  const created = await stack.call('POST', '/events', {
    token: gu,
    body: {
      itemCode: '02-03',
      gridCode: GU_GRID,
      severity: 1,
      description: '金罗路积水深约1.6米，16名群众被困未撤离',
      location: JINLUO,
      photos: ['https://photos.example.cn/jinluo-flood.jpg'],
      reporter: { name: '金罗路居民', phone: REPORTER_PHONE },
    },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ severity: 1, stage: 'routed', tier: 'through_train', source: 'grid_worker' });
  level1 = await eventWhen(stack, created.body.id, districtCenter, (event) => event.stage === 'routed', 'routed');
  expect(level1).toMatchObject({ tier: 'through_train', stage: 'routed', status: 'open', assignee: THROUGH_TRAIN, overdue: false });
  expect(level1.clock.kind).toBe('handling');
  expect(level1.deadlineAt).toBe(deadlineOf(level1.routedAt, POLICY.handlingLimit.through_train[1]));
  expect(Date.parse(level1.deadlineAt) - Date.parse(level1.routedAt)).toBe(2 * 3600_000);
  expect(level1.timeline.map((entry: any) => [entry.type, entry.actor.id, entry.tier])).toEqual([
    ['registered', 'gw-gu-huanhuan', 'grid'],
    ['routed', 'gridflow', 'through_train'],
  ]);

  const alerts = smsOf(stack, level1.id, 'level1_alert');
  expect(alerts.map((message) => [message.to, message.recipientRole])).toEqual([
    ['13000004001', 'district_center'],
    ['13000004002', 'district_center'],
    ['13000002001', 'community_head'], // 蓝彬
    ['13000001005', 'grid_workers'], // 古欢欢
    ['13000005001', 'leadership'],
  ]);
  expect(alerts[0].text).toContain('金罗路');

  // The district center signs for it at once (签收: 10 minutes for level 1).
  const signed = await act(stack, level1.id, districtCenter, { action: 'acknowledge', note: '已调度消防救援大队，古欢欢随队' });
  expect(signed.status).toBe(200);
  expect(signed.body).toMatchObject({ stage: 'handling', tier: 'through_train', deadlineAt: level1.deadlineAt });
  expect(alerts[0].text).toContain('直通车');
  const day = level1.createdAt.slice(0, 10);
  expect(await counterTotals(stack, { kind: 'unit', code: HUICHENG }, day, day)).toMatchObject({ reported: 1, routed: 1, throughTrain: 1 });
});

interface Sent {
  id: string;
  status: number;
  body: any;
  spot: 'jinluo' | 'elsewhere';
  severity: number;
}
let flood: Sent[];
let duplicates: Sent[];
let floodStartedAt: number;
let floodEndedAt: number;

test(`the flood: ${FLOOD} reports from the nine grids within the hour, every one registered and routed, none lost`, async () => {
  // 297 spots at least 150 m apart (a 0.0015° lattice), and three more reports of the Jinluo Road spot.
  const reports = Array.from({ length: FLOOD }, (_, index) => {
    const jinluo = index === 40 || index === 150 || index === 260;
    const gridCode = jinluo ? GU_GRID : `44130201000100${(index % 9) + 1}`;
    const severity = !jinluo && index % 7 === 0 ? 3 : 2;
    const location = jinluo
      ? { lat: JINLUO.lat + (index % 3) * 0.0002, lng: JINLUO.lng + 0.0001, address: '金罗路' }
      : { lat: 23.1 + Math.floor(index / 15) * 0.0015, lng: 114.4 + (index % 15) * 0.0015, address: `金源社区积水点${index + 1}` };
    return {
      spot: (jinluo ? 'jinluo' : 'elsewhere') as Sent['spot'],
      severity,
      token: stack.token('grid_worker', gridCode),
      body: {
        itemCode: '02-03',
        gridCode,
        ...(severity === 3 ? { severity } : {}),
        description: jinluo ? '金罗路积水很深，有人被困' : '路面积水没过脚踝',
        location,
        reporter: { name: '居民', phone: `1380000${String(index).padStart(4, '0')}` },
      },
    };
  });
  floodStartedAt = stack.platform.deps.clock.now().getTime();
  const wallStart = Date.now();
  flood = await pool(reports, CONCURRENCY, async ({ token, body, spot, severity }) => {
    const reply = await stack.call('POST', '/events', { token, body });
    return { id: reply.body?.id, status: reply.status, body: reply.body, spot, severity };
  });
  floodEndedAt = stack.platform.deps.clock.now().getTime();
  console.log(
    `story 4: ${FLOOD} reports in ${((Date.now() - wallStart) / 1000).toFixed(1)} s wall-clock, ${Math.round((floodEndedAt - floodStartedAt) / 60_000)} policy minutes`,
  );
  expect(flood.map((sent) => sent.status)).toEqual(flood.map(() => 201));
  expect(new Set(flood.map((sent) => sent.id)).size).toBe(FLOOD);
  expect(floodEndedAt - floodStartedAt).toBeLessThan(3600_000);
  duplicates = flood.filter((sent) => sent.spot === 'jinluo');

  // None lost: each is routed (or beyond) with a 'routed' entry on its timeline.
  const seen = await pool(flood, CONCURRENCY, (sent) =>
    eventWhen(
      stack,
      sent.id,
      districtCenter,
      (event) => event.stage !== 'registered' && typesOf(event).includes('routed'),
      'routed',
      60_000,
    ),
  );
  const tiers = seen.map((event, index) => [event.tier, flood[index].severity]);
  expect(tiers.filter(([tier, severity]) => !((tier === 'town' && severity === 2) || (tier === 'community' && severity === 3)))).toEqual(
    [],
  );
  const towns = seen.filter((event) => event.tier === 'town');
  expect(
    towns.every(
      (event) => event.assignee.type === 'department' && event.assignee.id === 'water-affairs' && event.assignee.unit === XIAOJINKOU,
    ),
  ).toBe(true);
  expect(seen.filter((event) => event.tier === 'community').every((event) => event.assignee.id === JINYUAN)).toBe(true);
  const [fromDay, toDay] = [level1.createdAt.slice(0, 10), toLocalIso(new Date(floodEndedAt)).slice(0, 10)];
  expect(await counterTotals(stack, { kind: 'unit', code: JINYUAN }, fromDay, toDay)).toMatchObject({
    reported: FLOOD + 1,
    routed: FLOOD + 1,
    'reported@02-03': FLOOD + 1,
  });
}, 300_000);

test('reports of the same spot (same item, within 100 m and 6 h) are offered as likely duplicates; others are not', async () => {
  expect(duplicates).toHaveLength(3);
  for (const sent of duplicates) {
    expect({ id: sent.id, possibleDuplicates: sent.body.possibleDuplicates }).toEqual({
      id: sent.id,
      possibleDuplicates: expect.arrayContaining([level1.id]),
    });
    const stored = await fetchEvent(stack, sent.id, gu);
    expect(stored.possibleDuplicates).toEqual(expect.arrayContaining([level1.id]));
    expect(stored.timeline[0].data.likelyDuplicates).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: level1.id, distanceMeters: expect.any(Number) })]),
    );
    for (const candidate of stored.timeline[0].data.likelyDuplicates)
      expect(candidate.distanceMeters).toBeLessThanOrEqual(POLICY.duplicateRadiusMeters);
  }
  const elsewhere = flood.filter((sent) => sent.spot === 'elsewhere' && sent.body.possibleDuplicates?.length);
  expect(elsewhere.map((sent) => [sent.id, sent.body.possibleDuplicates])).toEqual([]);
});

test("a grid worker links one as a duplicate: it closes, and the original's reporters grow", async () => {
  const [duplicate] = duplicates;
  // Not a different matter, not itself.
  expect((await act(stack, duplicate.id, gu, { action: 'link_duplicate', duplicateOf: duplicate.id })).status).toBe(422);
  const linked = await act(stack, duplicate.id, gu, { action: 'link_duplicate', duplicateOf: level1.id, note: '同一地点重复反映' });
  expect(linked.status).toBe(200);
  expect(linked.body).toMatchObject({ status: 'closed', stage: 'voided', duplicateOf: level1.id });

  const closed = await fetchEvent(stack, duplicate.id, gu);
  // Nobody signed for it in the night's rush: a second notice may have gone out (30 minutes for level 2).
  expect(typesOf(closed).filter((type) => type !== 'not_acknowledged')).toEqual(['registered', 'routed', 'linked_as_duplicate']);
  expect(closed.timeline.at(-1)).toMatchObject({
    actor: { id: 'gw-gu-huanhuan', role: 'grid_worker' },
    stage: 'voided',
    data: { duplicateOf: level1.id },
  });

  const original = await fetchEvent(stack, level1.id, districtCenter);
  expect(original).toMatchObject({ status: 'open', stage: 'handling', tier: 'through_train', linkedReports: [duplicate.id] });
  expect(original.linkedReporters).toHaveLength(1);
  expect(typesOf(original).at(-1)).toBe('duplicate_linked');
  expect(original.timeline.at(-1)).toMatchObject({ actor: { id: 'gw-gu-huanhuan' }, data: { report: duplicate.id } });
  const day = level1.createdAt.slice(0, 10);
  expect(
    (await counterTotals(stack, { kind: 'unit', code: JINYUAN }, day, toLocalIso(stack.platform.deps.clock.now()).slice(0, 10))).duplicates,
  ).toBe(1);
  // Its workflow is done.
  await stack.platform.workflow.engine.result(duplicate.id);
});

test("the linked reporters' phone numbers are masked like the reporter's for those who may not call them", async () => {
  const original = await fetchEvent(stack, level1.id, gu);
  expect(original.reporter.phone).toBe('130****8801');
  const linkedPhone = duplicates[0].body.reporter.phone as string;
  expect(original.linkedReporters.map((reporter: any) => reporter.phone)).toEqual([
    `${linkedPhone.slice(0, 3)}****${linkedPhone.slice(-4)}`,
  ]);
});

test('the district center sees the whole night on one list, and most urgent first', async () => {
  const all = async (query: string) => {
    const items: any[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { status, body } = await stack.call(
        'GET',
        `/events?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: districtCenter },
      );
      expect({ status, error: body.error }).toEqual({ status: 200, error: undefined });
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  };
  const open = new Set([level1.id, ...flood.map((sent) => sent.id)]);
  open.delete(duplicates[0].id);

  const night = await all(`unit=${HUICHENG}&status=open`);
  expect(night.length).toBe(open.size);
  expect(new Set(night.map((event) => event.id))).toEqual(open);

  const urgent = await all(`unit=${HUICHENG}&status=open&sort=urgency`);
  expect(urgent.map((event) => event.id).sort()).toEqual([...open].sort());
  expect(urgent[0].id).toBe(level1.id);
  const outOfOrder = urgent.slice(1).filter((event, index) => {
    const before = urgent[index];
    return (
      event.severity < before.severity ||
      (event.severity === before.severity && Date.parse(event.deadlineAt) < Date.parse(before.deadlineAt))
    );
  });
  expect(outOfOrder.map((event) => [event.id, event.severity, event.deadlineAt])).toEqual([]);
  expect(urgent.findIndex((event) => event.severity === 3)).toBe(urgent.filter((event) => event.severity <= 2).length);
});

test('the district center reports all 16 safe within the 2 hours; verified within the hour; the feedback reaches both reporters', async () => {
  const done = await act(stack, level1.id, districtCenter, {
    action: 'complete',
    note: '16名被困群众已全部安全转移',
    photos: ['https://photos.example.cn/jinluo-rescued.jpg'],
  });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ stage: 'verifying', tier: 'through_train', handledOnTime: true, overdue: false });
  expect(done.body.clock.kind).toBe('verification');
  expect(done.body.deadlineAt).toBe(deadlineOf(done.body.clock.startedAt, POLICY.verificationLimit[1]));
  expect(Date.parse(done.body.deadlineAt) - Date.parse(done.body.clock.startedAt)).toBe(3600_000);

  expect((await act(stack, level1.id, districtCenter, { action: 'verify_pass', note: '现场核查，积水已退，人员安全' })).status).toBe(200);
  const feedback = await eventually(async () => {
    const sent = smsOf(stack, level1.id, 'feedback_to_reporter');
    return sent.length >= 2 ? sent : undefined;
  }, 'the feedback to both reporters');
  expect(feedback.map((message) => [message.to, message.recipientRole]).sort()).toEqual(
    [
      [REPORTER_PHONE, 'reporters'],
      [duplicates[0].body.reporter.phone, 'reporters'],
    ].sort(),
  );
  expect(feedback[0].text).toContain('16名被困群众已全部安全转移');
  const code = /评价码(\d{6})/.exec(feedback[0].text)![1];
  expect((await stack.call('POST', `/events/${level1.id}/rating`, { body: { code, score: 5, note: '感谢消防和网格员' } })).status).toBe(
    200,
  );
  const archived = await eventWhen(stack, level1.id, districtCenter, (event) => event.stage === 'archived', 'the archive');
  expect(archived.status).toBe('closed');
  // Reminders of the 2-hour clock may come in between (at 50% and 75%) on a slow machine: everything else is fixed.
  expect(typesOf(archived).filter((type) => type !== 'reminded')).toEqual([
    'registered',
    'routed',
    'acknowledged',
    'duplicate_linked',
    'completed',
    'verified',
    'fed_back',
    'rated',
    'archived',
  ]);
  expect(archived.timeline.find((entry: any) => entry.type === 'completed')).toMatchObject({
    actor: { id: 'dc-huicheng-duty', role: 'district_center' },
    note: '16名被困群众已全部安全转移',
  });
  expect(archived.overdue).toBe(false);

  await stack.platform.workflow.engine.result(level1.id);
  const transitions = stack.platform.workflow.engine.transitions(level1.id);
  console.log(`story 4 (level-1 through train, with a linked duplicate): ${transitions} state transitions`);
  expect(transitions).toBeLessThanOrEqual(40);
});
