/**
 * Flood conflicts (issue 11, item 3): what AWS's rule for transactions does to a flood of reports in one
 * district. DynamoDB cancels a transaction that touches an item another transaction is still committing
 * (`TransactionConflict`, which the SDK does not retry); DynamoDB Local serialises transactions and never
 * does. Here every report goes through the product's own `reportCase` and case store, on a DynamoDB client
 * whose middleware applies the rule: a TransactWriteItems touching an item held by one admitted less than
 * COMMIT_MS ago is cancelled with `TransactionConflict` on the items held (the product's retry policy,
 * TRANSACTION_CONFLICT_RETRY, then backs off and tries again); one admitted holds its items for COMMIT_MS
 * and then counts as committed (nothing is sent to DynamoDB: only the product's transactions and the rule
 * are measured, so the machine's speed hardly enters). Reports arrive at random at a mean rate of 5, 20 and
 * 100 a second (a Poisson process, seeded) from the nine grids' workers (waterlogging, levels 2 and 3, as in
 * the flood part), for two layouts:
 *
 * - before: the counter items as they were before shards (one item per counter part and day, no standing
 *   open count), modelled by mapping each sharded counter key to its unsharded item;
 * - after: the table as it is (COUNTER_SHARDS per part, the shard from the case id).
 *
 * A failed report is one whose transaction was still cancelled after the policy's retries (a 500 to the
 * reporter). After each run what the committed transactions added to the district's `reported` counters,
 * summed over their shards, must equal the reports that succeeded.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { localClient } from '../dev-server/dynamodb-local';
import { TABLE_NAME } from '../dev-server/local-platform';
import { DynamoDbCaseStore } from '../shared/adapters/dynamodb/dynamodb-case-store';
import { PageCursors } from '../shared/adapters/dynamodb/cursors';
import { SingleTable, TRANSACTION_CONFLICT_RETRY } from '../shared/adapters/dynamodb/single-table';
import { COUNTER_SHARDS } from '../shared/adapters/dynamodb/table-design';
import { reportCase } from '../shared/core/report-case';
import { parseLocal } from '../shared/domain/calendar';
import type { Caller } from '../shared/domain/caller';
import { fmt, percentile, round, startBenchPlatform, type BenchPart, type Row } from './lib';

/** How long a committing transaction holds its items (the model's figure for AWS). */
export const COMMIT_MS = 25;
const RATES = [5, 20, 100];
const GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);
const TARGET_FAILED_PERCENT = 0.1;

type Layout = 'before' | 'after';

interface RateResult {
  reportsPerSecond: number;
  reports: number;
  /** Transactions cancelled by the rule (each retried by the policy until it runs out). */
  conflicts: number;
  /** Reports whose transaction was still cancelled after every retry. */
  failed: number;
  failedPercent: number;
  /** From the call to reportCase to its return (stored and routed), retries included. */
  reportP50Ms: number;
  reportP99Ms: number;
  /** The district's `reported` summed over its counter items = the reports stored. */
  districtReported: number;
  /** Which items the conflicts were on (a unit's day counters, a person's, a team's, …). */
  conflictsByItem: Record<string, number>;
}

export interface ConflictsResult {
  what: string;
  commitMs: number;
  counterShards: number;
  retry: { retries: number; maxWaitMs: number };
  layouts: Record<Layout, RateResult[]>;
  targetFailedPercentAt100: number;
}

