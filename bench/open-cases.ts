/**
 * Open cases: 50,000 (--quick: 5,000) cases open at once, each a stored event whose lifecycle runs on
 * the local engine and waits on its clock (routed to its handler, deadline days away). 3,000 (--quick:
 * 100) are reported through the core's reportCase — what POST /events calls after parsing — 32 at a
 * time, in this process, skipping only the HTTP layer: every item of the catalog, the nine grids, the
 * items' default levels (2–4), each at its own place. The rest are copies of those as stored, under
 * fresh ids, whose lifecycles are started the way npm start resumes open cases after a restart (see
 * createdHow in the result).
 *
 * Then: resident memory (RSS) of this process — the whole local runtime: gateway, handlers, engine,
 * outbox — and of DynamoDB Local's JVM, read from /proc, before and after (after a full GC, and settled); the time to
 * list the 100 most urgent over HTTP (GET /events?unit=441302&sort=urgency&limit=100, as the district
 * center); and, with that many cases open, what two searches cost: the sweeper's pass (sweepUnstarted,
 * every 5 minutes in the cloud: it reads only open cases without a deadline) and a located report's
 * duplicate search (it reads the open cases of its item in the cells around it). And the district's counter items of the day: how many, and the
 * largest (a state change rewrites the items it adds to, billed by their whole size).
 */
import { BatchWriteItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { callerFromClaims } from '../shared/auth/caller';
import { localClient } from '../dev-server/dynamodb-local';
import { TABLE_NAME } from '../dev-server/local-platform';
import { likelyDuplicates } from '../shared/core/likely-duplicates';
import { newEventId } from '../shared/core/ids';
import { reportCase } from '../shared/core/report-case';
import { sweepUnstarted } from '../shared/core/sweep';
import { localDate, parseLocal, toLocalIso } from '../shared/domain/calendar';
import { nearbyCells } from '../shared/domain/geohash';
import { ReportEventBody } from '../shared/schemas/events';
import { sampleClaims } from '../bin/sample-users';
import { CallCounter, CapacityMeter, difference, itemSize } from './capacity';
import {
  call,
  collectGarbage,
  dynamoDbLocalPid,
  heapUsedMiB,
  percentile,
  pool,
  round,
  rssMiB,
  sleep,
  startBenchPlatform,
  waitFor,
  type BenchPart,
  type Row,
} from './lib';

const GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);
const HUICHENG = '441302';
const CONCURRENCY = 32;

export interface OpenCasesResult {
  cases: number;
  createdHow: string;
  createSeconds: number;
  createdPerSecond: number;
  reports: { cases: number; seconds: number; perSecond: number };
  copies: { cases: number; seconds: number; perSecond: number };
  /** DynamoDB calls while creating, per case (the report and its lifecycle up to the wait), and mean latency. */
  dynamoDbPerCase: Record<string, { calls: number; perUnit: number; meanMs: number }>;
  /** Transactions cancelled by a concurrent transaction on the same item (the day's counter items are shared by every change in the district). */
  transactionConflicts: number;
  runningExecutions: number;
  waitingOnClock: number;
  sampleChecked: { events: number; routedWithWaitingTask: number };
  memory: {
    runtimeRssBeforeMiB?: number;
    /** After the creation's garbage is collected; then settled (after: 3 s idle and a second collection). */
    runtimeRssRightAfterMiB?: number;
    runtimeRssAfterMiB?: number;
    runtimeRssPerThousandCasesMiB?: number;
    runtimeHeapUsedAfterMiB: number;
    /** V8's heap as reserved from the system, and memory outside it (buffers, native), after the GC. */
    runtimeHeapTotalAfterMiB: number;
    runtimeExternalAfterMiB: number;
    dynamoDbLocalRssBeforeMiB?: number;
    dynamoDbLocalRssAfterMiB?: number;
    note: string;
  };
  listMostUrgent100: {
    request: string;
    samples: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    readUnitsPerCall: number;
    itemsReturned: number;
    inOrder: boolean;
  };
  /** The heap it needs: heapGrowthMiB, from a full GC before it to its peak (sampled every 50 ms). */
  sweeperPass: {
    seconds: number;
    openCases: number;
    readUnits: number;
    rssBeforeMiB: number;
    rssPeakMiB: number;
    heapBeforeMiB: number;
    heapPeakMiB: number;
    heapGrowthMiB: number;
  };
  /** A located report's likely-duplicate search: the cells around it it reads, the open cases of its item found there. */
  duplicateSearch: { openCases: number; cellsRead: number; candidatesRead: number; ms: number; readUnits: number };
  /** The district's counter items of the day: how many, their bytes, the largest, and the most a part can hold (a name with every class and item). */
  counterItems: { key: string; items: number; bytes: number; largestKey: string; largestBytes: number; fullPartBytes: number };
}

