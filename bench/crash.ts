/**
 * Crash: GridFlow as a power cut would try it (issue 12). `npm start` on a data folder; clients post keyed
 * reports; after the Nth 201 the whole process group — Java included — is killed with SIGKILL at once; a new
 * `npm start` on the same folder; then every report that got a 201 is read back, a retry with its key gives
 * the same case, its handler gets the "new case" SMS, and completing it gets it fed back (its lifecycle runs on). Without the journal on the DynamoDB forwarder,
 * DynamoDB Local loses about 1 in 1,800 acknowledged transactions this way; the journal's replay says how many
 * it wrote again, which is how many would have been lost.
 *
 * The round driver is shared with tests/integration/crash.test.ts (one short round in `npm test`).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../dev-server/local-platform';
import { readJsonLines } from '../dev-server/durable-files';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../dev-server/adapters/local-jwt';
import { seedReferenceData } from '../dev-server/seed-reference';
import { sampleClaims } from '../bin/sample-users';
import { spawnNpmStart } from '../bin/start-command';
import { percentile, pool, round, sleep, type BenchPart, type Row } from './lib';

const GRID = '441302010001001';
/** The grid's community (金源社区): its station handles the severity-3 reports the round posts. */
const COMMUNITY = '441302010001';

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function npmStart(dataDir: string, port: number): Promise<Started> {
  const child = spawnNpmStart({ GRIDFLOW_DATA_DIR: dataDir, PORT: String(port) });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    if (process.env.CRASH_DEBUG) process.stderr.write(chunk);
  });
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const url = /API\s+(http:\/\/\S+)/.exec(output)?.[1];
    if (url) return { child, url, output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not serve:\n${output}`);
    await sleep(100);
  }
}

async function killGroup(started: Started, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => (started.child.exitCode !== null ? resolve(null) : started.child.once('exit', resolve)));
  process.kill(-(started.child.pid as number), signal);
  // A stop that does not finish in 20 s is killed: the round must end (the output says what it was doing).
  const overdue = setTimeout(() => process.kill(-(started.child.pid as number), 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(overdue);
}

export interface CrashRound {
  /** Reports answered 201 before the kill. */
  acknowledged: number;
  /** Of those: not there after the restart (must be 0). */
  lost: string[];
  /** Of those: whose retry with the same Idempotency-Key gave another case or failed (must be 0). */
  retriesDiffering: string[];
  /** Of those: whose handler got no "new case" SMS (must be 0). */
  handlerNotTold: string[];
  /** Of those: completed by their handler after the restart (200) but not fed back within a minute (must be 0). */
  notFedBack: string[];
  /**
   * What the journal wrote again at the restart — acknowledged ones DynamoDB Local had lost, and ones in flight
   * at the kill — and how long its replay took.
   */
  journal: { restored: number; restoredUnacknowledged: number; lostWindowMs?: number; held: number; ms: number } | undefined;
  /** From the restart's command to `/health` answering. */
  restartMs: number;
  /** The end of the restarted platform's output, when something was missing. */
  restartOutput?: string;
}

/**
 * One round on a fresh data folder: `clients` concurrent clients post `reports` keyed reports; the group is
 * killed after the `killAfter`th 201 (the others still in flight are not acknowledged).
 */
export async function crashRound(options: {
  clients: number;
  reports: number;
  killAfter: number;
  log?: (line: string) => void;
}): Promise<CrashRound> {
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-crash-'));
  const port = await freePort();
  try {
    const first = await npmStart(dataDir, port);
    const key = LocalSigningKey.loadOrCreate(join(dataDir, LOCAL_KEY_FILE));
    const { directory } = seedReferenceData(dataDir);
    const token = key.idToken(sampleClaims(directory, 'grid_worker', GRID));
    const stationToken = key.idToken(sampleClaims(directory, 'community_station', COMMUNITY));
    const post = (url: string, index: number) =>
      fetch(`${url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `crash-${index}` },
        body: JSON.stringify({ itemCode: '01-01', gridCode: GRID, description: `排水口堵塞 ${index}`, severity: 3 }),
      });
    const acknowledged = new Map<number, string>();
    let killing: Promise<void> | undefined;
    await pool(
      Array.from({ length: options.reports }, (_, index) => index),
      options.clients,
      async (index) => {
        if (killing) return;
        try {
          const response = await post(first.url, index);
          const body = (await response.json()) as { id?: string };
          if (response.status === 201 && !killing && body.id) {
            acknowledged.set(index, body.id);
            if (acknowledged.size >= options.killAfter) killing = killGroup(first, 'SIGKILL');
          }
        } catch {
          // The platform is gone: this report was never acknowledged.
        }
      },
    );
    await killing;
    log(`killed after ${acknowledged.size} acknowledged reports`);

    const restarted = performance.now();
    const second = await npmStart(dataDir, port);
    try {
      const restartMs = Math.round(performance.now() - restarted);
      const journal =
        /journal: (\d+) transaction\(s\) written again \((\d+) never acknowledged(?:; the oldest acknowledged one DynamoDB Local lost was (\d+) ms older)?.*?, (\d+) held already \((\d+) ms\)/.exec(
          second.output(),
        );
      const lost: string[] = [];
      const retriesDiffering: string[] = [];
      await pool([...acknowledged], 8, async ([index, id]) => {
        const read = await fetch(`${second.url}/events/${id}`, { headers: { authorization: `Bearer ${token}` } });
        if (read.status !== 200) lost.push(id);
        const retry = await post(second.url, index);
        const again = (await retry.json()) as { id?: string };
        if (again.id !== id) retriesDiffering.push(id);
      });
      // Every acknowledged report reaches its handler: the "new case" SMS, once the lifecycles have routed them.
      const outbox = join(dataDir, 'outbox.jsonl');
      // The file is being appended to: a line half-written now is read whole on the next look.
      const told = () =>
        new Set(
          readJsonLines<{ template: string; eventId: string }>(outbox, () => {})
            .filter((message) => message.template === 'case_assigned')
            .map((message) => message.eventId),
        );
      const deadline = Date.now() + 60_000 + acknowledged.size * 100;
      let handlerNotTold = [...acknowledged.values()];
      while (handlerNotTold.length > 0 && Date.now() < deadline) {
        await sleep(500);
        const ids = told();
        handlerNotTold = handlerNotTold.filter((id) => !ids.has(id));
      }
      const notFedBack = await completeEach(second.url, stationToken, [...acknowledged.values()]);
      const failed = lost.length + retriesDiffering.length + handlerNotTold.length + notFedBack.length > 0;
      return {
        ...(failed ? { restartOutput: second.output().slice(-4000) } : {}),
        acknowledged: acknowledged.size,
        lost,
        retriesDiffering,
        handlerNotTold,
        notFedBack,
        journal: journal
          ? {
              restored: Number(journal[1]),
              restoredUnacknowledged: Number(journal[2]),
              ...(journal[3] ? { lostWindowMs: Number(journal[3]) } : {}),
              held: Number(journal[4]),
              ms: Number(journal[5]),
            }
          : undefined,
        restartMs,
      };
    } finally {
      await killGroup(second, 'SIGINT');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The handler completes each case; its lifecycle must run on to the feedback. A kill between an execution parking on
 * its waiting task and that task's function giving the case its token once left a case no action could wake.
 */
async function completeEach(url: string, token: string, ids: string[]): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const refused: string[] = [];
  await pool(ids, 8, async (id) => {
    const response = await fetch(`${url}/events/${id}/actions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'complete', note: '已疏通' }),
    });
    if (response.status !== 200) refused.push(`${id} (${response.status}: ${(await response.text()).slice(0, 300)})`);
  });
  const fedBack = async (id: string) => {
    const read = await fetch(`${url}/events/${id}`, { headers });
    const body = (await read.json()) as { timeline?: { type: string }[] };
    return Boolean(body.timeline?.some((entry) => entry.type === 'fed_back'));
  };
  let waiting = ids.filter((id) => !refused.some((each) => each.startsWith(id)));
  const deadline = Date.now() + 60_000 + ids.length * 50;
  while (waiting.length > 0 && Date.now() < deadline) {
    await sleep(500);
    const done = new Set<string>();
    await pool(waiting, 8, async (id) => {
      if (await fedBack(id)) done.add(id);
    });
    waiting = waiting.filter((id) => !done.has(id));
  }
  return [...refused, ...waiting];
}

export interface CrashResult {
  rounds: CrashRound[];
  acknowledged: number;
  lost: number;
  retriesDiffering: number;
  handlerNotTold: number;
  notFedBack: number;
  /** Acknowledged transactions the journal wrote again over all rounds: what DynamoDB Local alone would have lost. */
  restoredByJournal: number;
  /** The widest loss window seen (see ReplaySummary.lostWindowMs). */
  lostWindowMs: number | undefined;
  replayMsP50: number;
  restartMsP50: number;
}

export const crashPart: BenchPart<CrashResult> = {
  key: 'crash',
  title:
    'Crash: npm start killed with SIGKILL under 32 clients after a random number of 201s, restarted; every 201 read back, completed, fed back',
  async run(ctx) {
    const rounds: CrashRound[] = [];
    const count = ctx.quick ? 2 : 10;
    for (let index = 0; index < count; index++) {
      const killAfter = 200 + Math.floor(Math.random() * (ctx.quick ? 200 : 1_000));
      const result = await crashRound({ clients: 32, reports: killAfter * 2, killAfter, log: ctx.log });
      ctx.log(
        `round ${index + 1}: ${result.acknowledged} acknowledged, ${result.lost.length} lost, ${result.notFedBack.length} not fed back after completing; the journal wrote ${result.journal?.restored ?? '?'} again (${result.journal?.restoredUnacknowledged ?? '?'} never acknowledged) in ${result.journal?.ms ?? '?'} ms`,
      );
      rounds.push(result);
    }
    const sum = (pick: (round: CrashRound) => number) => rounds.reduce((total, each) => total + pick(each), 0);
    return {
      rounds,
      acknowledged: sum((each) => each.acknowledged),
      lost: sum((each) => each.lost.length),
      retriesDiffering: sum((each) => each.retriesDiffering.length),
      handlerNotTold: sum((each) => each.handlerNotTold.length),
      notFedBack: sum((each) => each.notFedBack.length),
      restoredByJournal: sum((each) => (each.journal ? each.journal.restored - each.journal.restoredUnacknowledged : 0)),
      lostWindowMs: rounds.reduce<number | undefined>((widest, each) => {
        const seen = each.journal?.lostWindowMs;
        return seen === undefined ? widest : Math.max(widest ?? 0, seen);
      }, undefined),
      replayMsP50: percentile(
        rounds.map((each) => each.journal?.ms ?? 0),
        50,
      ),
      restartMsP50: percentile(
        rounds.map((each) => each.restartMs),
        50,
      ),
    };
  },
  rows(result) {
    const rows: Row[] = [
      { figure: 'rounds; reports acknowledged (201) before the kill', value: `${result.rounds.length}; ${result.acknowledged}` },
      { figure: 'acknowledged reports lost', value: String(result.lost), target: '0', met: result.lost === 0 },
      {
        figure: 'retries with the same key giving another case',
        value: String(result.retriesDiffering),
        target: '0',
        met: result.retriesDiffering === 0,
      },
      {
        figure: 'acknowledged reports whose handler got no SMS',
        value: String(result.handlerNotTold),
        target: '0',
        met: result.handlerNotTold === 0,
      },
      {
        figure: 'acknowledged reports completed after the restart but not fed back',
        value: String(result.notFedBack),
        target: '0',
        met: result.notFedBack === 0,
      },
      {
        figure: 'acknowledged transactions the journal wrote again (DynamoDB Local alone would have lost them)',
        value: String(result.restoredByJournal),
      },
      {
        figure: 'widest loss window seen (the lost one against the last journaled)',
        value: result.lostWindowMs === undefined ? 'none lost' : `${result.lostWindowMs} ms`,
      },
      { figure: 'journal replay at start, p50', value: `${round(result.replayMsP50, 0)} ms` },
      { figure: 'restart until the API serves, p50', value: `${round(result.restartMsP50 / 1000, 1)} s` },
    ];
    return rows;
  },
};
