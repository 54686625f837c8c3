/**
 * Mixed load (issue 12, "Done when"): reads, lists, actions, comments, reports and new reports at 16 connections
 * for 60 s (--quick: 15 s) with 50,000 (--quick: 5,000) open cases — target: no 5xx.
 *
 * The open cases are seeded as the ready part seeds them (open-case-seeding.ts: a few real reports parked, copies
 * of their items written straight into DynamoDB Local; with GRIDFLOW_BENCH_READY_DIR the kept folder is copied
 * and the load runs on the copy, so the kept one stays as seeded). Then `npm start` on the folder (spawnNpmStart,
 * its own process group, as the ready and crash parts do), not the platform in this process: the platform is
 * then what a user runs — the sweeper and the scheduled jobs on, the kept executions brought back by the
 * restart, the edge port's journal — and the load's own client (its JSON, its timers) does not share the
 * platform's event loop, so a latency measured is the platform's plus the loopback's. The load waits until
 * every kept execution is back (/health's `resuming` gone; up to a limit, then it starts anyway and says so);
 * with GRIDFLOW_BENCH_MIXED_AT_ONCE=1 it starts as soon as the API serves, while they come back. npm start is
 * stopped with `kill <pid>` (SIGTERM to its node process, which stops DynamoDB Local last): a signal to the whole
 * group stops the JVM first, and an SMS delivery then failing keeps the platform's stop from ever ending.
 *
 * The load: 16 clients, each sending its next request as soon as its last one is answered, for the run's time,
 * with tokens of the sample district's people (signed with the folder's local key, as npm start checks them).
 * Each request is of one kind, drawn by weight:
 *
 * - read (30): `GET /events/{id}` of a random case (the seeded ones and those reported during the run), by the
 *   district center or the community station;
 * - list (25): `GET /events?…` — the district's open cases, the station's most urgent, a worker's, a station's
 *   and a department team's own (`mine=true`), the street's overdue, a grid's today; a third follow the last
 *   page's cursor;
 * - action (15): `POST /events/{id}/actions` on a case — 40% one acted on before and still in handling, 25% one
 *   reported during the run, else a random one — by whom the action is for: its handler (acknowledge, then
 *   complete; sometimes request an extension or escalate), the tier's approver (approve a pending extension),
 *   the supervisor (nudge), the center (dispatch one waiting for it), the district center (verify), the
 *   supervisor (evaluate one that has left handling). What the case is, is what the client last read of it: a
 *   case never read is read first (counted as a read). A 409 (the case moved on meanwhile) or a 403 (it was
 *   escalated, its handler changed) is expected and counted by code;
 * - comment (8): `POST /events/{id}/actions` with a comment on a random case, by the station or the center;
 * - report (7): `GET /reports/{kind}` — the district's last day, the community's today, the street's week, the
 *   district's month (HTML) and quarter (CSV), a department team's day;
 * - new report (15): `POST /events` by one of the nine grids' workers, with an Idempotency-Key; one in twenty
 *   sends an earlier report again with its key (a client's retry: 200 with the same case expected).
 *
 * Counted per kind: requests, status classes, latency p50/p99 (from before the fetch to the body read); every
 * 4xx and 5xx by status and error code and route; the first 5xx bodies kept whole, to diagnose one.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../dev-server/local-platform';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../dev-server/adapters/local-jwt';
import { seedReferenceData } from '../dev-server/seed-reference';
import { UNIT_STAFF, type StaffedLevel } from '../shared/domain/operations';
import { EXTENSION_APPROVERS } from '../shared/domain/permissions';
import { CENTER_ROLE, centerUnitCode } from '../shared/domain/routing';
import type { UnitDirectory } from '../shared/domain/units';
import type { Assignee, Role, Tier } from '../shared/domain/types';
import { sampleClaims, type TokenRequest } from '../bin/sample-users';
import { spawnNpmStart } from '../bin/start-command';
import { fmt, percentile, round, sleep, stopGroup, type BenchPart, type Row } from './lib';
import { SEEDED_GRIDS, seededOpenCases, type Seeding } from './open-case-seeding';

const CONNECTIONS = 16;
const DISTRICT = '441302';
const TOWN = '441302010';
const COMMUNITY = '441302010001';
const DEPARTMENT = { code: 'housing-construction', unit: TOWN };

const KINDS = ['read', 'list', 'action', 'comment', 'report', 'newReport'] as const;
type Kind = (typeof KINDS)[number];
const WEIGHTS: Record<Kind, number> = { read: 30, list: 25, action: 15, comment: 8, report: 7, newReport: 15 };
const KIND_TITLES: Record<Kind, string> = {
  read: 'GET /events/{id}',
  list: 'GET /events?…',
  action: 'POST /events/{id}/actions',
  comment: 'POST /events/{id}/actions (comment)',
  report: 'GET /reports/{kind}',
  newReport: 'POST /events',
};
/** How many 5xx replies are kept whole. */
const SAMPLES = 10;