export const conflictsPart: BenchPart<ConflictsResult> = {
  key: 'conflicts',
  title: 'Flood conflicts (AWS transaction rule, modelled)',
  async run(ctx) {
    const seconds = ctx.quick ? 8 : 30;
    const layouts: Record<Layout, RateResult[]> = { before: [], after: [] };
    for (const layout of ['before', 'after'] as const) {
      for (const rate of RATES) {
        const result = await floodAt(rate, seconds, layout);
        layouts[layout].push(result);
        ctx.log(
          `conflicts: ${layout}, ${rate}/s × ${seconds} s: ${result.conflicts} conflicts, ${result.failed} of ${result.reports} failed (${fmt(result.failedPercent, 2)}%), report p99 ${fmt(result.reportP99Ms, 0)} ms`,
        );
      }
    }
    return {
      what: `reports of one district arriving at random (Poisson) at each mean rate for ${seconds} s, through reportCase and the case store; a transaction touching an item held by one admitted < ${COMMIT_MS} ms before is cancelled (TransactionConflict)`,
      commitMs: COMMIT_MS,
      counterShards: COUNTER_SHARDS,
      retry: { retries: TRANSACTION_CONFLICT_RETRY.retries, maxWaitMs: 400 },
      layouts,
      targetFailedPercentAt100: TARGET_FAILED_PERCENT,
    };
  },
  rows: (result) =>
    (['before', 'after'] as const).flatMap((layout) =>
      result.layouts[layout].map((entry): Row => {
        const judged = layout === 'after' && entry.reportsPerSecond === 100;
        return {
          figure: `${layout === 'before' ? 'before shards' : `after (${result.counterShards} shards)`}: ${entry.reportsPerSecond} reports/s — conflicts, failed`,
          value: `${entry.conflicts} conflicts; ${entry.failed} of ${entry.reports} failed (${fmt(entry.failedPercent, 2)}%); p99 ${fmt(entry.reportP99Ms, 0)} ms`,
          ...(judged ? { target: `< ${TARGET_FAILED_PERCENT}% failed`, met: entry.failedPercent < TARGET_FAILED_PERCENT } : {}),
        };
      }),
    ),
};

async function floodAt(rate: number, seconds: number, layout: Layout): Promise<RateResult> {
  const bench = await startBenchPlatform({ clockStart: parseLocal('2026-06-15 22:00') });
  const client = localClient(bench.platform.dynamoDbEndpoint);
  try {
    const rule = new ConflictRule(COMMIT_MS, layout === 'before' ? unshardedItem : (key) => key);
    client.middlewareStack.add(rule.middleware as never, { step: 'build', name: 'awsTransactionConflictRule' });
    const table = new SingleTable(client, TABLE_NAME);
    const deps = {
      ...bench.platform.deps,
      cases: new DynamoDbCaseStore(table, new PageCursors()),
      // Only the report's own write is measured: no lifecycle, no SMS.
      workflow: { start: async () => {}, sendTaskSuccess: async () => true },
      notifier: { send: async () => ({ messageId: 'bench' }) },
    };
    const callers = GRIDS.map((grid) => workerOf(bench.platform.deps.directory, grid));
    const reports = rate * seconds;
    const latencies: number[] = [];
    let failed = 0;
    const pending: Promise<void>[] = [];
    // Arrivals at random (a Poisson process at `rate`, seeded): a flood's reports do not queue up politely.
    const random = seededRandom(rate);
    const started = performance.now();
    let due = started;
    for (let index = 0; index < reports; index++) {
      due += (-Math.log(1 - random()) * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const caller = callers[index % callers.length];
      const severity = index % 2 ? 2 : 3;
      pending.push(
        (async () => {
          const begin = performance.now();
          try {
            await reportCase(deps as never, {
              caller,
              clientId: 'bench',
              body: {
                itemCode: '02-03',
                gridCode: caller.units[0],
                severity,
                description: severity === 2 ? '路面积水没过膝盖，车辆无法通行' : '路面积水没过脚踝',
                photos: [],
              } as never,
            });
            latencies.push(performance.now() - begin);
          } catch (error) {
            if (!(error instanceof TransactionCanceledException) && (error as Error).name !== 'TransactionCanceledException') throw error;
            failed++;
          }
        })(),
      );
    }
    await Promise.all(pending);
    // The shards sum exactly: what the committed transactions added to the district's `reported` = the reports stored.
    const districtReported = rule.sum('AGG#UNIT#441302', 'reported');
    if (districtReported !== reports - failed)
      throw new Error(`the district's counters sum to ${districtReported} reports, ${reports - failed} were stored`);
    return {
      reportsPerSecond: rate,
      reports,
      conflicts: rule.conflicts,
      failed,
      failedPercent: round((100 * failed) / reports, 3),
      reportP50Ms: round(percentile(latencies, 50)),
      reportP99Ms: round(percentile(latencies, 99)),
      districtReported,
      conflictsByItem: Object.fromEntries([...rule.conflictsByItem].sort((a, b) => b[1] - a[1])),
    };
  } finally {
    client.destroy();
    await bench.stop();
  }
}

/**
 * AWS's rule, as middleware on a DynamoDB client: a TransactWriteItems touching an item that a transaction
 * admitted less than `commitMs` ago holds is cancelled; an admitted one holds its items for `commitMs`, and
 * its reply comes no sooner. `itemOf` maps an item's key to the item the modelled layout keeps it in.
 */
export class ConflictRule {
  conflicts = 0;
  /** Conflicting items by kind (see kindOf): which items are hot. */
  readonly conflictsByItem = new Map<string, number>();
  private readonly heldUntil = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly commitMs: number,
    private readonly itemOf: (key: string) => string | undefined,
  ) {}

  readonly middleware =
    (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: Record<string, unknown> }) => {
      if (!String(context.commandName).startsWith('TransactWrite')) return next(args);
      const items = (args.input.TransactItems ?? []) as TransactItem[];
      const keys = items.map((entry) => {
        const operation = Object.values(entry)[0];
        return this.itemOf(`${text(operation?.Key?.pk ?? operation?.Item?.pk)}|${text(operation?.Key?.sk ?? operation?.Item?.sk)}`);
      });
      const now = performance.now();
      const held = keys.map((key) => key !== undefined && (this.heldUntil.get(key) ?? 0) > now);
      if (held.some(Boolean)) {
        this.conflicts++;
        for (const [index, key] of keys.entries())
          if (held[index] && key !== undefined) this.conflictsByItem.set(kindOf(key), (this.conflictsByItem.get(kindOf(key)) ?? 0) + 1);
        throw new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
          $metadata: {},
          CancellationReasons: held.map((conflict) => ({ Code: conflict ? 'TransactionConflict' : 'None' })),
        });
      }
      for (const key of keys) if (key !== undefined) this.heldUntil.set(key, now + this.commitMs);
      // Committed after the modelled time: the counters it adds are kept to check their sums.
      await new Promise((resolve) => setTimeout(resolve, this.commitMs));
      for (const entry of items) if (entry.Update) this.added(entry.Update);
      return { output: { $metadata: {} }, response: {} };
    };

  /** What the committed transactions added to a counter (e.g. `reported`) in the items of a partition (`AGG#UNIT#441302`). */
  sum(partition: string, counter: string): number {
    return this.counts.get(`${partition}|${counter}`) ?? 0;
  }

  private added(update: Operation) {
    const partition = text(update.Key?.pk);
    for (const [alias, name] of Object.entries(update.ExpressionAttributeNames ?? {})) {
      const value = update.ExpressionAttributeValues?.[`:${alias.slice(1)}`] as { N?: string } | undefined;
      if (!alias.startsWith('#c') || value?.N === undefined) continue;
      this.counts.set(`${partition}|${name}`, (this.counts.get(`${partition}|${name}`) ?? 0) + Number(value.N));
    }
  }
}

