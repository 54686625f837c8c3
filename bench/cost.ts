/**
 * Cost per case: stories 1–4 played over HTTP on the local stack with a sped-up clock, each on its own
 * platform, metering what AWS bills for the case — state transitions of its executions (from the
 * engine), Lambda invocations (workflow-step Tasks entered + HTTP handler calls), DynamoDB request units
 * (capacity.ts), HTTP API requests and SMS parts (the outbox) — and pricing them with prices.json.
 *
 * What is counted for a case: everything its reports, actions, rating and lifecycle cause. Not counted:
 * the benchmark's own polling (it reads the store through a separate, unmetered client and the outbox
 * in memory), and the platform's idle background (the reminder-digest poll finding nothing due, the
 * sweeper) — in the cloud those run on a schedule whatever the number of cases.
 */
import { localClient } from '../dev-server/dynamodb-local';
import { parseLocal, toLocalIso } from '../shared/domain/calendar';
import { DEFAULT_POLICY, type Policy } from '../shared/domain/policy';
import { CapacityMeter, difference, type CapacityTotals } from './capacity';
import {
  call,
  mean,
  round,
  significant,
  sleep,
  startBenchPlatform,
  waitFor,
  type BenchContext,
  type BenchPart,
  type BenchPlatform,
  type Prices,
  type Row,
} from './lib';
import { sampleCalendar } from '../dev-server/seed-reference';

const GRID_1 = '441302010001001';
const GRID_5 = '441302010001005';
const XIAOJINKOU = '441302010';
const HUICHENG = '441302';
const calendar = sampleCalendar();

interface Story {
  key: 'story1' | 'story1Realistic' | 'story2' | 'story3' | 'story4';
  title: string;
  timeScale: number;
  clockStart: string;
  policy: Policy;
  /** Plays the story; returns the case's id. */
  play(driver: Driver): Promise<string>;
  target?: { transitions?: number; usdWithoutSms?: number };
}

export interface StoryCost {
  title: string;
  eventId: string;
  timeScale: number;
  wallSeconds: number;
  transitions: number;
  executions: number;
  lambdaInvocations: { workflowStep: number; httpHandlers: number; smsSender: number; total: number };
  apiCalls: number;
  dynamoDb: CapacityTotals;
  sms: { messages: number; parts: number };
  durationsMs: { httpHandlerMean: number; workflowStepMean: number };
  gbSeconds: number;
  usdBreakdown: Record<
    'stepFunctions' | 'lambdaRequests' | 'lambdaCompute' | 'dynamoDbWrites' | 'dynamoDbReads' | 'httpApi' | 'sms',
    number
  >;
  usdWithoutSms: number;
  /** With SMS at prices.json's smsPerPartUsd. */
  usd: number;
  targets: { transitionsAtMost?: number; usdWithoutSmsAtMost?: number };
}

export interface CostResult {
  assumptions: string[];
  story1: StoryCost;
  /** Story 1 as it happens in a district: signed for, the 50% and 75% reminders passing (sent by the sweeper), no rating. */
  story1Realistic: StoryCost;
  story2: StoryCost;
  story3: StoryCost;
  story4: StoryCost;
  /** One GET /events/{id} with its timeline (what opening a case costs), measured after story 1. */
  oneCaseView: { apiCalls: number; readUnits: number; usd: number };
}

/** Drives one story over HTTP and keeps what it called. */
class Driver {
  readonly httpCalls: { method: string; path: string; ms: number }[] = [];

  constructor(readonly bench: BenchPlatform) {}

  token = (...args: Parameters<BenchPlatform['token']>) => this.bench.token(...args);

  /** A call the story makes (a user's report, action or rating): counted as an API request and a Lambda invocation. */
  async http(method: string, path: string, token?: string, body?: unknown) {
    const reply = await call(this.bench.platform.url, method, path, { token, body });
    this.httpCalls.push({ method, path, ms: reply.ms });
    return reply;
  }

  async report(token: string, body: Record<string, unknown>): Promise<string> {
    const reply = await this.http('POST', '/events', token, body);
    if (reply.status !== 201) throw new Error(`report refused (${reply.status}): ${JSON.stringify(reply.body)}`);
    return reply.body.id as string;
  }