export const openCasesPart: BenchPart<OpenCasesResult> = {
  key: 'openCases',
  title: 'Open cases waiting on their clocks',
  isolated: true,
  async run(ctx) {
    const cases = ctx.quick ? 5_000 : 50_000;
    const clockStart = parseLocal('2026-11-23 09:00');
    const bench = await startBenchPlatform({ timeScale: 1, clockStart });
    const rawClient = localClient(bench.platform.dynamoDbEndpoint);
    try {
      const { deps } = bench.platform;
      await sleep(500);
      collectGarbage();
      const javaPid = dynamoDbLocalPid();
      const runtimeRssBeforeMiB = rssMiB();
      const dynamoDbLocalRssBeforeMiB = javaPid ? rssMiB(javaPid) : undefined;
      ctx.log(
        `open cases: runtime RSS ${runtimeRssBeforeMiB} MiB, DynamoDB Local ${dynamoDbLocalRssBeforeMiB ?? '?'} MiB before; creating ${cases} cases`,
      );

      const counter = new CallCounter();
      for (const client of bench.platform.dynamoDbClients) counter.attach(client);
      const items = deps.catalog.allItems();
      const callers = GRIDS.map((grid) => callerFromClaims(sampleClaims(deps.directory, 'grid_worker', grid)));
      const real = ctx.quick ? 100 : 3_000;

      // 1. Real reports through the core, each at its own place (about 150 m apart).
      ctx.log(`open cases: ${real} reports through reportCase, ${CONCURRENCY} at a time`);
      const started = Date.now();
      const realIds = await pool(
        Array.from({ length: real }, (_, index) => index),
        CONCURRENCY,
        async (index) => {
          const item = items[index % items.length];
          const grid = Math.floor(index / items.length) % GRIDS.length;
          const body = ReportEventBody.parse({
            itemCode: item.code,
            gridCode: GRIDS[grid],
            description: `${item.name} 第${index + 1}件`,
            location: placeOf(index),
            reporter: { name: '居民', phone: `139${String(index).padStart(8, '0')}` },
          });
          const { case: event } = await reportCase(deps, { body, caller: callers[grid], clientId: 'bench' });
          return event.id;
        },
      );
      await waitFor(
        () => (bench.tracker.waited.size >= real ? true : undefined),
        "the reports' lifecycles to wait on their clocks",
        600_000,
        250,
      );
      const realSeconds = (Date.now() - started) / 1000;
      const dynamoDbPerCase = counter.summary(real);
      const transactionConflicts = counter.transactionConflicts;
      ctx.log(`open cases: ${real} reports routed and waiting in ${round(realSeconds)} s (${round(real / realSeconds)}/s)`);

      // 2. The rest: copies of those events as stored (event item and timeline, fresh ids, no waiting
      //    token), written with BatchWriteItem; then each lifecycle started as npm start resumes the open
      //    cases it finds after a restart: Register → the case's stage → Handle, which stores its token.
      const copies = cases - real;
      ctx.log(`open cases: ${copies} stored copies of them, their lifecycles started as after a restart`);
      const copyStarted = Date.now();
      // The driver's copies are let go before memory is read: what stays is the runtime's.
      const copyIds = await writeCopies(rawClient, realIds, copies, clockStart);
      let started2 = 0;
      await pool(copyIds, CONCURRENCY, async (id) => {
        await deps.workflow.start(id);
        started2 += 1;
        if (started2 % Math.round(copies / 5) === 0) ctx.log(`open cases: ${started2} copies started`);
        // Keep the engine from running far ahead of DynamoDB Local.
        while (bench.tracker.started.size - bench.tracker.waited.size > 256) await sleep(20);
      });
      await waitFor(() => (bench.tracker.waited.size >= cases ? true : undefined), 'every lifecycle to wait on its clock', 1_200_000, 250);
      const copySeconds = (Date.now() - copyStarted) / 1000;
      const createSeconds = (Date.now() - started) / 1000;
      await sleep(1000);

      const running = bench.platform.workflow.engine.runningExecutions();
      const sample = running.filter((_, index) => index % Math.max(1, Math.floor(running.length / 50)) === 0).slice(0, 50);
      const stored = await Promise.all(sample.map((id) => bench.probe.cases.get(id)));
      const routedWithWaitingTask = stored.filter(
        (entry) => entry?.case.stage === 'routed' && entry.waitingTask?.waitingFor === 'handling',
      ).length;

      collectGarbage();
      await sleep(500);
      const runtimeRssRightAfterMiB = rssMiB();
      // Settled: V8 gives the pages it freed back to the system lazily, once the process is idle.
      await sleep(3000);
      collectGarbage();
      await sleep(500);
      const runtimeRssAfterMiB = rssMiB();
      const runtimeAfter = process.memoryUsage();
      const dynamoDbLocalRssAfterMiB = javaPid ? rssMiB(javaPid) : undefined;
      ctx.log(
        `open cases: ${running.length} executions waiting; runtime RSS ${runtimeRssAfterMiB} MiB (V8 heap ${round(runtimeAfter.heapUsed / 2 ** 20)} used of ${round(runtimeAfter.heapTotal / 2 ** 20)} MiB), DynamoDB Local ${dynamoDbLocalRssAfterMiB ?? '?'} MiB (settled)`,
      );

      // From here on, what the reads cost (nothing else runs: every case waits on a clock days away).
      const meter = new CapacityMeter(rawClient);
      for (const client of bench.platform.dynamoDbClients) meter.attach(client);

      const district = bench.token('district_center', HUICHENG);
      const samples = ctx.quick ? 10 : 30;
      const path = `/events?unit=${HUICHENG}&sort=urgency&limit=100`;
      const latencies: number[] = [];
      let itemsReturned = 0;
      let inOrder = true;
      const beforeList = meter.snapshot();
      for (let index = 0; index < samples; index++) {
        const reply = await call(bench.platform.url, 'GET', path, { token: district });
        if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
        latencies.push(reply.ms);
        itemsReturned = reply.body.items.length;
        const keys = reply.body.items.map(
          (event: { severity: number; deadlineAt?: string }) => `${event.severity}#${event.deadlineAt ?? '9999'}`,
        );
        inOrder &&= keys.every((key: string, position: number) => position === 0 || keys[position - 1] <= key);
      }
      const listReads = difference(meter.snapshot(), beforeList).readUnits / samples;
      ctx.log(
        `open cases: most urgent 100: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms over ${samples} calls`,
      );

      ctx.log('open cases: one sweeper pass (sweepUnstarted) with every case open');
      collectGarbage();
      const heapBeforeSweepMiB = heapUsedMiB();
      const rssBeforeSweepMiB = rssMiB() ?? 0;
      const beforeSweep = meter.snapshot();
      let rssPeakMiB = rssMiB() ?? 0;
      let heapPeakMiB = heapUsedMiB();
      const sampler = setInterval(() => {
        rssPeakMiB = Math.max(rssPeakMiB, rssMiB() ?? 0);
        heapPeakMiB = Math.max(heapPeakMiB, heapUsedMiB());
      }, 50);
      const sweepStarted = performance.now();
      const swept = await sweepUnstarted(deps);
      const sweepSeconds = (performance.now() - sweepStarted) / 1000;
      clearInterval(sampler);
      const sweepReads = difference(meter.snapshot(), beforeSweep);
      if (swept.started.length) ctx.log(`open cases: the sweeper started ${swept.started.length} lifecycles it found missing`);

      const beforeDuplicates = meter.snapshot();
      const duplicateStarted = performance.now();
      // Where the first waterlogging report stands: it and its copies are open there.
      const duplicatePlace = placeOf(items.findIndex((item) => item.code === '02-03'));
      await likelyDuplicates(deps, { itemCode: '02-03', gridCode: GRIDS[0], location: duplicatePlace }, deps.clock.now());
      const duplicateMs = performance.now() - duplicateStarted;
      const duplicateReads = difference(meter.snapshot(), beforeDuplicates).readUnits;
      const since = new Date(deps.clock.now().getTime() - deps.policy.duplicateWindowHours * 3600_000);
      const duplicateCells = nearbyCells(duplicatePlace.lat, duplicatePlace.lng, deps.policy.duplicateRadiusMeters);
      const candidates = (await bench.probe.caseLists.recentOpenOfItemNear('02-03', duplicateCells, toLocalIso(since))).length;
      ctx.log(
        `open cases: sweeper pass ${round(sweepSeconds, 2)} s (${round(sweepReads.readUnits)} RRU); duplicate search ${round(duplicateMs)} ms (${round(duplicateReads)} RRU)`,
      );

      // The district's counter items of the day (one per counter name and per place; see table-design.ts).
      const day = localDate(clockStart);
      const { Items: dayItems = [] } = await rawClient.send(
        new QueryCommand({
          TableName: TABLE_NAME,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
          ExpressionAttributeValues: { ':pk': { S: `AGG#UNIT#${HUICHENG}` }, ':day': { S: `DAY#${day}#` } },
        }),
      );
      const largest = dayItems.reduce<Record<string, AttributeValue> | undefined>(
        (biggest, item) => (!biggest || itemSize(item) > itemSize(biggest) ? item : biggest),
        undefined,
      );
      // The largest a part can grow: one counter name with every class and item of the catalog.
      const codes = [...new Set(items.flatMap((item) => [item.classCode, item.code]))];
      const fullPart: Record<string, AttributeValue> = {
        pk: { S: `AGG#UNIT#${HUICHENG}` },
        sk: { S: `DAY#${day}#notAcknowledged` },
        scope: { S: `unit:${HUICHENG}` },
        day: { S: day },
        itemType: { S: 'counters' },
      };
      for (const suffix of ['', ...codes.map((code) => `@${code}`)]) fullPart[`notAcknowledged${suffix}`] = { N: '12345' };

      return {
        cases,
        createdHow: `${real} through the core's reportCase in this process (what POST /events does after parsing; ${CONCURRENCY} at a time): stored with timeline and counters in one transaction, lifecycle started, routed, waiting on the handling clock. The other ${copies}: copies of those as stored (event item and timeline entries under fresh ids, without the waiting token; BatchWriteItem), each lifecycle started with deps.workflow.start as npm start resumes open cases after a restart, so each runs Register → Handle and stores its own token. The copies are not in the day's counters.`,
        createSeconds: round(createSeconds),
        createdPerSecond: round(cases / createSeconds),
        reports: { cases: real, seconds: round(realSeconds), perSecond: round(real / realSeconds) },
        copies: { cases: copies, seconds: round(copySeconds), perSecond: round(copies / Math.max(copySeconds, 0.001)) },
        dynamoDbPerCase,
        transactionConflicts,
        runningExecutions: running.length,
        waitingOnClock: bench.tracker.waited.size,
        sampleChecked: { events: sample.length, routedWithWaitingTask },
        memory: {
          runtimeRssBeforeMiB,
          runtimeRssRightAfterMiB,
          runtimeRssAfterMiB,
          runtimeRssPerThousandCasesMiB:
            runtimeRssAfterMiB !== undefined && runtimeRssBeforeMiB !== undefined
              ? round(((runtimeRssAfterMiB - runtimeRssBeforeMiB) / cases) * 1000, 2)
              : undefined,
          runtimeHeapUsedAfterMiB: round(runtimeAfter.heapUsed / 2 ** 20),
          runtimeHeapTotalAfterMiB: round(runtimeAfter.heapTotal / 2 ** 20),
          runtimeExternalAfterMiB: round(runtimeAfter.external / 2 ** 20),
          dynamoDbLocalRssBeforeMiB,
          dynamoDbLocalRssAfterMiB,
          note: 'RSS of the child process this part runs in alone (the whole local runtime — gateway, handlers, workflow engine, outbox — plus the benchmark driver, which lets its copies go before the reading): right after creating the cases and a full GC, then settled (3 s idle and a second GC: V8 returns freed pages lazily). DynamoDB Local stands in for the table and holds the data: it runs in memory, as in the tests, with -Xmx1g (on a data folder, as under npm start, the data is in files instead).',
        },
        listMostUrgent100: {
          request: `GET ${path} (district center)`,
          samples,
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(percentile(latencies, 99)),
          maxMs: round(Math.max(...latencies)),
          readUnitsPerCall: round(listReads),
          itemsReturned,
          inOrder,
        },
        sweeperPass: {
          seconds: round(sweepSeconds, 2),
          openCases: cases,
          readUnits: round(sweepReads.readUnits),
          rssBeforeMiB: rssBeforeSweepMiB,
          rssPeakMiB: round(rssPeakMiB),
          heapBeforeMiB: heapBeforeSweepMiB,
          heapPeakMiB: round(heapPeakMiB),
          heapGrowthMiB: round(heapPeakMiB - heapBeforeSweepMiB),
        },
        duplicateSearch: {
          openCases: cases,
          cellsRead: duplicateCells.length,
          candidatesRead: candidates,
          ms: round(duplicateMs),
          readUnits: round(duplicateReads),
        },
        counterItems: {
          key: `AGG#UNIT#${HUICHENG} / DAY#${day}#<part>`,
          items: dayItems.length,
          bytes: dayItems.reduce((sum, item) => sum + itemSize(item), 0),
          largestKey: largest?.sk?.S ?? '',
          largestBytes: largest ? itemSize(largest) : 0,
          fullPartBytes: itemSize(fullPart),
        },
      };
    } finally {
      rawClient.destroy();
      await bench.stop();
    }
  },
  rows(result) {
    const m = result.memory;
    return [
      {
        figure: `${result.cases} open cases: ${result.reports.cases} reported + ${result.copies.cases} copies`,
        value: `${result.reports.perSecond}/s + ${result.copies.perSecond}/s (${result.createSeconds} s)`,
        met: null,
      },
      {
        figure: 'executions running, waiting on their clocks',
        value: `${result.runningExecutions} (${result.sampleChecked.routedWithWaitingTask}/${result.sampleChecked.events} sampled: routed + token stored)`,
        met: result.runningExecutions >= result.cases,
      },
      {
        figure: 'runtime RSS before → right after → settled',
        value: `${m.runtimeRssBeforeMiB} → ${m.runtimeRssRightAfterMiB} → ${m.runtimeRssAfterMiB} MiB (V8 heap in use ${m.runtimeHeapUsedAfterMiB} MiB)`,
        met: null,
      },
      memoryTargetRow(result),
      {
        figure: 'DynamoDB Local JVM RSS before → after',
        value: `${m.dynamoDbLocalRssBeforeMiB ?? '?'} → ${m.dynamoDbLocalRssAfterMiB ?? '?'} MiB`,
        met: null,
      },
      {
        figure: '100 most urgent: p50 / p99 (RRU per call)',
        value: `${result.listMostUrgent100.p50Ms} / ${result.listMostUrgent100.p99Ms} ms (${result.listMostUrgent100.readUnitsPerCall})`,
        met: null,
      },
      {
        figure: 'one sweeper pass with all these cases open',
        value: `${result.sweeperPass.seconds} s, ${result.sweeperPass.readUnits} RRU, heap +${result.sweeperPass.heapGrowthMiB} MiB`,
        met: null,
      },
      {
        figure: 'duplicate search of one located report',
        value: `${result.duplicateSearch.candidatesRead} read in ${result.duplicateSearch.cellsRead} cells, ${result.duplicateSearch.ms} ms, ${result.duplicateSearch.readUnits} RRU`,
        met: null,
      },
      {
        figure: 'district day counters: items, largest / most a part holds',
        value: `${result.counterItems.items} items, ${result.counterItems.largestBytes} / ${result.counterItems.fullPartBytes} bytes`,
        met: null,
      },
    ] satisfies Row[];
  },
};

