/**
 * Reports: the time to build the district's monthly bulletin (月通报) over a month of 1,000 events and
 * over 100,000 (--quick: 5,000), and their ratio (target: no more than 2×); and, on the small month, with no
 * case open and with 50,000 open (--quick: 10,000): p99 of 30 builds each (target under 100 ms) and their ratio.
 * Each month is timed twice: as the day's writes leave it (every counter part spread over its shards), then
 * after the nightly fold-counters job's work (foldDays over the month: one item per day and scope), which is
 * what a bulletin reads on the 1st; the 50,000 open are timed on the folded month.
 * The open cases are stored as the case store stores them (each case item with its index keys, written in
 * batches) and counted as its changes count them (the standing `open` counters, through the store's own
 * counter writes); one in twenty is overdue, so the bulletin's overdue list is full.
 *
 * Each month's history is made as the product would have recorded it: every synthetic case (reported,
 * routed, handled on time or overdue, some returned, some rated, closed) goes through the product's own
 * counter rules (`countersFor`), the per-day counter items are written with those sums, and the closed
 * event items themselves are stored with their index keys. Building the report then reads what a real
 * month would leave behind. Running every case through its workflow would take hours at this size.
 */
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { counterUpdates } from '../shared/adapters/dynamodb/counter-writes';
import { openCounts } from '../shared/core/changes';
import { toLocalIso } from '../shared/domain/calendar';
import { parsePeriod } from '../shared/domain/periods';
import type { Assignee, Case, Severity } from '../shared/domain/types';
import { countersFor, type CounterEntry } from '../shared/core/changes';
import { foldDays } from '../shared/core/fold-counters';
import { buildReport } from '../shared/core/reports/build-report';
import { caseIndexAttributes, counterPart, counterShard, GSI, indexKeys, keys } from '../shared/adapters/dynamodb/table-design';
import { TABLE_NAME } from '../dev-server/local-platform';
import { localClient } from '../dev-server/dynamodb-local';
import { fmt, percentile, startBenchPlatform, type BenchPart } from './lib';

export interface ReportsResult {
  what: string;
  sizes: {
    events: number;
    seedSeconds: number;
    counterItems: number;
    /** As the writes left the month: every part in its shards. */
    unfoldedBuildMsP50: number;
    /** The time foldDays took over the month, and the items it folded away. */
    foldSeconds: number;
    itemsFolded: number;
    /** Folded (what the bulletin reads on the 1st). */
    buildMsP50: number;
    buildMsRuns: number[];
    reportedInReport: number;
  }[];
  ratio: number;
  targetRatioAtMost: number;
  openCases: {
    what: string;
    open: number;
    seedSeconds: number;
    /** The month unfolded, no case open: the figure before the fold. */
    unfoldedNoneOpen: { buildMsP50: number; buildMsP99: number };
    noneOpen: { buildMsP50: number; buildMsP99: number };
    withOpen: { buildMsP50: number; buildMsP99: number; openInReport: number; overdueListed: number };
    /** p99 with them open ÷ p99 with none. */
    ratio: number;
    targetP99MsUnder: number;
  };
}

const MONTH = '2026-11';
const RUNS = 7;
/** Builds timed with and without the open cases (p99 of these). */
const OPEN_RUNS = 30;

