/**
 * Reports: the time to build the district's monthly bulletin (月通报) over a month of 1,000 events and
 * over 100,000 (--quick: 10,000), and their ratio (target: no more than 2×).
 *
 * Each month's history is made as the product would have recorded it: every synthetic case (reported,
 * routed, handled on time or overdue, some returned, some rated, closed) goes through the product's own
 * counter rules (`countersFor`), the per-day counter items are written with those sums, and the closed
 * event items themselves are stored with their index keys. Building the report then reads what a real
 * month would leave behind. Running every case through its workflow would take hours at this size.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toLocalIso } from '../shared/domain/calendar';
import { parsePeriod } from '../shared/domain/periods';
import type { Assignee, Case, Severity } from '../shared/domain/types';
import { districtOf } from '../shared/domain/unit-codes';
import { countersFor, type CounterEntry } from '../shared/core/changes';
import { buildReport } from '../shared/core/reports/build-report';
import { counterPart, counterShard, GSI, keys } from '../shared/adapters/dynamodb/table-design';
import { TABLE_NAME } from '../dev-server/local-platform';
import { localClient } from '../dev-server/dynamodb-local';
import { fmt, percentile, startBenchPlatform, type BenchPart } from './lib';

export interface ReportsResult {
  what: string;
  sizes: {
    events: number;
    seedSeconds: number;
    counterItems: number;
    buildMsP50: number;
    buildMsRuns: number[];
    reportedInReport: number;
  }[];
  ratio: number;
  targetRatioAtMost: number;
}

const MONTH = '2026-11';
const RUNS = 7;

export const reportsPart: BenchPart<ReportsResult> = {
  key: 'reports',
  title: 'Reports (monthly bulletin)',
  async run(ctx) {
    const sizes = ctx.quick ? [1_000, 5_000] : [1_000, 100_000];
    const results: ReportsResult['sizes'] = [];
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
        const runs: number[] = [];
        let reported = 0;
        // Two untimed builds first: the first ones pay for JIT compilation and DynamoDB Local's warm-up.
        for (let run = 0; run < RUNS + 2; run++) {
          const begin = performance.now();
          const report = await buildReport(bench.platform.deps, 'monthly', scope, parsePeriod('monthly', MONTH));
          if (run >= 2) runs.push(performance.now() - begin);
          reported = report.totals.reported;
        }
        if (reported !== events) throw new Error(`the bulletin counted ${reported} reports, not ${events}`);
        results.push({
          events,
          seedSeconds: round(seedSeconds),
          counterItems,
          buildMsP50: round(percentile(runs, 50)),
          buildMsRuns: runs.map(round),
          reportedInReport: reported,
        });
        ctx.log(`reports: ${events} events → bulletin in ${fmt(percentile(runs, 50), 1)} ms (p50 of ${RUNS})`);
      } finally {
        await bench.stop();
      }
    }
    return {
      what: `GET /reports/monthly for the district (441302), ${MONTH}: buildReport timed in process, p50 of ${RUNS} runs each`,
      sizes: results,
      ratio: round(results[1].buildMsP50 / results[0].buildMsP50),
      targetRatioAtMost: 2,
    };
  },
  rows: (result) => [
    ...result.sizes.map((size) => ({
      figure: `monthly bulletin over ${size.events.toLocaleString('en')} events`,
      value: `${fmt(size.buildMsP50, 1)} ms`,
    })),
    { figure: 'bulletin time ratio (large / small)', value: fmt(result.ratio, 2), target: '≤ 2', met: result.ratio <= 2 },
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
      [GSI.byUnit.partitionKey]: `${districtOf(grid)}#closed`,
      [GSI.byUnit.sortKey]: `${grid}#${event.createdAt}#${event.id}`,
    });
  }
  const counterItems = [...counters.values()].map(({ pk, sk, counts }) => ({ pk, sk, itemType: 'counters', ...counts }));
  await writeAll(documents, [...counterItems, ...eventItems]);
  client.destroy();
  return counterItems.length;
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