  async act(token: string, id: string, body: { action: string } & Record<string, unknown>) {
    const reply = await this.http('POST', `/events/${id}/actions`, token, body);
    if (reply.status !== 200) throw new Error(`${body.action} refused (${reply.status}): ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Waits (reading through the unmetered probe) until the stored case passes `test`. */
  until(id: string, test: (event: any) => boolean, what: string, timeoutMs = 60_000) {
    return waitFor(
      async () => {
        const stored = await this.bench.probe.cases.get(id);
        return stored && test(stored.case) ? stored.case : undefined;
      },
      `${id}: ${what}`,
      timeoutMs,
      25,
    );
  }

  /** The reporter answers the feedback SMS's code (read from the outbox in memory). */
  async rate(id: string, score: number) {
    const code = await waitFor(
      () => {
        const sms = this.sms(id)
          .filter((message) => message.template === 'feedback_to_reporter')
          .at(-1);
        return sms ? /评价码(\d{6})/.exec(sms.text)?.[1] : undefined;
      },
      `${id}: the feedback SMS`,
      60_000,
      10,
    );
    const reply = await this.http('POST', `/events/${id}/rating`, undefined, { code, score });
    if (reply.status !== 200) throw new Error(`rating refused (${reply.status}): ${JSON.stringify(reply.body)}`);
  }

  sms(id: string) {
    return this.bench.platform.outbox.all().filter((message) => message.eventId === id || message.eventIds?.includes(id));
  }

  policyNow() {
    return this.bench.platform.deps.clock.now();
  }
}

const STORY_2_POLICY: Policy = {
  // As tests/integration/story2-overdue-up-the-ladder.test.ts: two level-2 clocks of 30 calendar minutes
  // would be 0.2 s of wall-clock time at ×9000, shorter than a round of HTTP calls on a busy machine.
  ...DEFAULT_POLICY,
  dispatchLimit: { ...DEFAULT_POLICY.dispatchLimit, 2: { workingHours: 4 } },
  acknowledgeLimit: { ...DEFAULT_POLICY.acknowledgeLimit, 2: { workingHours: 2 } },
};

/** Story 1's report and its handling, played the demo way and the realistic way. */
const DRAIN_REPORT = {
  itemCode: '01-01',
  gridCode: GRID_1,
  description: '金英街排水口堵塞，雨水排不出去',
  severity: 4,
  location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
  photos: ['https://photos.example.cn/drain-before.jpg'],
  reporter: { name: '金英街居民', phone: '13000009999' },
};
const DRAIN_CLEARED = { action: 'complete', note: '已清理排水口，排水畅通', photos: ['https://photos.example.cn/drain-after.jpg'] };

const STORIES: Story[] = [
  {
    key: 'story1',
    title: 'story 1: the blocked drain (grid worker handles it; SMS back; rating; archive)',
    timeScale: 60,
    clockStart: '2026-11-23 09:00',
    policy: DEFAULT_POLICY,
    target: { transitions: 12, usdWithoutSms: 0.0004 },
    async play(d) {
      const worker = d.token('grid_worker', GRID_1);
      const id = await d.report(worker, DRAIN_REPORT);
      await d.until(id, (event) => event.stage === 'routed', 'routed');
      await d.act(worker, id, DRAIN_CLEARED);
      await d.rate(id, 5);
      await d.until(id, (event) => event.stage === 'archived', 'archived');
      return id;
    },
  },
  {
    key: 'story1Realistic',
    title: 'story 1 as it happens: the drain signed for, the 50% and 75% reminders passing, handled; nobody rates; archived',
    timeScale: 3600,
    clockStart: '2026-11-23 09:00',
    policy: DEFAULT_POLICY,
    target: { transitions: 12, usdWithoutSms: 0.0003 },
    async play(d) {
      const worker = d.token('grid_worker', GRID_1);
      const id = await d.report(worker, DRAIN_REPORT);
      await d.until(id, (event) => event.stage === 'routed', 'routed');
      await d.act(worker, id, { action: 'acknowledge', note: '已签收' });
      // The reminders at 50% and 75% of the working day pass (the sweeper sends them; the execution sleeps).
      await d.until(id, (event) => event.clock?.reminders === 2, 'both reminders', 120_000);
      await d.act(worker, id, DRAIN_CLEARED);
      // Nobody rates: the rating window (a working day) closes and the case is archived.
      await d.until(id, (event) => event.stage === 'archived', 'archived', 180_000);
      return id;
    },
  },
  {
    key: 'story2',
    title: 'story 2: overdue up the ladder (street team misses 8 working hours → district → bureau; rework; verified)',
    timeScale: 9000,
    clockStart: '2026-11-23 09:00',
    policy: STORY_2_POLICY,
    target: { transitions: 40 },
    async play(d) {
      const center = d.token('town_center', XIAOJINKOU);
      const district = d.token('district_center', HUICHENG);
      const bureau = d.token('department', HUICHENG, { department: 'urban-management' });
      const id = await d.report(center, {
        itemCode: '01-04',
        gridCode: GRID_1,
        severity: 2,
        description: '金英街路口流动摊贩占道经营，堵住一条车道',
        location: { lat: 23.1318, lng: 114.4149, address: '金英街路口' },
        reporter: { name: '过路司机', phone: '13000009902' },
      });
      await d.until(id, (event) => event.tier === 'district', 'the escalation to the district', 120_000);
      await d.act(district, id, { action: 'assign', department: 'urban-management', note: '交区城管执法局处理' });
      await d.act(bureau, id, { action: 'acknowledge' });
      await d.act(bureau, id, { action: 'complete', note: '已清理占道摊点', photos: ['https://photos.example.cn/stall-after-1.jpg'] });
      await d.act(district, id, { action: 'verify_fail', note: '现场复核仍有摊贩占道' });
      await d.act(bureau, id, { action: 'complete', note: '已取缔占道摊点并设置隔离' });
      await d.act(district, id, { action: 'verify_pass', note: '现场核查通过' });
      await d.rate(id, 4);
      await d.until(id, (event) => event.stage === 'archived', 'archived');
      return id;
    },
  },
  {
    key: 'story3',
    title: 'story 3: buck-passing (two returns → joint meeting → lead bureau; verified)',
    timeScale: 60,
    clockStart: '2026-11-23 09:00',
    policy: DEFAULT_POLICY,
    async play(d) {
      const worker = d.token('grid_worker', GRID_1);
      const center = d.token('town_center', XIAOJINKOU);
      const housingTeam = d.token('department', XIAOJINKOU, { department: 'housing-construction' });
      const urbanTeam = d.token('department', XIAOJINKOU, { department: 'urban-management' });
      const district = d.token('district_center', HUICHENG);
      const housingBureau = d.token('department', HUICHENG, { department: 'housing-construction' });
      const id = await d.report(worker, {
        itemCode: '02-05',
        gridCode: GRID_1,
        severity: 2,
        description: '金英街12号楼外墙出现贯穿裂缝，墙皮脱落',
        location: { lat: 23.1322, lng: 114.4161, address: '金英街12号' },
        reporter: { name: '12号楼住户', phone: '13000009903' },
      });
      await d.until(id, (event) => event.stage === 'routed', 'routed');
      await d.act(housingTeam, id, { action: 'return', note: '裂缝系违章搭建引起，不属本办职责' });
      await d.act(center, id, { action: 'assign', department: 'urban-management', note: '疑似违章搭建，请城管中队处理' });
      await d.act(urbanTeam, id, { action: 'return', note: '房屋结构安全不属城管职责' });
      const meetingAt = toLocalIso(new Date(d.policyNow().getTime() + 2 * 60_000));
      await d.act(district, id, {
        action: 'convene_meeting',
        departments: ['housing-construction', 'urban-management'],
        at: meetingAt,
        note: '召集住建、城管会商',
      });
      await waitFor(() => (d.policyNow().getTime() > Date.parse(meetingAt) ? true : undefined), 'the meeting to sit', 30_000);
      const decidedBy = toLocalIso(calendar.addWorkingDays(new Date(meetingAt), 3));
      await d.act(district, id, {
        action: 'record_meeting_decision',
        lead: 'housing-construction',
        helpers: ['urban-management'],
        deadlineAt: decidedBy,
        minutes: '住建局牵头鉴定处置，城管局协助查处违章搭建',
      });
      await d.act(housingBureau, id, { action: 'acknowledge' });
      await d.act(housingBureau, id, { action: 'complete', note: '已鉴定为C级危房，已设警戒并督促加固' });
      await d.act(district, id, { action: 'verify_pass', note: '现场核查，警戒与加固到位' });
      await d.rate(id, 5);
      await d.until(id, (event) => event.stage === 'archived', 'archived');
      return id;
    },
  },
  {
    key: 'story4',
    title: 'story 4: the level-1 rescue on the through train (alerts; handled in 2 h; verified)',
    timeScale: 60,
    clockStart: '2026-11-23 09:00',
    policy: DEFAULT_POLICY,
    async play(d) {
      const gu = d.token('grid_worker', GRID_5);
      const district = d.token('district_center', HUICHENG);
      const id = await d.report(gu, {
        itemCode: '02-03',
        gridCode: GRID_5,
        severity: 1,
        description: '金罗路积水深约1.6米，16名群众被困未撤离',
        location: { lat: 23.145, lng: 114.43, address: '金罗路' },
        reporter: { name: '金罗路居民', phone: '13000008801' },
      });
      await d.until(id, (event) => event.tier === 'through_train' && event.stage === 'routed', 'the through train');
      await d.act(district, id, { action: 'acknowledge', note: '已调度消防救援大队' });
      await d.act(district, id, { action: 'complete', note: '16名被困群众已全部安全转移' });
      await d.act(district, id, { action: 'verify_pass', note: '现场核查，积水已退，人员安全' });
      await d.rate(id, 5);
      await d.until(id, (event) => event.stage === 'archived', 'archived');
      return id;
    },
  },
];

/**
 * The sweeper's polls — the reminder digests due, the cases due (byDue): the platform's background, made on a
 * schedule whatever the number of cases (locally several times a policy hour), not a case's cost. What a due case
 * costs beyond the poll (its read, the reminder's write) is counted.
 */
function idleBackground(command: string, input: Record<string, any>): boolean {
  return command === 'QueryCommand' && (input.ExpressionAttributeValues?.[':list']?.S === 'DIGESTS' || input.IndexName === 'byDue');
}

/** Plays one story on a running platform and prices what its case used. */
async function playStory(
  story: Story,
  bench: BenchPlatform,
  meter: CapacityMeter,
  ctx: BenchContext,
  oneView: boolean,
): Promise<{ cost: StoryCost; view?: CostResult['oneCaseView'] }> {
  const driver = new Driver(bench);
  const started = Date.now();
  const before = meter.snapshot();
  const durationsFrom = bench.tracker.taskDurationsMs.length;
  const id = await story.play(driver);
  const outcome = await bench.platform.workflow.engine.result(id);
  if (outcome.status !== 'SUCCEEDED')
    throw new Error(`${story.key}: the execution ended ${outcome.status} (${outcome.error ?? ''} ${outcome.cause ?? ''})`);
  await sleep(300); // anything still trailing (an SMS, a digest) lands in this case's account
  const dynamoDb = difference(meter.snapshot(), before);
  const wallSeconds = round((Date.now() - started) / 1000);
  const { executions, transitions, tasks } = bench.tracker.ofCase(id);
  const engineTransitions = executions.reduce((sum, name) => sum + bench.platform.workflow.engine.transitions(name), 0);
  if (engineTransitions !== transitions) ctx.log(`  note: the engine counts ${engineTransitions} transitions, the tracker ${transitions}`);
  const sms = driver.sms(id);
  const cost = price(ctx.prices, {
    title: story.title,
    eventId: id,
    timeScale: story.timeScale,
    wallSeconds,
    transitions: engineTransitions,
    executions: executions.length,
    workflowStep: tasks,
    httpCalls: driver.httpCalls.map((entry) => entry.ms),
    workflowStepMs: bench.tracker.taskDurationsMs.slice(durationsFrom),
    dynamoDb,
    sms: { messages: sms.length, parts: sms.reduce((sum, message) => sum + message.parts, 0) },
    target: story.target,
  });

  let view: CostResult['oneCaseView'] | undefined;
  if (oneView) {
    const viewer = bench.token('grid_worker', GRID_1);
    const beforeView = meter.snapshot();
    const reply = await call(bench.platform.url, 'GET', `/events/${id}`, { token: viewer });
    if (reply.status !== 200) throw new Error(`GET /events/${id} answered ${reply.status}`);
    const read = difference(meter.snapshot(), beforeView);
    const p = ctx.prices;
    const usd =
      p.httpApiPerMillionRequestsUsd / 1e6 +
      p.lambdaPerMillionRequestsUsd / 1e6 +
      (Math.ceil(reply.ms) / 1000) * (p.lambdaMemoryMb.httpHandler / 1024) * p.lambdaArm64PerGbSecondUsd +
      (read.readUnits * p.dynamoDbPerMillionReadRequestUnitsUsd) / 1e6;
    view = { apiCalls: 1, readUnits: read.readUnits, usd: significant(usd) };
  }
  return { cost, view };
}

function price(
  p: Prices,
  m: {
    title: string;
    eventId: string;
    timeScale: number;
    wallSeconds: number;
    transitions: number;
    executions: number;
    workflowStep: number;
    httpCalls: number[];
    workflowStepMs: number[];
    dynamoDb: CapacityTotals;
    sms: { messages: number; parts: number };
    target?: Story['target'];
  },
): StoryCost {
  const httpHandlerMean = mean(m.httpCalls);
  const workflowStepMean = mean(m.workflowStepMs);
  // Lambda bills duration per started millisecond; the waiting Tasks' dispatch is priced like the others.
  // The SMS sender runs once per SMS (its stream records rarely arrive together), priced like a workflow step.
  const smsSender = m.sms.messages;
  const gbSeconds =
    m.httpCalls.length * (Math.ceil(httpHandlerMean) / 1000) * (p.lambdaMemoryMb.httpHandler / 1024) +
    (m.workflowStep + smsSender) * (Math.ceil(workflowStepMean) / 1000) * (p.lambdaMemoryMb.workflowStep / 1024);
  const invocations = m.workflowStep + m.httpCalls.length + smsSender;
  const usdBreakdown = {
    stepFunctions: (m.transitions * p.stepFunctionsStandardPerThousandTransitionsUsd) / 1000,
    lambdaRequests: (invocations * p.lambdaPerMillionRequestsUsd) / 1e6,
    lambdaCompute: gbSeconds * p.lambdaArm64PerGbSecondUsd,
    dynamoDbWrites: (m.dynamoDb.writeUnits * p.dynamoDbPerMillionWriteRequestUnitsUsd) / 1e6,
    dynamoDbReads: (m.dynamoDb.readUnits * p.dynamoDbPerMillionReadRequestUnitsUsd) / 1e6,
    httpApi: (m.httpCalls.length * p.httpApiPerMillionRequestsUsd) / 1e6,
    sms: m.sms.parts * p.smsPerPartUsd,
  };
  const usdWithoutSms = Object.entries(usdBreakdown)
    .filter(([key]) => key !== 'sms')
    .reduce((sum, [, value]) => sum + value, 0);
  return {
    title: m.title,
    eventId: m.eventId,
    timeScale: m.timeScale,
    wallSeconds: m.wallSeconds,
    transitions: m.transitions,
    executions: m.executions,
    lambdaInvocations: { workflowStep: m.workflowStep, httpHandlers: m.httpCalls.length, smsSender, total: invocations },
    apiCalls: m.httpCalls.length,
    dynamoDb: { ...m.dynamoDb, writeUnits: round(m.dynamoDb.writeUnits), readUnits: round(m.dynamoDb.readUnits) },
    sms: m.sms,
    durationsMs: { httpHandlerMean: round(httpHandlerMean), workflowStepMean: round(workflowStepMean) },
    gbSeconds: significant(gbSeconds),
    usdBreakdown: Object.fromEntries(
      Object.entries(usdBreakdown).map(([key, value]) => [key, significant(value)]),
    ) as StoryCost['usdBreakdown'],
    usdWithoutSms: significant(usdWithoutSms),
    usd: significant(usdWithoutSms + usdBreakdown.sms),
    targets: {
      ...(m.target?.transitions ? { transitionsAtMost: m.target.transitions } : {}),
      ...(m.target?.usdWithoutSms ? { usdWithoutSmsAtMost: m.target.usdWithoutSms } : {}),
    },
  };
}

export const costPart: BenchPart<CostResult> = {
  key: 'costPerCase',
  title: 'Cost per case',
  async run(ctx) {
    const results: Partial<CostResult> = {
      assumptions: [
        'Stories run over HTTP on fresh local platforms (in-memory DynamoDB Local) with the clock sped up: stories 1, 3 and 4 one after the other on one platform at ×60 from Monday 09:00 (the demo timing: the drain is handled and rated within minutes), story 2 on its own at ×9000 with the two level-2 clocks of its integration test lengthened, and story 1 as it happens in a district (signed for, both reminders passing, handled, nobody rating, archived a working day later) on its own at ×3600.',
        "Reminders (50%, 75%, the second notice to sign) are sent by the sweeper from the byDue list, not by the execution: their DynamoDB writes and reads are counted for the case; the sweeper's own invocations run on a schedule whatever the number of cases and are not.",
        "transitions: states entered by the case's execution(s), retries included, as counted by the local engine (what Standard bills).",
        "Lambda invocations: workflow-step = Task states entered; HTTP handlers = the story's own reports, actions and rating (the benchmark's polling is not counted); the SMS sender = one per SMS, priced like a workflow step.",
        "Lambda duration: the mean measured locally — HTTP calls round trip at the client, workflow-step from entering a non-waiting Task to entering the next state; waiting Tasks are priced at the same mean. Local DynamoDB is slower than the cloud's, so this errs high.",
        "DynamoDB: per-item AWS accounting (capacity.ts); transactional writes 2 WRU per KB per item on the base table, index writes 1 WRU per KB; reads as DynamoDB Local reports them, with AWS's per-request minimum.",
        'SMS: every outbox message about the case (eventId or eventIds), parts as the notifier counts them (70 characters per part), at prices.json smsPerPartUsd.',
        'Not included: free tiers, CloudWatch Logs/X-Ray, data transfer, Cognito, the scheduled sweeper, storage.',
      ],
    };
    // Stories with the same clock and policy share a platform, one after the other (each case is
    // archived and its execution ended before the next story starts, so the meter's differences are its own).
    const groups = new Map<string, Story[]>();
    for (const story of STORIES) {
      const key = `${story.timeScale}|${story.clockStart}|${story.policy === DEFAULT_POLICY ? 'default' : story.key}`;
      groups.set(key, [...(groups.get(key) ?? []), story]);
    }
    for (const stories of groups.values()) {
      const { timeScale, clockStart, policy } = stories[0];
      const bench = await startBenchPlatform({ timeScale, clockStart: parseLocal(clockStart), policy, timings: true });
      const imageClient = localClient(bench.platform.dynamoDbEndpoint);
      try {
        const meter = new CapacityMeter(imageClient, idleBackground);
        for (const client of bench.platform.dynamoDbClients) meter.attach(client);
        for (const story of stories) {
          ctx.log(`cost: ${story.title} (×${story.timeScale})`);
          const { cost, view } = await playStory(story, bench, meter, ctx, story.key === 'story1');
          results[story.key] = cost;
          if (view) results.oneCaseView = view;
          ctx.log(
            `cost: ${story.key}: ${cost.transitions} transitions, ${cost.lambdaInvocations.total} Lambda calls, ${cost.dynamoDb.writeUnits} WRU / ${cost.dynamoDb.readUnits} RRU, ${cost.sms.parts} SMS parts → $${cost.usdWithoutSms} without SMS, $${cost.usd} with (${cost.wallSeconds} s)`,
          );
        }
      } finally {
        imageClient.destroy();
        await bench.stop();
      }
    }
    return results as CostResult;
  },
  rows(result) {
    const rows: Row[] = [];
    for (const key of ['story1', 'story1Realistic', 'story2', 'story3', 'story4'] as const) {
      const story = result[key];
      const target = story.targets.transitionsAtMost;
      rows.push({
        figure: `${key}: state transitions`,
        value: String(story.transitions),
        target: target ? `≤ ${target}` : undefined,
        met: target ? story.transitions <= target : null,
      });
      rows.push({
        figure: `${key}: Lambda calls (steps + HTTP) / API calls`,
        value: `${story.lambdaInvocations.workflowStep} + ${story.lambdaInvocations.httpHandlers} / ${story.apiCalls}`,
        met: null,
      });
      rows.push({
        figure: `${key}: DynamoDB WRU / RRU (Local reports)`,
        value: `${story.dynamoDb.writeUnits} / ${story.dynamoDb.readUnits} (${story.dynamoDb.localReportedWriteUnits} / ${story.dynamoDb.localReportedReadUnits})`,
        met: null,
      });
      rows.push({ figure: `${key}: SMS messages / parts`, value: `${story.sms.messages} / ${story.sms.parts}`, met: null });
      const usdTarget = story.targets.usdWithoutSmsAtMost;
      rows.push({
        figure: `${key}: USD per case without SMS`,
        value: `$${story.usdWithoutSms}`,
        target: usdTarget ? `≤ $${usdTarget}` : undefined,
        met: usdTarget ? story.usdWithoutSms <= usdTarget : null,
      });
      rows.push({ figure: `${key}: USD per case with SMS`, value: `$${story.usd}`, met: null });
    }
    rows.push({
      figure: 'opening a case (GET /events/{id})',
      value: `${result.oneCaseView.readUnits} RRU, $${result.oneCaseView.usd}`,
      met: null,
    });
    return rows;
  },
};