interface Operation {
  Key?: Record<string, unknown>;
  Item?: Record<string, unknown>;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}
/** One entry of TransactItems, marshalled: `{ Put: … }`, `{ Update: … }`, … */
type TransactItem = Partial<Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck', Operation>>;

/** Which kind of item a conflict was on: a unit's, a person's or a team's counters, or another item. */
function kindOf(key: string): string {
  const [pk, sk] = key.split('|');
  if (!pk.startsWith('AGG#')) return pk.split('#')[0];
  return `${pk.split('#').slice(0, 2).join('#')} ${sk.split('#')[0]}`;
}

/** The layout before shards: a day's counter part was one item, and no standing counts were kept. */
export function unshardedItem(key: string): string | undefined {
  const [pk, sk] = key.split('|');
  if (!pk.startsWith('AGG#')) return key;
  if (sk.startsWith('NOW#')) return undefined;
  return `${pk}|${sk.replace(/#\d+$/, '')}`;
}

function text(value: unknown): string {
  return typeof value === 'object' && value !== null && 'S' in value ? String((value as { S: unknown }).S) : String(value);
}

function workerOf(directory: { gridWorkers(grid: string): { id: string; name: string; phone?: string }[] }, grid: string): Caller {
  const worker = directory.gridWorkers(grid)[0];
  return {
    person: worker.id,
    sub: `sub-${worker.id}`,
    name: worker.name,
    role: 'grid_worker',
    units: [grid],
    ...(worker.phone ? { phone: worker.phone } : {}),
  };
}

/** A small deterministic generator, so every run sees the same arrivals. */
function seededRandom(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}
