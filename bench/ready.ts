/**
 * Ready at once (issue 12 item 6): `npm start` on a data folder holding 50,000 (--quick: 5,000) open cases,
 * each waiting on its handler (its lifecycle parked on "Await handling" with a task token stored on the case).
 * Timed from the spawn of `npm start` (bin/start.ts, the whole process: Node, DynamoDB Local's JVM, the journal,
 * the table checks): until `GET /health` first answers 200, and until every kept execution waits again on its
 * token and timer (`/health`'s `resuming` gone: done = total).
 *
 * The cases are seeded fast, not through HTTP (open-case-seeding.ts): a few real reports parked, then copies of
 * their stored items under fresh ids and tokens written straight into DynamoDB Local. The copies are not in the
 * counters.
 */
import { freePort } from '../dev-server/local-platform';
import { spawnNpmStart } from '../bin/start-command';
import { round, stopGroup, waitFor, type BenchPart, type Row } from './lib';
import { seededOpenCases, type Seeding } from './open-case-seeding';

const TARGET_HEALTH_MS = 5_000;

export interface ReadyResult {
  openCases: number;
  seeding: Seeding;
  /** From the spawn of `npm start` to the first 200 of GET /health. */
  healthMs: number;
  /** What /health said then. */
  healthBody: unknown;
  /** From the spawn to every kept execution waiting again (/health's resuming done = total). */
  allParkedMs: number;
  /** From the spawn to npm start printing its API line. */
  apiLineMs?: number;
  /** How many executions it brought back, as /health's resuming last said. */
  parked: number;
  note: string;
}

export const readyPart: BenchPart<ReadyResult> = {
  key: 'ready',
  title: 'Ready at once: npm start with open cases kept',
  isolated: true,
  async run(ctx) {
    const openCases = ctx.quick ? 5_000 : 50_000;
    const folder = await seededOpenCases(openCases, ctx.log, { prefix: 'gridflow-bench-ready-' });
    try {
      const { seeding } = folder;
      ctx.log(`ready: ${openCases} open cases seeded in ${seeding.seconds} s; npm start on the folder`);
      const timed = await timeStart(folder.dataDir, ctx.log);
      return {
        openCases,
        seeding,
        ...timed,
        note: 'From the spawn of npm start (node --import tsx bin/start.ts as npm start runs it, its own process group; Node and tsx start, DynamoDB Local on the data folder, the journal, the table checks), /health polled every 50 ms. The open cases: copies of real reports as stored, each with its parked lifecycle execution (token on the case, timer days away), written straight into DynamoDB Local; the copies are not in the counters.',
      };
    } finally {
      folder.remove();
    }
  },
  rows(result) {
    return [
      {
        figure: `npm start with ${result.openCases} open cases: until /health answers 200`,
        value: `${round(result.healthMs / 1000, 2)} s`,
        target: `< ${TARGET_HEALTH_MS / 1000} s`,
        met: result.healthMs < TARGET_HEALTH_MS,
      },
      {
        figure: `  until every one of them is parked again (${result.parked})`,
        value: `${round(result.allParkedMs / 1000, 1)} s`,
        met: result.parked >= result.openCases ? null : false,
      },
      { figure: '  seeding (not timed against a target)', value: `${result.seeding.seconds} s, ${result.seeding.items} items`, met: null },
    ] satisfies Row[];
  },
};

/** Spawns npm start on the folder and times /health: first 200, then resuming done. */
async function timeStart(
  dataDir: string,
  log: (line: string) => void,
): Promise<Pick<ReadyResult, 'healthMs' | 'healthBody' | 'allParkedMs' | 'apiLineMs' | 'parked'>> {
  const port = await freePort();
  const spawned = performance.now();
  const child = spawnNpmStart({ GRIDFLOW_DATA_DIR: dataDir, PORT: String(port) });
  let output = '';
  let apiLineMs: number | undefined;
  const onOutput = (chunk: Buffer) => {
    output += chunk;
    if (apiLineMs === undefined && /API\s+http/.test(output)) apiLineMs = Math.round(performance.now() - spawned);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  try {
    const health = async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
      try {
        const response = await fetch(`http://localhost:${port}/health`);
        return { status: response.status, body: (await response.json()) as { resuming?: { done: number; total: number } } };
      } catch {
        return undefined;
      }
    };
    const first = await waitFor(
      async () => {
        const reply = await health();
        return reply?.status === 200 ? reply : undefined;
      },
      '/health to answer 200',
      600_000,
      50,
    );
    const healthMs = Math.round(performance.now() - spawned);
    log(`ready: /health answered 200 after ${round(healthMs / 1000, 2)} s: ${JSON.stringify(first.body)}`);
    let parked = 0;

    await waitFor(
      async () => {
        const reply = await health();
        if (reply?.status !== 200) return undefined;
        // Absent once every kept execution is back.
        return reply.body.resuming ? undefined : true;
      },
      'every execution to be parked again',
      1_800_000,
      50,
    );
    const allParkedMs = Math.round(performance.now() - spawned);
    // The count npm start prints when the pass is over.
    const printed = await waitFor(
      () => /(\d+) lifecycle execution\(s\) waiting again/.exec(output)?.[1],
      'npm start to say how many executions wait again',
      60_000,
      50,
    ).catch(() => undefined);
    if (printed !== undefined) parked = Number(printed);
    log(`ready: every execution parked again after ${round(allParkedMs / 1000, 1)} s (${parked})`);
    return { healthMs, healthBody: first.body, allParkedMs, apiLineMs, parked };
  } finally {
    await stopGroup(child);
  }
}