export interface KindFigures {
  requests: number;
  perSecond: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  /** No reply: the connection failed or the client's 30 s timeout passed. */
  noReply: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-2xx replies by `<status> <error code>`. */
  byCode: Record<string, number>;
}

export interface MixedResult {
  openCases: number;
  connections: number;
  seconds: number;
  seeding: Seeding & { reused: boolean };
  /** From the spawn of npm start: its API line, and every kept execution back (/health's resuming gone). */
  /** `printed`: npm start's line once all were back, if it came before the load's end. */
  startup: { apiMs: number; resumedMs?: number; resumingAtLoadStart?: { done: number; total?: number }; printed?: string };
  requests: number;
  perSecond: number;
  '5xx': number;
  /** 5xx replies by `<status> <code> <method> <route>`. */
  fiveHundreds: Record<string, number>;
  /** The first 5xx replies, whole. */
  fiveHundredSamples: { kind: Kind; method: string; path: string; status: number; atSecond: number; body: string }[];
  /** Why the 4xx were refused: `<status> <code> <variant>` → its messages (ids and times left out), each counted. */
  fourHundreds: Record<string, Record<string, number>>;
  /** Requests that got no reply, by error. */
  noReply: Record<string, number>;
  kinds: Record<Kind, KindFigures>;
  /** Actions by name: status → count. */
  actions: Record<string, Record<string, number>>;
  /** Lists and reports by variant: requests and p99. */
  variants: Record<string, { requests: number; p50Ms: number; p99Ms: number; non2xx: number }>;
  /** Reports sent again with their Idempotency-Key: answered with the same case (200), or not. */
  retries: { sent: number; sameCase: number; differing: number };
  /** Cases reported during the run (201). */
  reported: number;
  /** Lines npm start logged at error level during the run (the first ones), and how many. */
  platformErrors: { count: number; first: string[] };
  /** Whether npm start was still up and /health answered 200 after the load. */
  healthyAfter: boolean;
  /** CPU used during the load: npm start's node process, its DynamoDB Local JVM, this bench's client. */
  cpuPercentOfOneCore: { platformNode: number; dynamoDbLocal: number; benchClient: number };
  /** How long npm start took to stop on SIGTERM after the load, and whether it had to be killed. */
  stop: { ms: number; killed: boolean };
  note: string;
}

/** What the client knows of a case: what it last read of it. */
interface Known {
  stage: string;
  tier: Tier;
  gridCode: string;
  assignee?: Assignee;
  clockKind?: string;
  acknowledged: boolean;
  deadlineAt?: string;
  extension?: string;
}

interface Sample {
  kind: Kind;
  variant: string;
  action?: string;
  method: string;
  route: string;
  status: number;
  code: string;
  ms: number;
}

