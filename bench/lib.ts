/**
 * What the benchmark parts share: the local platform started the way a benchmark wants it, a tracker of
 * the lifecycle executions' states, small statistics, memory readings from /proc, and the table rows.
 */
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { localClient } from '../dev-server/dynamodb-local';
import { LIFECYCLE_DEFINITION } from '../dev-server/local-lifecycle';
import { startLocalPlatform, TABLE_NAME, type LocalPlatform, type LocalPlatformOptions } from '../dev-server/local-platform';
import { createDynamoDbStores } from '../shared/adapters/dynamodb/dynamodb-stores';
import type { Stores } from '../shared/ports/stores';
import type { Role } from '../shared/domain/types';
import { sampleClaims, type TokenRequest } from '../bin/sample-users';

// ── What a part is ───────────────────────────────────────────────────────────────────────────────────

export interface Prices {
  stepFunctionsStandardPerThousandTransitionsUsd: number;
  lambdaPerMillionRequestsUsd: number;
  lambdaArm64PerGbSecondUsd: number;
  lambdaMemoryMb: { httpHandler: number; workflowStep: number };
  dynamoDbPerMillionWriteRequestUnitsUsd: number;
  dynamoDbPerMillionReadRequestUnitsUsd: number;
  httpApiPerMillionRequestsUsd: number;
  smsPerPartUsd: number;
}

export interface BenchContext {
  quick: boolean;
  prices: Prices;
  /** A progress line (prefixed with the elapsed time). */
  log(line: string): void;
}

/** One line of the printed table. `met`: true/false against a target, null when the figure has none. */
export interface Row {
  figure: string;
  value: string;
  target?: string;
  met?: boolean | null;
}

export interface BenchPart<R = unknown> {
  /** The key of its object in latest.json. */
  key: string;
  title: string;
  run(ctx: BenchContext): Promise<R>;
  rows(result: R): Row[];
  /** Runs in a child process of its own, so that its memory figures are of that process alone. */
  isolated?: boolean;
  /**
   * The key of a part this one runs beside, started together: for a part that measures no time (sizes
   * only) beside an isolated part whose timed figures come at its end, so that a run waits less.
   */
  runsBeside?: string;
}

// ── The local platform, for a benchmark ──────────────────────────────────────────────────────────────

/** setInterval's longest delay: the local sweeper effectively never runs (parts that want it say so). */
export const SWEEPER_OFF = 2_000_000_000;

const definition = JSON.parse(readFileSync(LIFECYCLE_DEFINITION, 'utf8')) as {
  States: Record<string, { Type: string; Resource?: string }>;
};
/** Task states: each one entered is one invocation of the workflow-step Lambda. */
export const TASK_STATES = new Set(
  Object.entries(definition.States)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name),
);
/** Task states that wait for a task token (the case waits on an action or its clock). */
export const WAITING_STATES = new Set(
  Object.entries(definition.States)
    .filter(([, state]) => state.Type === 'Task' && String(state.Resource).endsWith('.waitForTaskToken'))
    .map(([name]) => name),
);

/**
 * Follows every execution through the states it enters: how many (billed transitions), how many were
 * Tasks (Lambda invocations), and whether it has reached a waiting state. With `timings`, also how long
 * each non-waiting Task took (from entering it to entering the next state).
 */
export class TransitionTracker {
  readonly started = new Set<string>();
  readonly waited = new Set<string>();
  private readonly perExecution = new Map<string, { transitions: number; tasks: number; openTask?: { name: string; at: number } }>();
  readonly taskDurationsMs: number[] = [];
  lastActivity = Date.now();

  constructor(private readonly timings = false) {}

  readonly observe = (executionName: string, stateName: string): void => {
    const now = performance.now();
    this.lastActivity = Date.now();
    this.started.add(executionName);
    if (WAITING_STATES.has(stateName)) this.waited.add(executionName);
    if (!this.timings) return;
    let record = this.perExecution.get(executionName);
    if (!record) {
      record = { transitions: 0, tasks: 0 };
      this.perExecution.set(executionName, record);
    }
    record.transitions += 1;
    if (record.openTask) this.taskDurationsMs.push(now - record.openTask.at);
    record.openTask = undefined;
    if (TASK_STATES.has(stateName)) {
      record.tasks += 1;
      if (!WAITING_STATES.has(stateName)) record.openTask = { name: stateName, at: now };
    }
  };

