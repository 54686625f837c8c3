/**
 * A data folder holding many open cases, each waiting on its handler (its lifecycle parked on "Await handling"
 * with a task token stored on the case), for the parts that start the platform on one (ready, mixed).
 *
 * Seeded fast, not through HTTP: a few real reports through the core's reportCase on a platform on the data
 * folder, run until their lifecycles park; then copies of those as stored — the case's item (its waiting token
 * included; not its timeline) and its parked execution's item in `gridflow-local-states` (its token and timer;
 * not its history) — under fresh ids and fresh tokens, written straight into DynamoDB Local with
 * BatchWriteItem. The copies are not in the counters. The ids of every seeded case are kept in the folder
 * (OPEN_CASE_IDS_FILE), for a part that wants to pick among them.
 *
 * GRIDFLOW_BENCH_READY_DIR: a folder seeded once and kept (`<dir>/<open cases>`), reused by later runs (seeding
 * 50,000 takes minutes).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from '../dev-server/dynamodb-local';
import { TABLE_NAME } from '../dev-server/local-platform';
import { newTaskToken } from '../dev-server/step-functions/aws-errors';
import { STATES_TABLE_NAME } from '../dev-server/step-functions/dynamodb-execution-store';
import { LIFECYCLE_STATE_MACHINE_NAME } from '../dev-server/step-functions/arns';
import { callerFromClaims } from '../shared/auth/caller';
import { newEventId } from '../shared/core/ids';
import { reportCase } from '../shared/core/report-case';
import { ReportEventBody } from '../shared/schemas/events';
import { sampleClaims } from '../bin/sample-users';
import { pool, round, sleep, startBenchPlatform, waitFor } from './lib';

/** The nine grids of 金源社区 (441302010001) the seeded cases are reported in. */
export const SEEDED_GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);
/** Real reports whose stored items the copies are made from. */
const TEMPLATES = 36;
/** The environment variable naming a folder where seeded data folders are kept between runs. */
export const KEEP_SEEDED_DIR = 'GRIDFLOW_BENCH_READY_DIR';
const SEEDED_FILE = 'bench-ready-seeded.json';
/** The ids of the seeded cases (a JSON array), written by seed(). */
export const OPEN_CASE_IDS_FILE = 'bench-open-case-ids.json';

export interface Seeding {
  templates: number;
  copies: number;
  items: number;
  seconds: number;
}

export interface SeededFolder {
  dataDir: string;
  seeding: Seeding;
  /** Whether the seeding was done before (a kept folder) rather than in this run. */
  reused: boolean;
  /** The ids of the seeded cases. */
  ids(): string[];
  /** Removes what this run made (a fresh folder or a working copy); a kept folder stays. */
  remove(): void;
}

/**
 * A data folder with `openCases` open cases: seeded now in a temporary folder, or taken from the kept folder
 * (KEEP_SEEDED_DIR), seeded there first if it is not yet. `workingCopy`: a part that changes the cases runs on a
 * copy of the kept folder, which stays as seeded for the next run.
 */