export const mixedPart: BenchPart<MixedResult> = {
  key: 'mixed',
  title: 'Mixed load: reads, lists, actions, comments, reports and new reports on npm start with open cases',
  isolated: true,
  async run(ctx) {
    const openCases = ctx.quick ? 5_000 : 50_000;
    const seconds = ctx.quick ? 15 : 60;
    const resumeWaitMs = process.env.GRIDFLOW_BENCH_MIXED_AT_ONCE === '1' ? 0 : ctx.quick ? 180_000 : 1_200_000;
    const folder = await seededOpenCases(openCases, ctx.log, { prefix: 'gridflow-bench-mixed-', workingCopy: true });
    try {
      ctx.log(
        `mixed: ${openCases} open cases (seeded in ${folder.seeding.seconds} s${folder.reused ? ', kept from before' : ''}); npm start`,
      );
      const platform = await npmStart(folder.dataDir);
      let stopped: { ms: number; killed: boolean } | undefined;
      try {
        const resumed = await awaitResumed(platform, resumeWaitMs, ctx.log);
        const load = new MixedLoad(platform.url, folder.dataDir, folder.ids(), resumed.policyNow);
        ctx.log(`mixed: ${CONNECTIONS} connections for ${seconds} s`);
        const errorsBefore = platform.errors.length;
        const cpuBefore = cpuOfGroup(platform.child.pid as number);
        const clientBefore = process.cpuUsage();
        const loadStarted = performance.now();
        await load.run(seconds * 1000, ctx.log);
        const loadSeconds = (performance.now() - loadStarted) / 1000;
        const cpuAfter = cpuOfGroup(platform.child.pid as number);
        const client = process.cpuUsage(clientBefore);
        const healthyAfter =
          platform.child.exitCode === null &&
          (await fetch(`${platform.url}/health`)
            .then((response) => response.status === 200)
            .catch(() => false));
        const result = load.result(seconds);
        ctx.log(
          `mixed: ${result.requests} requests (${result.perSecond}/s), ${result['5xx']} × 5xx, ${Object.values(result.noReply).reduce((sum, count) => sum + count, 0)} without a reply`,
        );
        const errors = platform.errors.slice(errorsBefore);
        // Before the stop: a stop cuts the pass short, and npm start then prints the count of those back so far.
        const allBack = platform.allBack();
        // `kill <pid>`: the platform's own stop, DynamoDB Local last (a signal to the whole group stops the JVM first).
        stopped = await stopGroup(platform.child, { leaderOnly: true });
        ctx.log(
          `mixed: npm start stopped in ${round(stopped.ms / 1000, 1)} s${stopped.killed ? ' — killed (SIGKILL) after 30 s of SIGTERM' : ''}`,
        );
        if (stopped.killed) ctx.log(`mixed: the last lines npm start printed:\n${platform.tail()}`);
        const percentOfCore = (seconds: number) => round((100 * seconds) / loadSeconds, 0);
        return {
          openCases,
          connections: CONNECTIONS,
          seconds,
          seeding: { ...folder.seeding, reused: folder.reused },
          startup: {
            apiMs: platform.apiMs,
            ...(resumed.resumedMs !== undefined ? { resumedMs: resumed.resumedMs } : {}),
            ...(resumed.resuming ? { resumingAtLoadStart: resumed.resuming } : {}),
            ...(allBack ? { printed: allBack } : {}),
          },
          ...result,
          cpuPercentOfOneCore: {
            platformNode: percentOfCore(cpuAfter.node - cpuBefore.node),
            dynamoDbLocal: percentOfCore(cpuAfter.java - cpuBefore.java),
            benchClient: percentOfCore((client.user + client.system) / 1e6),
          },
          platformErrors: { count: errors.length, first: errors.slice(0, 20) },
          healthyAfter,
          stop: stopped,
          note: `npm start (its own process group: sweeper and scheduled jobs on, time ×1) on a copy of a folder of ${openCases} seeded open cases, each waiting on its handler; the load from the bench's process over loopback, ${CONNECTIONS} clients each sending its next request when its last is answered; latency from before the fetch to the body read. Weights: ${KINDS.map((kind) => `${kind} ${WEIGHTS[kind]}`).join(', ')}. CPU: of the load's wall time, from /proc (100 = one core busy throughout; the machine has ${cpus().length}).`,
        };
      } finally {
        if (!stopped) await stopGroup(platform.child);
      }
    } finally {
      folder.remove();
    }
  },
  rows(result) {
    const rows: Row[] = [
      {
        figure: `5xx of ${fmt(result.requests)} requests (${result.connections} connections, ${result.seconds} s, ${fmt(result.openCases)} open cases)`,
        value: result['5xx'] === 0 ? '0' : `${result['5xx']}: ${codes(result.fiveHundreds)}`,
        target: '0',
        met: result['5xx'] === 0,
      },
      {
        figure: '  requests without a reply (connection failed or 30 s timeout)',
        value: Object.keys(result.noReply).length === 0 ? '0' : codes(result.noReply),
        target: '0',
        met: Object.keys(result.noReply).length === 0,
      },
    ];
    for (const kind of KINDS) {
      const figures = result.kinds[kind];
      rows.push({
        figure: `  ${kind} ${KIND_TITLES[kind]}: requests (/s); 2xx / 4xx / 5xx; p50 / p99 ms`,
        value: `${fmt(figures.requests)} (${fmt(figures.perSecond, 1)}); ${figures['2xx']} / ${figures['4xx']} / ${figures['5xx']}; ${fmt(figures.p50Ms, 1)} / ${fmt(figures.p99Ms, 1)}`,
        met: null,
      });
      if (Object.keys(figures.byCode).length > 0)
        rows.push({ figure: '    not 2xx, by status and code', value: codes(figures.byCode), met: null });
    }
    rows.push(
      {
        figure: '  reports sent again with their key: same case / another',
        value: `${result.retries.sameCase} / ${result.retries.differing} of ${result.retries.sent}`,
        target: '0 another',
        met: result.retries.differing === 0,
      },
      {
        figure: '  npm start: API line; every kept execution back',
        value: `${round(result.startup.apiMs / 1000, 1)} s; ${
          result.startup.resumedMs !== undefined
            ? `${round(result.startup.resumedMs / 1000, 1)} s`
            : `not yet at the load's start (${result.startup.resumingAtLoadStart?.done} of ${result.startup.resumingAtLoadStart?.total ?? '?'}; then: ${result.startup.printed ?? 'not all back by the end of the load'})`
        }`,
        met: null,
      },
      {
        figure: '  errors npm start logged during the load; healthy after; stopped after',
        value: `${result.platformErrors.count}; ${result.healthyAfter ? 'yes' : 'NO'}; ${round(result.stop.ms / 1000, 1)} s${result.stop.killed ? ' (KILLED: no exit on SIGTERM in 30 s)' : ''}`,
        met: result.healthyAfter && !result.stop.killed ? null : false,
      },
      {
        figure: '  CPU during the load, % of one core: platform (node) / DynamoDB Local / bench client',
        value: `${result.cpuPercentOfOneCore.platformNode} / ${result.cpuPercentOfOneCore.dynamoDbLocal} / ${result.cpuPercentOfOneCore.benchClient}`,
        met: null,
      },
    );
    return rows;
  },
};

function codes(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
}

// ── npm start ────────────────────────────────────────────────────────────────────────────────────────

interface Started {
  child: ChildProcess;
  url: string;
  spawnedAt: number;
  apiMs: number;
  /** Lines it logged at error level. */
  errors: string[];
  /** The last lines it printed. */
  tail(): string;
  /** What it printed once every kept execution was back: the line, or undefined before. */
  allBack(): string | undefined;
}

async function npmStart(dataDir: string): Promise<Started> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawnNpmStart({ GRIDFLOW_DATA_DIR: dataDir, PORT: String(port) });
  const errors: string[] = [];
  const last: string[] = [];
  let allBack: string | undefined;
  let head = '';
  let partial = '';
  const onOutput = (chunk: Buffer) => {
    if (head.length < 20_000) head += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (/\[error\]|Error:|ERROR/.test(line) && errors.length < 1_000) errors.push(line.slice(0, 2_000));
      if (/lifecycle execution\(s\) waiting again/.test(line)) allBack = line.trim();
      last.push(line.slice(0, 2_000));
      if (last.length > 40) last.shift();
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const deadline = Date.now() + 600_000;
  for (;;) {
    const url = /API\s+(http:\/\/\S+)/.exec(head)?.[1];
    if (url)
      return {
        child,
        url,
        spawnedAt,
        apiMs: Math.round(performance.now() - spawnedAt),
        errors,
        tail: () => [...last, partial].join('\n'),
        allBack: () => allBack,
      };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`npm start did not serve:\n${head}`);
    }
    await sleep(100);
  }
}

/** Polls /health until the kept executions are all back, or the wait is over; the policy time it last said. */
async function awaitResumed(
  platform: Started,
  waitMs: number,
  log: (line: string) => void,
): Promise<{ resumedMs?: number; resuming?: { done: number; total?: number }; policyNow: Date }> {
  const deadline = Date.now() + waitMs;
  let lastLog = Date.now();
  for (;;) {
    const response = await fetch(`${platform.url}/health`);
    const body = (await response.json()) as { time: string; resuming?: { done: number; total?: number } };
    if (response.status === 200 && !body.resuming)
      return { resumedMs: Math.round(performance.now() - platform.spawnedAt), policyNow: new Date(body.time) };
    if (Date.now() > deadline) {
      log(`mixed: the kept executions are not all back (${JSON.stringify(body.resuming)}); the load starts anyway`);
      return { resuming: body.resuming, policyNow: new Date(body.time) };
    }
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`mixed: kept executions coming back: ${JSON.stringify(body.resuming)}`);
    }
    await sleep(500);
  }
}

// ── The load ─────────────────────────────────────────────────────────────────────────────────────────

class MixedLoad {
  private readonly samples: Sample[] = [];
  private readonly fiveHundredSamples: MixedResult['fiveHundredSamples'] = [];
  private readonly fourHundreds: MixedResult['fourHundreds'] = {};
  private readonly noReply = new Map<string, number>();
  private readonly key: LocalSigningKey;
  private readonly directory: UnitDirectory;
  private readonly itemCodes: string[];
  private readonly tokens = new Map<string, string>();
  /** Every case the client may pick, and what it last read of each. */
  private readonly ids: string[];
  private readonly known = new Map<string, Known>();
  /** Cases reported during the run. */
  private readonly fresh: string[] = [];
  /** Cases acted on and still being handled: their handler goes on with them. */
  private readonly inHand = new Set<string>();
  /** Reports sent (key and body), for a retry to send again, and the case each got. */
  private readonly sentReports: { key: string; body: string; id: string }[] = [];
  private readonly retries = { sent: 0, sameCase: 0, differing: 0 };
  private readonly random = seededRandom(12);
  private readonly runId = Date.now().toString(36);
  private reportCount = 0;
  private commentCount = 0;
  private started = 0;
  /** Each client's last list, for the next one to follow its cursor. */
  private readonly lastLists = new Map<number, { path: string; token: string; cursor: string; variant: string }>();

  constructor(
    private readonly url: string,
    dataDir: string,
    ids: string[],
    private readonly policyNow: Date,
  ) {
    this.key = LocalSigningKey.loadOrCreate(join(dataDir, LOCAL_KEY_FILE));
    const reference = seedReferenceData(dataDir);
    this.directory = reference.directory;
    this.itemCodes = reference.catalog.allItems().map((item) => item.code);
    this.ids = [...ids];
  }

  async run(durationMs: number, log: (line: string) => void): Promise<void> {
    this.started = performance.now();
    const end = this.started + durationMs;
    const progress = setInterval(
      () =>
        log(
          `mixed: ${this.samples.length} requests, ${this.samples.filter((sample) => sample.status >= 500).length} × 5xx after ${round((performance.now() - this.started) / 1000, 0)} s`,
        ),
      15_000,
    );
    try {
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, client) => {
          while (performance.now() < end) await this.step(client);
        }),
      );
    } finally {
      clearInterval(progress);
    }
  }

  private async step(client: number): Promise<void> {
    const kind = this.pickKind();
    switch (kind) {
      case 'read':
        return void (await this.read(
          this.pickCase(),
          this.pick([this.as('district_center', DISTRICT), this.as('community_station', COMMUNITY)]),
        ));
      case 'list':
        return this.list(client);
      case 'action':
        return this.action();
      case 'comment':
        return this.comment();
      case 'report':
        return this.report();
      case 'newReport':
        return this.newReport();
    }
  }

  // ── The kinds ──

  private async read(id: string, token: string): Promise<Known | undefined> {
    const reply = await this.send('read', 'read', 'GET', `/events/${id}`, '/events/{id}', token);
    if (reply?.status === 200) return this.remember(reply.body);
    return undefined;
  }

  private async list(client: number): Promise<void> {
    const last = this.lastLists.get(client);
    let path: string;
    let token: string;
    let variant: string;
    if (last && this.random() < 0.33) {
      ({ path, token, variant } = last);
      path = `${path}&cursor=${encodeURIComponent(last.cursor)}`;
      variant = `${variant} (next page)`;
    } else {
      const grid = this.pick(SEEDED_GRIDS);
      const today = shanghaiDate(this.policyNow);
      const choices: [string, string, string][] = [
        ['district open', `/events?unit=${DISTRICT}&status=open&limit=20`, this.as('district_center', DISTRICT)],
        ['community most urgent', `/events?unit=${COMMUNITY}&sort=urgency&limit=20`, this.as('community_station', COMMUNITY)],
        ["a worker's own", '/events?mine=true&limit=20', this.as('grid_worker', grid)],
        ["the station's own", '/events?mine=true&limit=20', this.as('community_station', COMMUNITY)],
        ["a department team's own", '/events?mine=true&limit=20', this.as('department', DEPARTMENT.unit, { department: DEPARTMENT.code })],
        ["the street's overdue", `/events?unit=${TOWN}&overdue=true&limit=20`, this.as('town_center', TOWN)],
        [
          "a grid's today",
          `/events?unit=${grid}&from=${encodeURIComponent(`${today}T00:00:00+08:00`)}&limit=20`,
          this.as('grid_worker', grid),
        ],
      ];
      [variant, path, token] = this.pick(choices);
    }
    const reply = await this.send('list', variant, 'GET', path, '/events', token);
    const base = path.replace(/&cursor=[^&]*/, '');
    if (reply?.status === 200) {
      for (const item of reply.body.items ?? []) if (this.known.has(item.id)) this.remember(item);
      if (reply.body.nextCursor)
        this.lastLists.set(client, { path: base, token, cursor: reply.body.nextCursor, variant: variant.replace(' (next page)', '') });
      else this.lastLists.delete(client);
    }
  }

  private async action(): Promise<void> {
    // A handler goes on with the cases in hand (acknowledged, extended: to be completed), then new ones.
    const roll = this.random();
    const id =
      roll < 0.4 && this.inHand.size > 0
        ? this.pick([...this.inHand])
        : roll < 0.65 && this.fresh.length > 0
          ? this.pick(this.fresh)
          : this.pickCase();
    const known = this.known.get(id) ?? (await this.read(id, this.as('district_center', DISTRICT)));
    if (!known) return;
    const planned = this.plan(known);
    const reply = await this.send('action', planned.body.action, 'POST', `/events/${id}/actions`, '/events/{id}/actions', planned.token, {
      body: planned.body,
    });
    if (reply?.status === 200) {
      const now = this.remember(reply.body);
      if ((now.stage === 'routed' || now.stage === 'handling') && now.clockKind === 'handling') this.inHand.add(id);
      else this.inHand.delete(id);
    } else {
      // The case moved on since the client read it: read again before the next action on it.
      this.known.delete(id);
      this.inHand.delete(id);
    }
  }

  /** The action on a case as the client knows it, and the token of whom it is for. */
  private plan(known: Known): { body: { action: string } & Record<string, unknown>; token: string } {
    const { assignee } = known;
    const handling = (known.stage === 'routed' || known.stage === 'handling') && known.clockKind === 'handling' && assignee;
    if (known.stage === 'verifying')
      return { body: { action: 'verify_pass', note: '现场核查已处置' }, token: this.as('district_center', DISTRICT) };
    if (known.clockKind === 'dispatch' && (known.tier === 'town' || known.tier === 'district')) {
      // Waiting for its center to dispatch it: the center sends it to one of the unit's department teams.
      const unit = centerUnitCode(known.gridCode, known.tier);
      const teams = this.directory.allDepartments().filter((department) => this.directory.departmentTeam(department.code, unit).length > 0);
      return {
        body: { action: 'assign', department: this.pick(teams).code, note: '请牵头处置' },
        token: this.as(CENTER_ROLE[known.tier], unit),
      };
    }
    if (!handling) {
      // Out of handling (fed back, closed, waiting for a dispatch or a meeting): the supervisor's evaluation.
      return {
        body: { action: 'evaluate', score: 1 + Math.floor(this.random() * 5), note: '处置及时，群众满意' },
        token: this.as('supervisor', DISTRICT),
      };
    }
    if (known.extension === 'requested') {
      const approver = EXTENSION_APPROVERS[known.tier];
      const unit = this.directory.ancestor(known.gridCode, approver.level)?.code ?? DISTRICT;
      return { body: { action: 'approve_extension', note: '同意延期' }, token: this.as(approver.role, unit) };
    }
    // A case in handling has its handler (`handling` above asks for it).
    const handler = this.handlerToken(assignee);
    const roll = this.random();
    if (roll < 0.08) return { body: { action: 'nudge', note: '请尽快处置' }, token: this.as('supervisor', DISTRICT) };
    if (roll < 0.16 && !known.extension && known.deadlineAt) {
      // One hour past the deadline: within any limit's extension (at most the original limit).
      const until = new Date(Date.parse(known.deadlineAt) + 3_600_000).toISOString();
      return { body: { action: 'request_extension', until, note: '需协调材料，申请延期' }, token: handler };
    }
    if (roll < 0.22 && known.tier !== 'through_train') return { body: { action: 'escalate', note: '本级无法处置，上报' }, token: handler };
    if (!known.acknowledged) return { body: { action: 'acknowledge', note: '已签收' }, token: handler };
    return {
      body: { action: 'complete', note: '已现场处置完毕', photos: ['https://photos.example.cn/mixed-after.jpg'] },
      token: handler,
    };
  }

  private async comment(): Promise<void> {
    const token = this.pick([this.as('community_station', COMMUNITY), this.as('district_center', DISTRICT)]);
    const body = { action: 'comment', note: `跟进情况记录 ${++this.commentCount}` };
    await this.send('comment', 'comment', 'POST', `/events/${this.pickCase()}/actions`, '/events/{id}/actions', token, { body });
  }

  private async report(): Promise<void> {
    const today = shanghaiDate(this.policyNow);
    const choices: [string, string, string][] = [
      ["the district's last day", `/reports/daily?unit=${DISTRICT}`, this.as('district_center', DISTRICT)],
      ["the community's today", `/reports/daily?unit=${COMMUNITY}&period=${today}`, this.as('community_station', COMMUNITY)],
      ["the street's last week", `/reports/weekly?unit=${TOWN}`, this.as('town_center', TOWN)],
      ["the district's last month (HTML)", `/reports/monthly?unit=${DISTRICT}&format=html`, this.as('leader', DISTRICT)],
      ["the district's last quarter (CSV)", `/reports/quarterly?unit=${DISTRICT}&format=csv`, this.as('district_center', DISTRICT)],
      [
        "a department team's last day",
        `/reports/daily?department=${DEPARTMENT.code}&unit=${DEPARTMENT.unit}`,
        this.as('department', DEPARTMENT.unit, { department: DEPARTMENT.code }),
      ],
    ];
    const [variant, path, token] = this.pick(choices);
    await this.send('report', variant, 'GET', path, '/reports/{kind}', token);
  }

  private async newReport(): Promise<void> {
    if (this.sentReports.length > 0 && this.random() < 0.05) {
      const earlier = this.pick(this.sentReports);
      const grid = JSON.parse(earlier.body).gridCode as string;
      const reply = await this.send('newReport', 'retry with its key', 'POST', '/events', '/events', this.as('grid_worker', grid), {
        body: earlier.body,
        idempotencyKey: earlier.key,
      });
      if (!reply) return;
      this.retries.sent += 1;
      if (reply.status === 200 && reply.body?.id === earlier.id) this.retries.sameCase += 1;
      else if (reply.status < 500) this.retries.differing += 1;
      return;
    }
    const index = ++this.reportCount;
    const grid = this.pick(SEEDED_GRIDS);
    const severityRoll = this.random();
    const body = JSON.stringify({
      itemCode: this.pick(this.itemCodes),
      gridCode: grid,
      description: `混合负载上报 第${index}件：现场需要处置`,
      severity: severityRoll < 0.02 ? 1 : severityRoll < 0.2 ? 2 : severityRoll < 0.6 ? 3 : 4,
      ...(this.random() < 0.5
        ? { location: { lat: 23.1 + this.random() * 0.06, lng: 114.38 + this.random() * 0.06, address: `金源社区 ${index} 号` } }
        : {}),
      ...(this.random() < 0.3 ? { photos: [`https://photos.example.cn/mixed-${index}.jpg`] } : {}),
      reporter: { name: '居民', phone: `137${String(index).padStart(8, '0')}` },
    });
    const key = `mixed-${this.runId}-${index}`;
    const reply = await this.send('newReport', 'report', 'POST', '/events', '/events', this.as('grid_worker', grid), {
      body,
      idempotencyKey: key,
    });
    if (reply?.status === 201 && reply.body?.id) {
      this.remember(reply.body);
      this.ids.push(reply.body.id);
      this.fresh.push(reply.body.id);
      this.sentReports.push({ key, body, id: reply.body.id });
    }
  }

  // ── Requests ──

  private async send(
    kind: Kind,
    variant: string,
    method: string,
    path: string,
    route: string,
    token: string,
    options: { body?: unknown; idempotencyKey?: string } = {},
  ): Promise<{ status: number; body: any } | undefined> {
    const started = performance.now();
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
        },
        body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = `${kind} ${method} ${route}: ${(error as Error).name}: ${(error as Error).message}`;
      this.noReply.set(name, (this.noReply.get(name) ?? 0) + 1);
      return undefined;
    }
    const ms = performance.now() - started;
    let body: any;
    try {
      body = text && (text.startsWith('{') || text.startsWith('[')) ? JSON.parse(text) : text;
    } catch {
      body = text;
    }
    const code = status < 300 ? '' : (body?.error?.code ?? body?.message ?? 'no error code');
    const action = (options.body as { action?: string } | undefined)?.action;
    this.samples.push({ kind, variant, ...(action ? { action } : {}), method, route, status, code, ms });
    if (status >= 400 && status < 500) {
      const why = `${status} ${code} ${variant}`;
      const message = String(body?.error?.message ?? body?.message ?? text.slice(0, 200))
        .replace(/E\d{8}-[0-9A-Z]{6}/g, '{id}')
        .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?/g, '{time}');
      this.fourHundreds[why] ??= {};
      const messages = this.fourHundreds[why];
      if (message in messages || Object.keys(messages).length < 10) messages[message] = (messages[message] ?? 0) + 1;
    }
    if (status >= 500 && this.fiveHundredSamples.length < SAMPLES)
      this.fiveHundredSamples.push({
        kind,
        method,
        path,
        status,
        atSecond: round((started - this.started) / 1000, 1),
        body: text.slice(0, 4_000),
      });
    return { status, body };
  }

  // ── Tokens, cases, chance ──

  /** A token of a person of the sample district (sampleClaims: the clerk of that role at that unit). */
  private as(role: Role, unit: string, extra: Partial<TokenRequest> = {}): string {
    const cacheKey = JSON.stringify([role, unit, extra]);
    let token = this.tokens.get(cacheKey);
    if (!token) {
      token = this.key.idToken(sampleClaims(this.directory, role, unit, extra));
      this.tokens.set(cacheKey, token);
    }
    return token;
  }

  /** A token of whoever handles for the assignee: the person, a clerk of the unit's station or center, the department's clerk. */
  private handlerToken(assignee: Assignee): string {
    switch (assignee.type) {
      case 'person': {
        const person = this.directory.person(assignee.id);
        return this.as(person?.role ?? 'grid_worker', assignee.unit, {
          person: assignee.id,
          name: assignee.name,
          ...(person?.phone ? { phone: person.phone } : {}),
        });
      }
      case 'unit': {
        const level = this.directory.unit(assignee.unit)?.level as StaffedLevel | undefined;
        return this.as(level && level in UNIT_STAFF ? UNIT_STAFF[level].staff : 'district_center', assignee.unit);
      }
      case 'department':
        return this.as('department', assignee.unit, { department: assignee.id });
    }
  }

  private remember(view: any): Known {
    const known: Known = {
      stage: view.stage,
      tier: view.tier,
      gridCode: view.gridCode,
      assignee: view.assignee,
      clockKind: view.clock?.kind,
      acknowledged: Boolean(view.acknowledgedAt),
      deadlineAt: view.deadlineAt,
      extension: view.extension?.status,
    };
    this.known.set(view.id, known);
    return known;
  }

  private pickCase(): string {
    return this.ids[Math.floor(this.random() * this.ids.length)];
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  private pickKind(): Kind {
    const total = KINDS.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
    let roll = this.random() * total;
    for (const kind of KINDS) {
      roll -= WEIGHTS[kind];
      if (roll < 0) return kind;
    }
    return 'read';
  }

  // ── The figures ──

  result(
    seconds: number,
  ): Omit<
    MixedResult,
    | 'openCases'
    | 'connections'
    | 'seconds'
    | 'seeding'
    | 'startup'
    | 'platformErrors'
    | 'healthyAfter'
    | 'note'
    | 'stop'
    | 'cpuPercentOfOneCore'
  > {
    const elapsed = (performance.now() - this.started) / 1000;
    const count = (values: Sample[], from: number, to: number) =>
      values.filter((sample) => sample.status >= from && sample.status < to).length;
    const noReplyOf = (kind: Kind) => [...this.noReply].filter(([name]) => name.startsWith(`${kind} `)).reduce((sum, [, n]) => sum + n, 0);
    const kinds = Object.fromEntries(
      KINDS.map((kind): [Kind, KindFigures] => {
        const of = this.samples.filter((sample) => sample.kind === kind);
        const ms = of.map((sample) => sample.ms);
        const byCode: Record<string, number> = {};
        for (const sample of of)
          if (sample.status >= 300) byCode[`${sample.status} ${sample.code}`] = (byCode[`${sample.status} ${sample.code}`] ?? 0) + 1;
        return [
          kind,
          {
            requests: of.length,
            perSecond: round(of.length / elapsed, 1),
            '2xx': count(of, 200, 300),
            '4xx': count(of, 400, 500),
            '5xx': count(of, 500, 600),
            noReply: noReplyOf(kind),
            p50Ms: round(percentile(ms, 50)),
            p99Ms: round(percentile(ms, 99)),
            maxMs: round(Math.max(0, ...ms)),
            byCode,
          },
        ];
      }),
    ) as Record<Kind, KindFigures>;
    const fiveHundreds: Record<string, number> = {};
    for (const sample of this.samples)
      if (sample.status >= 500) {
        const name = `${sample.status} ${sample.code} ${sample.method} ${sample.route}${sample.action ? ` (${sample.action})` : ''}`;
        fiveHundreds[name] = (fiveHundreds[name] ?? 0) + 1;
      }
    const actions: Record<string, Record<string, number>> = {};
    for (const sample of this.samples)
      if (sample.kind === 'action' && sample.action) {
        const name = sample.status < 300 ? String(sample.status) : `${sample.status} ${sample.code}`;
        actions[sample.action] = { ...actions[sample.action], [name]: (actions[sample.action]?.[name] ?? 0) + 1 };
      }
    const variants: MixedResult['variants'] = {};
    for (const variant of new Set(
      this.samples.filter((sample) => sample.kind === 'list' || sample.kind === 'report').map((sample) => sample.variant),
    )) {
      const of = this.samples.filter((sample) => (sample.kind === 'list' || sample.kind === 'report') && sample.variant === variant);
      const ms = of.map((sample) => sample.ms);
      variants[`${of[0].kind}: ${variant}`] = {
        requests: of.length,
        p50Ms: round(percentile(ms, 50)),
        p99Ms: round(percentile(ms, 99)),
        non2xx: of.length - count(of, 200, 300),
      };
    }
    return {
      requests: this.samples.length,
      perSecond: round(this.samples.length / Math.max(elapsed, seconds), 1),
      '5xx': count(this.samples, 500, 600),
      fiveHundreds,
      fiveHundredSamples: this.fiveHundredSamples,
      fourHundreds: this.fourHundreds,
      noReply: Object.fromEntries(this.noReply),
      kinds,
      actions,
      variants,
      retries: this.retries,
      reported: this.fresh.length,
    };
  }
}

/** The day in China (UTC+8) of an instant: 2026-12-04. */
function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A small deterministic generator, so every run draws the same mix (the timing still differs). */
function seededRandom(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/**
 * CPU seconds used so far by a process group's processes, from /proc: the node process of npm start (and any
 * other non-Java process of the group) and DynamoDB Local's JVM. Zeros where /proc cannot be read.
 */
function cpuOfGroup(root: number): { node: number; java: number } {
  const ticksPerSecond = 100;
  const total = { node: 0, java: 0 };
  if (!existsSync('/proc')) return total;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the name: state, ppid, pgrp, … utime (14th field of the line) and stime (15th).
      if (Number(fields[2]) !== root) continue;
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('DynamoDBLocal')) total.java += seconds;
      else total.node += seconds;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
