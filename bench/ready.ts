/**
 * Ready at once (issue 12 item 6): `npm start` on a data folder holding 50,000 (--quick: 5,000) open cases,
 * each waiting on its handler (its lifecycle parked on "Await handling" with a task token stored on the case).
 * Timed from the spawn of `npm start` (bin/start.ts, the whole process: Node, DynamoDB Local's JVM, the journal,
 * the table checks): until `GET /health` first answers 200, and until every kept execution waits again on its
 * token and timer (`/health`'s `resuming` gone: done = total).
 *
 * The cases are seeded fast, not through HTTP: a few real reports through the core's reportCase on a platform
 * on the data folder, run until their lifecycles park; then copies of those as stored — the case's item (its
 * waiting token included; not its timeline) and its parked execution's item in `gridflow-local-states` (its
 * token and timer; not its history) — under fresh ids and fresh tokens, written straight into DynamoDB Local
 * with BatchWriteItem. The copies are not in the counters.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from '../dev-server/dynamodb-local';
import { freePort, TABLE_NAME } from '../dev-server/local-platform';
import { newTaskToken } from '../dev-server/step-functions/aws-errors';
import { STATES_TABLE_NAME } from '../dev-server/step-functions/dynamodb-execution-store';
import { LIFECYCLE_STATE_MACHINE_NAME } from '../dev-server/step-functions/arns';
import { callerFromClaims } from '../shared/auth/caller';
import { newEventId } from '../shared/core/ids';
import { reportCase } from '../shared/core/report-case';
import { ReportEventBody } from '../shared/schemas/events';
import { sampleClaims } from '../bin/sample-users';
import { spawnNpmStart } from '../bin/start-command';
import { pool, round, sleep, startBenchPlatform, waitFor, type BenchPart, type Row } from './lib';

const GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);
/** Real reports whose stored items the copies are made from. */
const TEMPLATES = 36;
const TARGET_HEALTH_MS = 5_000;

