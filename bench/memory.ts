/**
 * Memory per created case: the local platform as `npm start` runs it (a data folder: DynamoDB Local on files, the
 * journal, the SMS sender on the stream, the scheduled jobs), in a child process of its own, takes N reports over
 * HTTP (POST /events by the nine grids' workers, 16 at a time; 2,000, --quick: 500), each registered, routed and
 * its lifecycle parked on its handler's clock. Then every other one is closed (the handler completes it; with no
 * reporter's phone it is fed back and archived at once: its execution ends), as a platform left running sees cases
 * come and go.
 *
 * Read after the lifecycles have parked and the SMS gone out, and two full garbage collections: the V8 heap in use
 * less compiled code (which grows as code warms up, not with the cases) and the resident set (RSS) of the process —
 * the whole local runtime, the bench's own HTTP client included — before, after half the cases, after all, and
 * after closing half of them. Per created case over all of them and over the second half only (the first half also
 * fills pools and caches), and what closing gives back. GRIDFLOW_BENCH_HEAP_SNAPSHOTS=<folder> writes a heap
 * snapshot at each reading (it inflates the RSS after it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { parseLocal } from '../shared/domain/calendar';
import {
  call,
  collectGarbage,
  pool,
  round,
  rssMiB,
  sleep,
  startBenchPlatform,
  waitFor,
  WAITING_STATES,
  type BenchPart,
  type Row,
} from './lib';

const GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);
const CONCURRENCY = 16;
const MiB = 1024 * 1024;

interface Reading {
  heapUsedBytes: number;
  /** Of it, compiled code (V8's code space): it grows as code warms up, not with the cases. */
  codeBytes: number;
  /** V8's heap as reserved from the system, and memory outside it (buffers, native), after the collection. */
  heapTotalBytes: number;
  externalBytes: number;
  rssBytes: number;
}

export interface MemoryResult {
  cases: number;
  closed: number;
  createSeconds: number;
  before: Reading;
  /** After the first half of the cases, after all of them, after closing every other one. */
  afterHalf: Reading;
  afterCreating: Reading;
  afterClosing: Reading;
  /** Growth from before to all created (all open), per created case: heap in use less code, and RSS, in bytes. */
  heapBytesPerCreatedCase: number;
  rssBytesPerCreatedCase: number;
  /** The same over the second half only: what one more case adds once the first ones warmed every pool and cache. */
  heapBytesPerCaseSecondHalf: number;
  rssBytesPerCaseSecondHalf: number;
  /** Heap given back per closed case (its execution ended: nothing of it should stay but a bounded recent result). */
  heapBytesReleasedPerClosedCase: number;
  /** Running executions held by the engine at the end (the open cases). */
  runningExecutions: number;
}