export async function seededOpenCases(
  openCases: number,
  log: (line: string) => void,
  options: { prefix: string; workingCopy?: boolean },
): Promise<SeededFolder> {
  const kept = process.env[KEEP_SEEDED_DIR];
  if (!kept) {
    const dataDir = mkdtempSync(join(tmpdir(), options.prefix));
    try {
      const seeding = await seed(dataDir, openCases, log);
      return {
        dataDir,
        seeding,
        reused: false,
        ids: () => seededIds(dataDir),
        remove: () => rmSync(dataDir, { recursive: true, force: true }),
      };
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const keptDir = join(kept, String(openCases));
  const seededFile = join(keptDir, SEEDED_FILE);
  const reused = existsSync(seededFile);
  const seeding: Seeding = reused ? JSON.parse(readFileSync(seededFile, 'utf8')) : await seed(keptDir, openCases, log);
  writeFileSync(seededFile, JSON.stringify(seeding));
  if (!options.workingCopy) return { dataDir: keptDir, seeding, reused, ids: () => seededIds(keptDir), remove: () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), options.prefix));
  const copying = Date.now();
  cpSync(keptDir, dataDir, { recursive: true });
  log(`seeding: the kept folder ${keptDir} copied to ${dataDir} in ${round((Date.now() - copying) / 1000)} s`);
  return { dataDir, seeding, reused, ids: () => seededIds(dataDir), remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

function seededIds(dataDir: string): string[] {
  const file = join(dataDir, OPEN_CASE_IDS_FILE);
  if (!existsSync(file))
    throw new Error(`${file} is missing: the folder was seeded before the ids were kept; remove ${dataDir} to seed it again`);
  return JSON.parse(readFileSync(file, 'utf8')) as string[];
}

/** Real cases parked on their handlers, then copies of them, into the data folder; the platform is stopped after. */
export async function seed(dataDir: string, openCases: number, log: (line: string) => void): Promise<Seeding> {
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
        const grid = index % SEEDED_GRIDS.length;
        const body = ReportEventBody.parse({
          itemCode: items[index % items.length].code,
          gridCode: SEEDED_GRIDS[grid],
          description: `重启测试 第${index + 1}件`,
          reporter: { name: '居民', phone: `139${String(index).padStart(8, '0')}` },
        });
        const caller = callerFromClaims(sampleClaims(deps.directory, 'grid_worker', SEEDED_GRIDS[grid]));
        return (await reportCase(deps, { body, caller, clientId: 'bench' })).case.id;
      },
    );
    await waitFor(() => (bench.tracker.waited.size >= templates ? true : undefined), 'the templates to park', 120_000, 100);
    // Parked means written: the execution item holds its token once the task is dispatched.
    const stored = await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => templateOf(raw, id)));
        const found = all.flatMap((each) => (each === undefined ? [] : [each]));
        return found.length === all.length ? found : undefined;
      },
      'the templates’ tokens to be stored',
      60_000,
      200,
    );
    const copies = openCases - templates;
    const taken = new Set(ids);
    const writes: { table: string; item: Record<string, AttributeValue> }[] = [];
    for (let index = 0; index < copies; index++) {
      const template = stored[index % stored.length];
      let id: string;
      do id = newEventId(clockStart);
      while (taken.has(id));
      taken.add(id);
      // One new token for the case and its execution (the same text replaced in both).
      const token = newTaskToken(id);
      const again = (text: string) => JSON.parse(text.replaceAll(template.token, token).replaceAll(template.id, id));
      for (const item of again(template.caseItems) as Record<string, AttributeValue>[]) writes.push({ table: TABLE_NAME, item });
      for (const item of again(template.executionItems) as Record<string, AttributeValue>[])
        writes.push({ table: STATES_TABLE_NAME, item: submitted(item) });
    }
    log(`seeding: ${templates} real cases parked; writing ${writes.length} items of ${copies} copies`);
    const batches: (typeof writes)[] = [];
    for (let index = 0; index < writes.length; index += 25) batches.push(writes.slice(index, index + 25));
    let done = 0;
    await pool(batches, 8, async (batch) => {
      await batchWrite(raw, batch);
      done += 1;
      if (done % 2000 === 0) log(`seeding: ${done * 25} of ${writes.length} items written`);
    });
    // The SMS sender's place in the table's stream is saved past the copies, as a running platform's would be.
    await bench.platform.smsDelivered();
    writeFileSync(join(dataDir, OPEN_CASE_IDS_FILE), JSON.stringify([...taken]));
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

/**
 * The execution item as a clean stop leaves it: its task's function has returned (the token is on the case), so a
 * restart does not call it again. The template was read while its platform ran, before that was written.
 */
function submitted(item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const execution = JSON.parse(item.data?.S ?? '{}');
  if (!execution.parked) return item;
  return { ...item, data: { S: JSON.stringify({ ...execution, parked: { ...execution.parked, submitted: true } }) } };
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
