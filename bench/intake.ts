/**
 * Intake: POST /events through the local gateway (the events-create handler, its DynamoDB Local
 * transaction, the lifecycle's start) with autocannon at concurrency 1, 16 and 64 — autocannon runs in a
 * worker thread, so the load generator does not share the platform's event loop — and, beside each, the
 * raw rate of DynamoDB Local doing as many TransactWriteItems of the same shape at the same concurrency
 * (the very transaction a report writes, captured from the run and replayed under fresh ids through a
 * plain DynamoDBClient: the event put registered and routed, its two timeline entries, the counter items
 * of the grid's 4 units and of the people counted).
 *
 * At each level, rounds of reports and of raw transactions take turns (3 rounds of 7 s; --quick: 1 of 2.5 s),
 * and the ratio is taken over the sums, so that the machine's changing load weighs on both alike.
 * Between rounds the platform drains: every lifecycle started has reached its wait (routed, handler
 * notified), so each level starts from a quiet stack. The sweeper is off (it reads every open case).
 */
import {
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { localClient } from '../dev-server/dynamodb-local';
import { parseLocal } from '../shared/domain/calendar';
import { CallCounter, requestInput } from './capacity';
import { mean, percentile, pool, round, sleep, startBenchPlatform, waitFor, type BenchPart, type BenchPlatform, type Row } from './lib';

const GRID_1 = '441302010001001';
const LEVELS = [1, 16, 64];
const TARGET_RATIO_AT_16 = 0.4;

export interface IntakeLevel {
  concurrency: number;
  /** Rounds of reports and raw transactions, taking turns. */
  rounds: number;
  durationSeconds: number;
  accepted: number;
  non2xx: number;
  errors: number;
  requestsPerSecond: number;
  /** The median of the rounds' p50s; the p99 is the highest of the rounds' p99s. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  /** DynamoDB calls made while this level ran and drained, per accepted report (the handler's and its lifecycle's up to the first wait). */
  dynamoDbCallsPerReport: number;
  raw: { transactions: number; seconds: number; transactionsPerSecond: number; conflictRetries: number };
  /** Intake requests/s ÷ raw transactions/s. */
  ratio: number;
}

export interface IntakeResult {
  request: string;
  rawTransaction: string;
  levels: IntakeLevel[];
  /** Over the whole part: DynamoDB calls per report made (the handler's and its lifecycle's up to the first wait), mean latency. */
  dynamoDbPerReport: Record<string, { calls: number; perUnit: number; meanMs: number }>;
  transactionConflicts: number;
  ratioAtConcurrency16: number;
  ratioTargetAtConcurrency16: number;
  met: boolean;
}

export const intakePart: BenchPart<IntakeResult> = {
  key: 'intake',
  title: 'Intake: POST /events vs raw DynamoDB Local transactions',
  async run(ctx) {
    const bench = await startBenchPlatform({ timeScale: 1, clockStart: parseLocal('2026-11-23 09:00') });
    const raw = localClient(bench.platform.dynamoDbEndpoint);
    try {
      const capture = captureTransactions(bench);
      const counter = new CallCounter();
      for (const client of bench.platform.dynamoDbClients) counter.attach(client);
      const token = bench.token('grid_worker', GRID_1);
      const body = JSON.stringify({
        itemCode: '01-01',
        gridCode: GRID_1,
        severity: 4,
        description: '金英街排水口堵塞，雨水排不出去',
        reporter: { name: '金英街居民', phone: '13000009999' },
      });
      const load = (connections: number, duration: number) =>
        autocannon({
          url: `${bench.platform.url}/events`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
          connections,
          duration,
          workers: 1,
          timeout: 30,
        });

      const rounds = ctx.quick ? 1 : 3;
      const roundSeconds = ctx.quick ? 2.5 : 7;
      ctx.log(`intake: warm-up (${ctx.quick ? 1.5 : 5} s of reports at concurrency 16, then as many raw transactions)`);
      const warm = await load(16, ctx.quick ? 1.5 : 5);
      await drain(bench);
      const template = capture.template();
      await replay(raw, template, warm['2xx'], 16);

      const levels: IntakeLevel[] = [];
      for (const concurrency of LEVELS) {
        // Rounds of reports and raw transactions take turns, so that a change in the machine's load
        // during the level weighs on both sides of the ratio alike.
        let accepted = 0,
          non2xx = 0,
          errors = 0,
          intakeSeconds = 0,
          rawSeconds = 0,
          conflictRetries = 0,
          calls = 0;
        const p50s: number[] = [],
          p99s: number[] = [],
          means: number[] = [];
        for (let round = 0; round < rounds; round++) {
          const callsBefore = capture.calls;
          const result = await load(concurrency, roundSeconds);
          await drain(bench);
          calls += capture.calls - callsBefore;
          accepted += result['2xx'];
          non2xx += result.non2xx;
          errors += result.errors + result.timeouts;
          intakeSeconds += result.duration;
          p50s.push(result.latency.p50);
          p99s.push(result.latency.p99);
          means.push(result.latency.mean);
          const rawRun = await replay(raw, template, result['2xx'], concurrency);
          rawSeconds += rawRun.seconds;
          conflictRetries += rawRun.conflictRetries;
        }
        const requestsPerSecond = accepted / intakeSeconds;
        const rawPerSecond = accepted / rawSeconds;
        const level: IntakeLevel = {
          concurrency,
          rounds,
          durationSeconds: round(intakeSeconds, 2),
          accepted,
          non2xx,
          errors,
          requestsPerSecond: round(requestsPerSecond),
          latencyP50Ms: percentile(p50s, 50),
          latencyP99Ms: Math.max(...p99s),
          latencyMeanMs: round(mean(means)),
          dynamoDbCallsPerReport: round(calls / Math.max(accepted, 1), 2),
          raw: { transactions: accepted, seconds: round(rawSeconds, 2), transactionsPerSecond: round(rawPerSecond), conflictRetries },
          ratio: round(requestsPerSecond / rawPerSecond, 3),
        };
        levels.push(level);
        ctx.log(
          `intake: c=${concurrency}: ${level.requestsPerSecond} req/s (p50 ${level.latencyP50Ms} ms, p99 ${level.latencyP99Ms} ms, ${level.non2xx} non-2xx, ${level.errors} errors); raw ${level.raw.transactionsPerSecond} tx/s → ratio ${level.ratio}`,
        );
      }
      const reportsMade = warm['2xx'] + levels.reduce((sum, level) => sum + level.accepted, 0);
      const at16 = levels.find((level) => level.concurrency === 16);
      if (!at16) throw new Error(`intake: no level at concurrency 16 among ${levels.map((level) => level.concurrency).join(', ')}`);
      const ratioAtConcurrency16 = at16.ratio;
      return {
        request:
          'POST /events as a grid worker (token), item 01-01 level 4 on grid 441302010001001, no location (so no duplicate search), no Idempotency-Key',
        rawTransaction: `TransactWriteItems of ${template.TransactItems?.length} items as the report writes it (${template.TransactItems?.map((item) => Object.keys(item)[0]).join(', ')}), replayed with fresh event ids through a plain DynamoDBClient`,
        levels,
        dynamoDbPerReport: counter.summary(reportsMade),
        transactionConflicts: counter.transactionConflicts,
        ratioAtConcurrency16,
        ratioTargetAtConcurrency16: TARGET_RATIO_AT_16,
        met: ratioAtConcurrency16 >= TARGET_RATIO_AT_16,
      };
    } finally {
      raw.destroy();
      await bench.stop();
    }
  },
  rows(result) {
    const rows: Row[] = [];
    for (const level of result.levels) {
      rows.push({
        figure: `c=${level.concurrency}: POST /events req/s (p50 / p99 ms)`,
        value: `${level.requestsPerSecond} (${level.latencyP50Ms} / ${level.latencyP99Ms})`,
        met: null,
      });
      rows.push({ figure: `c=${level.concurrency}: raw TransactWriteItems/s`, value: String(level.raw.transactionsPerSecond), met: null });
      rows.push({
        figure: `c=${level.concurrency}: intake ÷ raw`,
        value: `${round(level.ratio * 100)}%`,
        target: level.concurrency === 16 ? `≥ ${result.ratioTargetAtConcurrency16 * 100}%` : undefined,
        met: level.concurrency === 16 ? result.met : null,
      });
    }
    return rows;
  },
};

/** Counts the store's DynamoDB calls and keeps the first report's transaction (already marshalled). */
function captureTransactions(bench: BenchPlatform) {
  let captured: TransactWriteItemsCommandInput | undefined;
  const state = { calls: 0 };
  const capture = (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        state.calls += 1;
        if (!captured && (context as { commandName?: string }).commandName === 'TransactWriteItemsCommand') {
          const input = requestInput((args as { request: { body?: unknown } }).request) as TransactWriteItemsCommandInput | undefined;
          // The report's own write: the event put on the condition that it does not exist yet.
          const put = input?.TransactItems?.find((item) => item.Put?.Item?.itemType?.S === 'event')?.Put;
          if (input && put?.ConditionExpression === 'attribute_not_exists(pk)') {
            // The SDK fills in an idempotency token per call: each replay gets its own.
            const { ClientRequestToken: _token, ...rest } = input;
            captured = rest;
          }
        }
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'benchCaptureReport' },
    );
  for (const client of bench.platform.dynamoDbClients) capture(client);
  return {
    get calls() {
      return state.calls;
    },
    template(): TransactWriteItemsCommandInput {
      if (!captured) throw new Error('No report transaction was captured');
      return captured;
    },
  };
}