export const memoryPart: BenchPart<MemoryResult> = {
  key: 'memory',
  title: 'Memory per created case',
  isolated: true,
  async run(ctx) {
    const cases = ctx.quick ? 500 : 2_000;
    const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-memory-'));
    const inFlight = new Set<string>();
    const bench = await startBenchPlatform({
      timeScale: 1,
      clockStart: parseLocal('2026-11-23 09:00'),
      dataDir,
      scheduledJobs: true,
      // Only the executions mid-segment are tracked (the bench's tracker would hold every execution's name).
      onTransition: (name, state) => (WAITING_STATES.has(state) ? inFlight.delete(name) : inFlight.add(name)),
    });
    try {
      const { engine } = bench.platform.workflow;
      const tokens = GRIDS.map((grid) => bench.token('grid_worker', grid));
      const settle = async (name: string) => {
        // Mid-segment: entered a state other than a waiting one since it last waited, and not ended.
        await waitFor(
          () => ([...inFlight].some((execution) => engine.isRunning(execution)) ? undefined : true),
          'the lifecycles to park',
          300_000,
        );
        inFlight.clear();
        await bench.platform.smsDelivered();
        await sleep(1_000);
        collectGarbage();
        await sleep(200);
        collectGarbage();
        const now = reading();
        snapshot(name);
        ctx.log(
          `memory: ${name}: heap ${mib(now.heapUsedBytes)} MiB in use (code ${mib(now.codeBytes)} MiB; ${mib(now.heapTotalBytes)} MiB reserved), RSS ${mib(now.rssBytes)} MiB`,
        );
        return now;
      };
      const create = (from: number, to: number) =>
        pool(
          Array.from({ length: to - from }, (_, offset) => from + offset),
          CONCURRENCY,
          (index) => report(bench.platform.url, tokens, index),
        );
      // Warm-up: every code path once (modules, clients, caches), not counted.
      const warm = await report(bench.platform.url, tokens, cases);
      await closeCase(bench.platform.url, tokens, cases, warm);
      const before = await settle('before');

      const started = Date.now();
      const ids = await create(0, cases / 2);
      const afterHalf = await settle(`${cases / 2} created`);
      ids.push(...(await create(cases / 2, cases)));
      const createSeconds = (Date.now() - started) / 1000;
      const afterCreating = await settle(`${cases} created`);

      const toClose = ids.filter((_, index) => index % 2 === 0);
      await pool(toClose, CONCURRENCY, (id, index) => closeCase(bench.platform.url, tokens, index * 2, id));
      await waitFor(
        () => (toClose.every((id) => !engine.isRunning(id)) ? true : undefined),
        'the closed cases’ executions to end',
        300_000,
      );
      const afterClosing = await settle(`${toClose.length} closed`);

      const half = cases / 2;
      return {
        cases,
        closed: toClose.length,
        createSeconds: round(createSeconds),
        before,
        afterHalf,
        afterCreating,
        afterClosing,
        heapBytesPerCreatedCase: Math.round((data(afterCreating) - data(before)) / cases),
        rssBytesPerCreatedCase: Math.round((afterCreating.rssBytes - before.rssBytes) / cases),
        heapBytesPerCaseSecondHalf: Math.round((data(afterCreating) - data(afterHalf)) / half),
        rssBytesPerCaseSecondHalf: Math.round((afterCreating.rssBytes - afterHalf.rssBytes) / half),
        heapBytesReleasedPerClosedCase: Math.round((data(afterCreating) - data(afterClosing)) / toClose.length),
        runningExecutions: engine.runningExecutions().length,
      };
    } finally {
      await bench.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  rows(result) {
    const kib = (bytes: number) => `${round(bytes / 1024)} KiB`;
    return [
      {
        figure: `heap (less code) per created case, ${result.cases} open`,
        value: `${kib(result.heapBytesPerCreatedCase)} (RSS ${kib(result.rssBytesPerCreatedCase)})`,
        met: null,
      },
      {
        figure: `heap (less code) per created case, second ${result.cases / 2}`,
        value: `${kib(result.heapBytesPerCaseSecondHalf)} (RSS ${kib(result.rssBytesPerCaseSecondHalf)})`,
        met: null,
      },
      { figure: `heap given back per closed case (${result.closed})`, value: kib(result.heapBytesReleasedPerClosedCase), met: null },
    ] satisfies Row[];
  },
};

function reading(): Reading {
  const { heapUsed, heapTotal, external, rss } = process.memoryUsage();
  const codeBytes = getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
  return {
    heapUsedBytes: heapUsed,
    codeBytes,
    heapTotalBytes: heapTotal,
    externalBytes: external,
    rssBytes: (rssMiB() ?? rss / MiB) * MiB,
  };
}

const mib = (bytes: number) => round(bytes / MiB);
/** The heap in use less compiled code: what the data takes. */
const data = (reading: Reading) => reading.heapUsedBytes - reading.codeBytes;

/** GRIDFLOW_BENCH_HEAP_SNAPSHOTS=<folder>: a heap snapshot at each reading, to see what holds memory. */
function snapshot(name: string): void {
  const folder = process.env.GRIDFLOW_BENCH_HEAP_SNAPSHOTS;
  if (folder) writeHeapSnapshot(join(folder, `memory-${name}.heapsnapshot`));
}

async function report(url: string, tokens: string[], index: number): Promise<string> {
  const grid = index % GRIDS.length;
  const reply = await call(url, 'POST', '/events', {
    token: tokens[grid],
    body: {
      itemCode: '01-01',
      gridCode: GRIDS[grid],
      severity: 4,
      description: `排水口堵塞 第${index + 1}件`,
    },
  });
  if (reply.status !== 201) throw new Error(`POST /events answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

/** The handler finishes the case: fed back and archived (no reporter's phone, so no rating to wait for). */
async function closeCase(url: string, tokens: string[], index: number, id: string): Promise<void> {
  const reply = await call(url, 'POST', `/events/${id}/actions`, {
    token: tokens[index % GRIDS.length],
    body: { action: 'complete', note: '已清理' },
  });
  if (reply.status !== 200) throw new Error(`complete ${id} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
}