/** The place of the index-th report: a lattice about 150 m apart. */
function placeOf(index: number): { lat: number; lng: number } {
  return { lat: 23.05 + Math.floor(index / 100) * 0.0015, lng: 114.3 + (index % 100) * 0.0015 };
}

const TARGET_CASES = 50_000;
const TARGET_RSS_MIB = 1024;

/** The target is for 50,000 cases; a smaller (--quick) run shows its growth per case projected to 50,000. */
function memoryTargetRow(result: OpenCasesResult): Row {
  const { runtimeRssBeforeMiB: before, runtimeRssAfterMiB: after } = result.memory;
  if (before === undefined || after === undefined)
    return { figure: 'runtime RSS with 50,000 cases open', value: 'not measured (no /proc)', met: null };
  if (result.cases >= TARGET_CASES)
    return {
      figure: `runtime RSS with ${result.cases} cases open`,
      value: `${after} MiB`,
      target: `< ${TARGET_RSS_MIB} MiB`,
      met: after < TARGET_RSS_MIB,
    };
  const projected = round(before + ((after - before) / result.cases) * TARGET_CASES);
  return {
    figure: `runtime RSS projected to ${TARGET_CASES} cases (from ${result.cases})`,
    value: `${projected} MiB`,
    target: `< ${TARGET_RSS_MIB} MiB`,
    met: null,
  };
}