/** Replays the report's transaction `count` times, `concurrency` at a time, each under a fresh event id of the same length. */
async function replay(
  client: ReturnType<typeof localClient>,
  template: TransactWriteItemsCommandInput,
  count: number,
  concurrency: number,
) {
  // The captured template is the report's transaction: it puts the event item, which has its id.
  const put = template.TransactItems?.find((item) => item.Put?.Item?.itemType?.S === 'event')?.Put?.Item;
  const eventId = put?.id?.S;
  if (!put || !eventId) throw new Error('intake: the captured transaction puts no event item with an id');
  const text = JSON.stringify(template);
  const prefix = `R${Date.now().toString(36).slice(-4)}`;
  let conflictRetries = 0;
  const started = performance.now();
  await pool(
    Array.from({ length: count }, (_, index) => index),
    concurrency,
    async (index) => {
      const id = `${prefix}${index.toString(36).padStart(eventId.length - prefix.length, '0')}`;
      const input = JSON.parse(text.replaceAll(eventId, id)) as TransactWriteItemsCommandInput;
      for (let attempt = 0; ; attempt++) {
        try {
          await client.send(new TransactWriteItemsCommand(input));
          return;
        } catch (error) {
          const conflict =
            error instanceof TransactionCanceledException &&
            (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
          if (!conflict || attempt >= 10) throw error;
          conflictRetries += 1;
          await sleep(5 + Math.random() * 20 * (attempt + 1));
        }
      }
    },
  );
  return { seconds: (performance.now() - started) / 1000, conflictRetries };
}

/** Waits until every lifecycle started has reached its first wait and the engine has been quiet a moment. */
export async function drain(bench: BenchPlatform, timeoutMs = 300_000): Promise<void> {
  await sleep(200);
  await waitFor(
    () => (bench.tracker.allWaiting() && Date.now() - bench.tracker.lastActivity > 300 ? true : undefined),
    'the lifecycles to reach their waits',
    timeoutMs,
    100,
  );
}