export const reportsPart: BenchPart<ReportsResult> = {
  key: 'reports',
  title: 'Reports (monthly bulletin)',
  async run(ctx) {
    const sizes = ctx.quick ? [1_000, 5_000] : [1_000, 100_000];
    const results: ReportsResult['sizes'] = [];
    let openCases: ReportsResult['openCases'] | undefined;
    for (const events of sizes) {
      const bench = await startBenchPlatform({ clockStart: new Date('2026-12-01T07:00:00+08:00') });
      try {
        ctx.log(`reports: seeding a month of ${events.toLocaleString('en')} events`);
        const started = performance.now();
        const counterItems = await seedMonth(
          bench.platform.dynamoDbEndpoint,
          bench.platform.deps.directory.gridWorkers.bind(bench.platform.deps.directory),
          events,
        );
        const seedSeconds = (performance.now() - started) / 1000;
        const scope = { kind: 'unit' as const, code: '441302', name: '惠城区', level: 'district' as const };
        const build = () => buildReport(bench.platform.deps, 'monthly', scope, parsePeriod('monthly', MONTH));
        const small = events === sizes[0];
        const timeMonth = async () => {
          const runs: number[] = [];
          let report: Awaited<ReturnType<typeof build>> | undefined;
          // Two untimed builds first: the first ones pay for JIT compilation and DynamoDB Local's warm-up.
          for (let run = 0; run < RUNS + 2; run++) {
            const begin = performance.now();
            report = await build();
            if (run >= 2) runs.push(performance.now() - begin);
          }
          if (report?.totals.reported !== events) throw new Error(`the bulletin counted ${report?.totals.reported} reports, not ${events}`);
          return runs;
        };
        const unfoldedRuns = await timeMonth();
        const unfoldedNone = small ? await timedBuilds(build) : undefined;
        const foldStarted = performance.now();
        const { from, to } = parsePeriod('monthly', MONTH);
        const itemsFolded = await foldDays(bench.platform.deps, from, to);
        const foldSeconds = (performance.now() - foldStarted) / 1000;
        const runs = await timeMonth();
        results.push({
          events,
          seedSeconds: round(seedSeconds),
          counterItems,
          unfoldedBuildMsP50: round(percentile(unfoldedRuns, 50)),
          foldSeconds: round(foldSeconds),
          itemsFolded,
          buildMsP50: round(percentile(runs, 50)),
          buildMsRuns: runs.map(round),
          reportedInReport: events,
        });
        ctx.log(
          `reports: ${events} events → bulletin in ${fmt(percentile(unfoldedRuns, 50), 1)} ms unfolded, ${fmt(percentile(runs, 50), 1)} ms folded (p50 of ${RUNS}; the fold took ${fmt(foldSeconds, 1)} s, ${itemsFolded} items)`,
        );
        if (small && unfoldedNone) {
          const none = await timedBuilds(build);
          const count = ctx.quick ? 10_000 : 50_000;
          ctx.log(`reports: storing ${count.toLocaleString('en')} open cases`);
          const seedStarted = performance.now();
          await seedOpenCases(bench.platform.dynamoDbEndpoint, count);
          const seedSeconds = (performance.now() - seedStarted) / 1000;
          const withOpen = await timedBuilds(build);
          const report = await build();
          if (report.open !== count) throw new Error(`the bulletin counted ${report.open} open cases, not ${count}`);
          openCases = {
            what: `the same bulletin (${MONTH}, ${events.toLocaleString('en')} events, its days folded) with no case open, then with ${count.toLocaleString('en')} open (1 in 20 overdue): buildReport timed in process, ${OPEN_RUNS} runs each`,
            open: count,
            seedSeconds: round(seedSeconds),
            unfoldedNoneOpen: unfoldedNone,
            noneOpen: none,
            withOpen: { ...withOpen, openInReport: report.open ?? 0, overdueListed: report.overdueList.length },
            ratio: Math.round((100 * withOpen.buildMsP99) / none.buildMsP99) / 100,
            targetP99MsUnder: 100,
          };
          ctx.log(
            `reports: ${count} open → bulletin p99 ${fmt(withOpen.buildMsP99, 1)} ms (none open: ${fmt(none.buildMsP99, 1)} ms; unfolded, none open: ${fmt(unfoldedNone.buildMsP99, 1)} ms), ratio ${fmt(openCases.ratio, 2)}`,
          );
        }
      } finally {
        await bench.stop();
      }
    }
    if (!openCases) throw new Error('reports: the open-cases bulletin was not timed');
    return {
      what: `GET /reports/monthly for the district (441302), ${MONTH}: buildReport timed in process, p50 of ${RUNS} runs each`,
      sizes: results,
      ratio: round(results[1].buildMsP50 / results[0].buildMsP50),
      targetRatioAtMost: 2,
      openCases,
    };
  },
  rows: (result) => [
    ...result.sizes.map((size) => ({
      figure: `monthly bulletin over ${size.events.toLocaleString('en')} events: unfolded → folded (p50)`,
      value: `${fmt(size.unfoldedBuildMsP50, 1)} → ${fmt(size.buildMsP50, 1)} ms (fold ${fmt(size.foldSeconds, 1)} s)`,
    })),
    { figure: 'bulletin time ratio (large / small)', value: fmt(result.ratio, 2), target: '≤ 2', met: result.ratio <= 2 },
    {
      figure: 'monthly bulletin unfolded, no case open: p50, p99',
      value: `${fmt(result.openCases.unfoldedNoneOpen.buildMsP50, 1)} ms, ${fmt(result.openCases.unfoldedNoneOpen.buildMsP99, 1)} ms`,
    },
    {
      figure: 'monthly bulletin, no case open: p50, p99',
      value: `${fmt(result.openCases.noneOpen.buildMsP50, 1)} ms, ${fmt(result.openCases.noneOpen.buildMsP99, 1)} ms`,
    },
    {
      figure: `monthly bulletin, ${result.openCases.open.toLocaleString('en')} open: p50, p99`,
      value: `${fmt(result.openCases.withOpen.buildMsP50, 1)} ms, ${fmt(result.openCases.withOpen.buildMsP99, 1)} ms`,
      target: 'p99 < 100 ms',
      met: result.openCases.withOpen.buildMsP99 < 100,
    },
    { figure: 'bulletin p99 ratio (open / none open)', value: fmt(result.openCases.ratio, 2) },
  ],
};