  /** Executions of a case: `<id>` and its later generations `<id>-2`, `<id>-3`, … */
  ofCase(eventId: string): { executions: string[]; transitions: number; tasks: number } {
    const mine = [...this.perExecution].filter(([name]) => name === eventId || name.startsWith(`${eventId}-`));
    return {
      executions: mine.map(([name]) => name),
      transitions: mine.reduce((sum, [, record]) => sum + record.transitions, 0),
      tasks: mine.reduce((sum, [, record]) => sum + record.tasks, 0),
    };
  }

  /** True when every execution started so far has reached a waiting state (nothing is mid-flight). */
  allWaiting(): boolean {
    return this.waited.size >= this.started.size;
  }
}

export interface BenchPlatform {
  platform: LocalPlatform;
  tracker: TransitionTracker;
  /** Reads the store through its own DynamoDB client, so the benchmark's own polling is never metered. */
  probe: Pick<Stores, 'cases' | 'caseLists'>;
  token(role: Role, unit: string, extra?: Partial<TokenRequest>): string;
  stop(): Promise<void>;
}

export async function startBenchPlatform(options: Partial<LocalPlatformOptions> & { timings?: boolean } = {}): Promise<BenchPlatform> {
  const { timings, ...platformOptions } = options;
  const tracker = new TransitionTracker(timings ?? false);
  const platform = await startLocalPlatform({
    port: 0,
    timeScale: 1,
    quiet: true,
    sweepEveryMs: SWEEPER_OFF,
    scheduledJobs: false,
    onTransition: tracker.observe,
    ...platformOptions,
  });
  const probeClient = localClient(platform.dynamoDbEndpoint);
  return {
    platform,
    tracker,
    probe: createDynamoDbStores(probeClient, TABLE_NAME),
    token: (role, unit, extra) => platform.token(sampleClaims(platform.deps.directory, role, unit, extra)),
    stop: async () => {
      probeClient.destroy();
      await platform.stop();
    },
  };
}

/** An HTTP call to the local gateway, timed. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
}

/**
 * Stops a platform spawned with spawnNpmStart (its own process group): SIGTERM to the group (as Ctrl-C in a
 * terminal signals the whole foreground group, DynamoDB Local's JVM included), or with `leaderOnly` to the node
 * process alone (`kill <pid>`: the platform stops DynamoDB Local itself, last); SIGKILL to the group if it has not
 * exited in 30 s. Says how long it took and whether it had to be killed.
 */
export async function stopGroup(child: ChildProcess, options: { leaderOnly?: boolean } = {}): Promise<{ ms: number; killed: boolean }> {
  if (child.exitCode !== null) return { ms: 0, killed: false };
  const started = performance.now();
  let killed = false;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(options.leaderOnly ? (child.pid as number) : -(child.pid as number), 'SIGTERM');
  const overdue = setTimeout(() => {
    killed = true;
    process.kill(-(child.pid as number), 'SIGKILL');
  }, 30_000);
  await exited;
  clearTimeout(overdue);
  return { ms: Math.round(performance.now() - started), killed };
}

// ── Small tools ──────────────────────────────────────────────────────────────────────────────────────

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value (not undefined); throws with `what` after the timeout. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Runs `task` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
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

/** The p-th percentile (nearest rank) of the values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : NaN);
export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value);
/** Rounds to `digits` significant digits (for dollar figures). */
export const significant = (value: number, digits = 3) =>
  value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));

// ── Memory ───────────────────────────────────────────────────────────────────────────────────────────

const MiB = 1024 * 1024;

/** Resident memory of a process in MiB, from /proc (undefined where /proc cannot be read). */
export function rssMiB(pid: number | 'self' = 'self'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? round(kb / 1024) : undefined;
  } catch {
    return pid === 'self' ? round(process.memoryUsage().rss / MiB) : undefined;
  }
}

/** The pid of the DynamoDB Local JVM this process started, found in /proc by its parent and command line. */
export function dynamoDbLocalPid(): number | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('DynamoDBLocal')) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

let gcFunction: (() => void) | undefined;
/** A full garbage collection, so that RSS readings compare like with like. */
export function collectGarbage(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}

export function heapUsedMiB(): number {
  return round(process.memoryUsage().heapUsed / MiB);
}

// ── The machine ──────────────────────────────────────────────────────────────────────────────────────

export function machine() {
  const text = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    nproc: Number(text('nproc', [])) || cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryTotalGiB: round(totalmem() / 1024 ** 3),
    memoryFreeGiBAtStart: round(freemem() / 1024 ** 3),
    freeG: text('free', ['-g']),
    loadAverageAtStart: loadavg().map((value) => round(value, 2)),
    node: process.version,
    java: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0]?.trim(),
  };
}

/** Formats a number for the table: thousands separated, `digits` decimals. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