/** Stores `copies` copies of the events under fresh ids (event item and timeline entries); returns their ids. */
async function writeCopies(client: DynamoDBClient, realIds: string[], copies: number, clockStart: Date): Promise<string[]> {
  const templates = await Promise.all(realIds.map((id) => storedItems(client, id)));
  const ids = new Set<string>(realIds);
  const copyIds: string[] = [];
  const writes: Record<string, AttributeValue>[] = [];
  for (let index = 0; index < copies; index++) {
    const template = templates[index % templates.length];
    let id: string;
    do id = newEventId(clockStart);
    while (ids.has(id));
    ids.add(id);
    copyIds.push(id);
    writes.push(...(JSON.parse(template.text.replaceAll(template.id, id)) as Record<string, AttributeValue>[]));
  }
  const batches = Array.from({ length: Math.ceil(writes.length / 25) }, (_, index) => writes.slice(index * 25, index * 25 + 25));
  await pool(batches, 8, (batch) => batchWrite(client, batch));
  return copyIds;
}

/** An event's stored items (the event and its timeline entries), as JSON text to copy under another id. */
async function storedItems(client: DynamoDBClient, id: string): Promise<{ id: string; text: string }> {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `EVENT#${id}` } },
      ConsistentRead: true,
    }),
  );
  // The waiting token belongs to the original's execution.
  const items = (Items ?? []).map(({ waitingTask: _token, ...item }) => item);
  return { id, text: JSON.stringify(items) };
}

async function batchWrite(client: DynamoDBClient, items: Record<string, AttributeValue>[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
    const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE_NAME]: requests } }));
    requests = (UnprocessedItems?.[TABLE_NAME] ?? []) as typeof requests;
    if (requests.length) await sleep(50 * (attempt + 1));
  }
}