/** Writes a month of closed cases: their event items and the counters they would have left. */
async function seedMonth(endpoint: string, gridWorkers: (grid: string) => { id: string; name: string }[], count: number): Promise<number> {
  const client = localClient(endpoint);
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counters = new Map<string, { pk: string; sk: string; counts: Record<string, number> }>();
  const eventItems: Record<string, unknown>[] = [];
  const random = seededRandom(count);
  const items = ['01-01', '01-02', '01-04', '02-03', '03-08', '04-06'];
  for (let index = 0; index < count; index++) {
    const grid = `44130201000100${(index % 9) + 1}`;
    const itemCode = items[index % items.length];
    const day = 1 + Math.floor(random() * 30);
    const at = new Date(`${MONTH}-${String(day).padStart(2, '0')}T10:00:00+08:00`);
    const team: Assignee =
      index % 3 === 0
        ? { type: 'department', id: index % 2 ? 'urban-management' : 'housing-construction', name: 'team', unit: '441302010' }
        : { type: 'person', id: gridWorkers(grid)[0]?.id ?? 'gw', name: 'worker', unit: grid };
    const onTime = random() < 0.8;
    const event = closedEvent(
      `E${MONTH.replace('-', '')}${String(day).padStart(2, '0')}-${String(index).padStart(6, '0')}`,
      grid,
      itemCode,
      team,
      at,
      onTime,
    );
    const changes: [CounterEntry[], Assignee | null][] = [
      [['reported'], null],
      [['routed'], team],
      [onTime ? ['handled', 'handledOnTime'] : ['overdue', 'handled'], team],
      ...(random() < 0.05 && team.type === 'department' ? ([[['returned'], team]] as [CounterEntry[], Assignee][]) : []),
      ...(random() < 0.3 ? ([[['rated', ['ratingTotal', 3 + Math.floor(random() * 3)]], null]] as [CounterEntry[], null][]) : []),
      [onTime ? ['closed', 'closedOnTime'] : ['closed'], null],
    ];
    for (const [entries, against] of changes) {
      for (const increment of countersFor(event, entries, at, against)) {
        // Into the items the store keeps them in (one per counter name or place; see table-design.ts).
        for (const [name, amount] of Object.entries(increment.counts)) {
          const key = keys.counters(increment.scope.kind, increment.scope.code, increment.day, counterPart(name), counterShard(event.id));
          const id = `${key.pk}|${key.sk}`;
          const entry = counters.get(id) ?? { ...key, counts: {} };
          entry.counts[name] = (entry.counts[name] ?? 0) + amount;
          counters.set(id, entry);
        }
      }
    }
    eventItems.push({
      ...event,
      ...keys.event(event.id),
      itemType: 'event',
      [GSI.byUnit.partitionKey]: indexKeys.byUnit(grid, 'closed'),
      [GSI.byUnit.sortKey]: `${grid}#${event.createdAt}#${event.id}`,
    });
  }
  const counterItems = [...counters.values()].map(({ pk, sk, counts }) => ({ pk, sk, itemType: 'counters', ...counts }));
  await writeAll(documents, [...counterItems, ...eventItems]);
  client.destroy();
  return counterItems.length;
}