export interface ReadyResult {
  openCases: number;
  seeding: { templates: number; copies: number; items: number; seconds: number };
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
    // GRIDFLOW_BENCH_READY_DIR: a folder seeded once and kept, reused by later runs (seeding 50,000 takes minutes).
    const kept = process.env.GRIDFLOW_BENCH_READY_DIR;
    const dataDir = kept ? join(kept, String(openCases)) : mkdtempSync(join(tmpdir(), 'gridflow-bench-ready-'));
    const seededFile = join(dataDir, 'bench-ready-seeded.json');
    try {
      const seeding: ReadyResult['seeding'] = existsSync(seededFile)
        ? JSON.parse(readFileSync(seededFile, 'utf8'))
        : await seed(dataDir, openCases, ctx.log);
      if (kept) writeFileSync(seededFile, JSON.stringify(seeding));
      ctx.log(`ready: ${openCases} open cases seeded in ${seeding.seconds} s; npm start on the folder`);
      const timed = await timeStart(dataDir, ctx.log);
      return {
        openCases,
        seeding,
        ...timed,
        note: 'From the spawn of npm start (node --import tsx bin/start.ts as npm start runs it, its own process group; Node and tsx start, DynamoDB Local on the data folder, the journal, the table checks), /health polled every 50 ms. The open cases: copies of real reports as stored, each with its parked lifecycle execution (token on the case, timer days away), written straight into DynamoDB Local; the copies are not in the counters.',
      };
    } finally {
      if (!kept) rmSync(dataDir, { recursive: true, force: true });
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

/** Real cases parked on their handlers, then copies of them, into the data folder; the platform is stopped after. */
export async function seed(dataDir: string, openCases: number, log: (line: string) => void): Promise<ReadyResult['seeding']> {
  const started = Date.now();
  // Policy time now: the restart goes on from the saved clock or now, whichever is later (deadlines stay ahead).
  const clockStart = new Date();
  const bench = await startBenchPlatform({ dataDir, clockStart });
  const raw = localClient(bench.platform.dynamoDbEndpoint);
  try {
    const { deps } = bench.platform;
    const items = deps.catalog.allItems();
    const templates = Math.min(TEMPLATES, openCases);
    const ids = await pool(
      Array.from({ length: templates }, (_, index) => index),
      8,
      async (index) => {
        const grid = index % GRIDS.length;
        const body = ReportEventBody.parse({
          itemCode: items[index % items.length].code,
          gridCode: GRIDS[grid],
          description: `重启测试 第${index + 1}件`,
          reporter: { name: '居民', phone: `139${String(index).padStart(8, '0')}` },
        });
        const caller = callerFromClaims(sampleClaims(deps.directory, 'grid_worker', GRIDS[grid]));
        return (await reportCase(deps, { body, caller, clientId: 'bench' })).event.id;
      },
    );
    await waitFor(() => (bench.tracker.waited.size >= templates ? true : undefined), 'the templates to park', 120_000, 100);
    // Parked means written: the execution item holds its token once the task is dispatched.
    const stored = await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => templateOf(raw, id)));
        return all.every((each) => each !== undefined) ? all : undefined;
      },
      'the templates’ tokens to be stored',
      60_000,
      200,
    );
    const copies = openCases - templates;
    const taken = new Set(ids);
    const writes: { table: string; item: Record<string, AttributeValue> }[] = [];
    for (let index = 0; index < copies; index++) {
      const template = stored[index % stored.length]!;
      let id: string;
      do id = newEventId(clockStart);
      while (taken.has(id));
      taken.add(id);
      // One new token for the case and its execution (the same text replaced in both).
      const token = newTaskToken(id);
      const again = (text: string) => JSON.parse(text.replaceAll(template.token, token).replaceAll(template.id, id));
      for (const item of again(template.caseItems) as Record<string, AttributeValue>[]) writes.push({ table: TABLE_NAME, item });
      for (const item of again(template.executionItems) as Record<string, AttributeValue>[])
        writes.push({ table: STATES_TABLE_NAME, item });
    }
    log(`ready: ${templates} real cases parked; writing ${writes.length} items of ${copies} copies`);
    const batches: (typeof writes)[] = [];
    for (let index = 0; index < writes.length; index += 25) batches.push(writes.slice(index, index + 25));
    let done = 0;
    await pool(batches, 8, async (batch) => {
      await batchWrite(raw, batch);
      done += 1;
      if (done % 2000 === 0) log(`ready: ${done * 25} of ${writes.length} items written`);
    });
    // The SMS sender's place in the table's stream is saved past the copies, as a running platform's would be.
    await bench.platform.smsDelivered();
    return { templates, copies, items: writes.length, seconds: round((Date.now() - started) / 1000) };
  } finally {
    raw.destroy();
    await bench.stop();
  }
}

interface Template {
  id: string;
  token: string;
  caseItems: string;
  executionItems: string;
}

/**
 * A parked case's items as JSON text — the case (its timeline left out) and its execution (its history left out):
 * what a restart reads and an action needs — or undefined before its token is stored.
 */
async function templateOf(client: DynamoDBClient, id: string): Promise<Template | undefined> {
  const caseItems = (await queryAll(client, TABLE_NAME, `EVENT#${id}`)).filter((item) => item.sk?.S === 'EVENT');
  const executionItems = (await queryAll(client, STATES_TABLE_NAME, `E#${LIFECYCLE_STATE_MACHINE_NAME}#${id}`)).filter(
    (item) => item.sk?.S === 'EXECUTION',
  );
  const token = caseItems[0]?.waitingTask?.M?.token?.S;
  if (!token || !executionItems[0]?.data?.S?.includes(token)) return undefined;
  return { id, token, caseItems: JSON.stringify(caseItems), executionItems: JSON.stringify(executionItems) };
}

async function queryAll(client: DynamoDBClient, table: string, pk: string): Promise<Record<string, AttributeValue>[]> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      ConsistentRead: true,
    }),
  );
  return Items;
}

async function batchWrite(client: DynamoDBClient, writes: { table: string; item: Record<string, AttributeValue> }[]): Promise<void> {
  let requests: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> = {};
  for (const { table, item } of writes) requests[table] = [...(requests[table] ?? []), { PutRequest: { Item: item } }];
  for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
    if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
    const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: requests }));
    requests = (UnprocessedItems ?? {}) as typeof requests;
    if (Object.keys(requests).length) await sleep(50 * (attempt + 1));
  }
}

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

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-(child.pid as number), 'SIGTERM');
  const overdue = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(overdue);
}