/** p50 and p99 of OPEN_RUNS builds, after two untimed ones. */
async function timedBuilds(build: () => Promise<unknown>): Promise<{ buildMsP50: number; buildMsP99: number }> {
  const runs: number[] = [];
  for (let run = 0; run < OPEN_RUNS + 2; run++) {
    const begin = performance.now();
    await build();
    if (run >= 2) runs.push(performance.now() - begin);
  }
  return { buildMsP50: round(percentile(runs, 50)), buildMsP99: round(percentile(runs, 99)) };
}

/**
 * Stores `count` open cases of the district's nine grids as the case store stores them (the case item with its
 * index keys), in batches, and counts them open through the store's own counter writes (one transaction per
 * batch, the batch's open counts merged): what `count` reports left open would leave.
 */
async function seedOpenCases(endpoint: string, count: number): Promise<void> {
  const client = localClient(endpoint);
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const batches: Case[][] = [];
  for (let start = 0; start < count; start += 25) {
    batches.push(
      Array.from({ length: Math.min(25, count - start) }, (_, offset) => {
        const index = start + offset;
        const grid = `44130201000100${(index % 9) + 1}`;
        const at = new Date(Date.parse('2026-11-01T09:00:00+08:00') + index * 60_000);
        return openEvent(`E20261130-O${String(index).padStart(6, '0')}`, grid, at, index % 20 === 0);
      }),
    );
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      let requests = batch.map((event) => ({
        PutRequest: { Item: { ...event, ...keys.event(event.id), itemType: 'event', ...caseIndexAttributes(event) } },
      }));
      while (requests.length > 0) {
        const result = await documents.send(new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: requests } }));
        requests = (result.UnprocessedItems?.[TABLE_NAME] ?? []) as typeof requests;
      }
      const opened = batch.flatMap((event) => openCounts(undefined, event));
      await documents.send(new TransactWriteCommand({ TransactItems: counterUpdates(TABLE_NAME, opened, batch[0].id) }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  client.destroy();
}

function openEvent(id: string, gridCode: string, at: Date, overdue: boolean): Case {
  const iso = toLocalIso(at);
  const assignee: Assignee = { type: 'person', id: 'gw', name: 'worker', unit: gridCode };
  return {
    id,
    itemCode: '01-01',
    classCode: '01',
    gridCode,
    description: 'benchmark open case',
    severity: (1 + (Number(id.slice(-1)) % 4)) as Severity,
    photos: [],
    source: 'grid_worker',
    reportedBy: { id: 'bench', name: 'bench', role: 'grid_worker' },
    status: 'open',
    stage: 'handling',
    tier: 'grid',
    assignee,
    involvedDepartments: [],
    overdue,
    needsAcceptance: false,
    deadlineAt: toLocalIso(new Date(at.getTime() + 3 * 86_400_000)),
    createdAt: iso,
    updatedAt: iso,
    version: 3,
  };
}

function closedEvent(id: string, gridCode: string, itemCode: string, assignee: Assignee, at: Date, onTime: boolean): Case {
  const iso = toLocalIso(at);
  return {
    id,
    itemCode,
    classCode: itemCode.slice(0, 2),
    gridCode,
    description: 'benchmark history',
    severity: 4 as Severity,
    photos: [],
    source: 'grid_worker',
    reportedBy: { id: 'bench', name: 'bench', role: 'grid_worker' },
    status: 'closed',
    stage: 'archived',
    tier: assignee.type === 'department' ? 'town' : 'grid',
    assignee,
    involvedDepartments: assignee.type === 'department' ? [`${assignee.unit}:${assignee.id}`] : [],
    overdue: !onTime,
    needsAcceptance: false,
    handledOnTime: onTime,
    createdAt: iso,
    updatedAt: iso,
    closedAt: iso,
    version: 6,
  };
}

async function writeAll(documents: DynamoDBDocumentClient, items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let index = 0; index < items.length; index += 25) batches.push(items.slice(index, index + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++].map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await documents.send(new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: requests } }));
        requests = (result.UnprocessedItems?.[TABLE_NAME] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** A small deterministic generator, so both sizes have the same shape of month. */
function seededRandom(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
