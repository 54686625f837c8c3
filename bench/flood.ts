/**
 * Flood surge: 10,000 reports (--quick: 1,000) of waterlogging (02-03, levels 2 and 3) from the nine
 * grids' workers, sent by autocannon (a worker thread, 32 connections) as fast as the stack takes them.
 * Then: how many were accepted (2xx), whether any accepted report is missing from the table, was never
 * routed, or its lifecycle never came to wait on the handler (lost — must be 0; the sweeper, the safety
 * net for unstarted lifecycles, is off, so nothing hides a lost start). A report is routed in its own
 * write (the reply names the handler), so report → routed is the POST's latency; report → waiting is
 * waitingTask.since − createdAt (policy time ÷ the time scale, ×1 here: wall-clock), until the lifecycle
 * has stored its token on the case. The reports carry no location: with one, each report also lists
 * every open case of its street to look for duplicates (measured on its own in open-cases).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { localClient } from '../dev-server/dynamodb-local';
import { TABLE_NAME } from '../dev-server/local-platform';
import { parseLocal } from '../shared/domain/calendar';
import { drain } from './intake';
import { CallCounter } from './capacity';
import { percentile, round, startBenchPlatform, type BenchPart, type Row } from './lib';

const GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);
const CONNECTIONS = 32;

export interface FloodResult {
  reports: number;
  connections: number;
  sendSeconds: number;
  reportsPerSecond: number;
  httpLatencyP50Ms: number;
  httpLatencyP99Ms: number;
  accepted: number;
  refused: number;
  errors: number;
  stored: number;
  routed: number;
  /** Accepted (2xx) but not in the table. */
  missing: number;
  /** Stored but never routed. */
  neverRouted: number;
  /** Routed but its lifecycle never came to wait on the handler (a lost workflow start). */
  neverWaiting: number;
  /** missing + neverRouted + neverWaiting. */
  lost: number;
  reportToRouted: { measure: string; p50Ms: number; p99Ms: number };
  reportToWaiting: { measure: string; p50Ms: number; p99Ms: number; maxMs: number };
  /** From the first report until the last one's lifecycle waited on its handler. */
  surgeClearedSeconds: number;
  /** DynamoDB calls per accepted report (the report and its lifecycle up to the wait) and their mean latency. */
  dynamoDbPerReport: Record<string, { calls: number; perUnit: number; meanMs: number }>;
  transactionConflicts: number;
}

export const floodPart: BenchPart<FloodResult> = {
  key: 'floodSurge',
  title: 'Flood surge',
  async run(ctx) {
    const reports = ctx.quick ? 1_000 : 10_000;
    const timeScale = 1;
    const bench = await startBenchPlatform({ timeScale, clockStart: parseLocal('2026-06-15 22:00') });
    const scanClient = localClient(bench.platform.dynamoDbEndpoint);
    try {
      const requests = GRIDS.flatMap((grid, gridIndex) =>
        [2, 3].map((severity) => ({
          method: 'POST',
          path: '/events',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.token('grid_worker', grid)}` },
          body: JSON.stringify({
            itemCode: '02-03',
            gridCode: grid,
            severity,
            description: severity === 2 ? '路面积水没过膝盖，车辆无法通行' : '路面积水没过脚踝',
            reporter: { name: '居民', phone: `138000${String(gridIndex * 10 + severity).padStart(5, '0')}` },
          }),
        })),
      );
      const counter = new CallCounter();
      for (const client of bench.platform.dynamoDbClients) counter.attach(client);
      ctx.log(`flood: ${reports} reports from ${GRIDS.length} grids, ${CONNECTIONS} connections`);
      const started = Date.now();
      const result = await autocannon({
        url: bench.platform.url,
        connections: CONNECTIONS,
        amount: reports,
        workers: 1,
        timeout: 60,
        requests,
      });
      const sendSeconds = (Date.now() - started) / 1000;
      ctx.log(
        `flood: sent in ${round(sendSeconds)} s (${result['2xx']} accepted, ${result.non2xx} refused, ${result.errors + result.timeouts} errors); waiting for every lifecycle to reach its wait`,
      );
      const drainTimeout = ctx.quick ? 120_000 : 600_000;
      let drained = true;
      await drain(bench, drainTimeout).catch(() => (drained = false));
      if (!drained) ctx.log('flood: not every lifecycle reached its wait in time; counting what is there');

      const dynamoDbPerReport = counter.summary(result['2xx']);
      const transactionConflicts = counter.transactionConflicts;
      const events: { createdAt: string; routedAt?: string; waitingSince?: string }[] = [];
      let startKey: Record<string, any> | undefined;
      do {
        const page = await scanClient.send(
          new ScanCommand({
            TableName: TABLE_NAME,
            FilterExpression: 'itemType = :event',
            ExpressionAttributeValues: { ':event': { S: 'event' } },
            ProjectionExpression: 'createdAt, routedAt, waitingTask.since',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          // Every case is stored with its creation time (shared/adapters/dynamodb/records.ts checks it on reads).
          const createdAt = item.createdAt?.S;
          if (!createdAt) throw new Error(`An event item without createdAt: ${JSON.stringify(item)}`);
          events.push({ createdAt, routedAt: item.routedAt?.S, waitingSince: item.waitingTask?.M?.since?.S });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);

      const accepted = result['2xx'];
      const routedEvents = events.filter((event) => event.routedAt);
      const waitingEvents = routedEvents.flatMap(({ createdAt, waitingSince }) => (waitingSince ? [{ createdAt, waitingSince }] : []));
      const delays = waitingEvents.map((event) => (Date.parse(event.waitingSince) - Date.parse(event.createdAt)) / timeScale);
      const missing = Math.max(0, accepted - events.length);
      const neverRouted = events.length - routedEvents.length;
      const neverWaiting = routedEvents.length - waitingEvents.length;
      const firstCreated = Math.min(...events.map((event) => Date.parse(event.createdAt)));
      const lastWaiting = Math.max(...waitingEvents.map((event) => Date.parse(event.waitingSince)));
      const flood: FloodResult = {
        reports,
        connections: CONNECTIONS,
        sendSeconds: round(sendSeconds, 2),
        reportsPerSecond: round(accepted / sendSeconds),
        httpLatencyP50Ms: result.latency.p50,
        httpLatencyP99Ms: result.latency.p99,
        accepted,
        refused: result.non2xx,
        errors: result.errors + result.timeouts,
        stored: events.length,
        routed: routedEvents.length,
        missing,
        neverRouted,
        neverWaiting,
        lost: missing + neverRouted + neverWaiting,
        reportToRouted: {
          measure: "routed in the report's own write (the reply names the handler): the POST's latency",
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
        },
        reportToWaiting: {
          measure:
            "waitingTask.since − createdAt of each stored event (its lifecycle stored the handler's task token), policy time ÷ time scale (×1: wall-clock milliseconds)",
          p50Ms: round(percentile(delays, 50)),
          p99Ms: round(percentile(delays, 99)),
          maxMs: round(Math.max(...delays)),
        },
        surgeClearedSeconds: round((lastWaiting - firstCreated) / timeScale / 1000, 2),
        dynamoDbPerReport,
        transactionConflicts,
      };
      ctx.log(
        `flood: ${flood.stored} stored, ${flood.routed} routed, ${waitingEvents.length} waiting, lost ${flood.lost}; report → waiting p50 ${flood.reportToWaiting.p50Ms} ms, p99 ${flood.reportToWaiting.p99Ms} ms`,
      );
      return flood;
    } finally {
      scanClient.destroy();
      await bench.stop();
    }
  },
  rows(result) {
    return [
      {
        figure: `${result.reports} reports: accepted / refused / errors`,
        value: `${result.accepted} / ${result.refused} / ${result.errors}`,
        met: null,
      },
      {
        figure: 'reports/s accepted (HTTP p50 / p99 ms)',
        value: `${result.reportsPerSecond} (${result.httpLatencyP50Ms} / ${result.httpLatencyP99Ms})`,
        met: null,
      },
      {
        figure: 'lost (accepted but missing, never routed or never waiting)',
        value: String(result.lost),
        target: '0',
        met: result.lost === 0,
      },
      {
        figure: 'report → routed p50 / p99 (in the reply)',
        value: `${result.reportToRouted.p50Ms} / ${result.reportToRouted.p99Ms} ms`,
        met: null,
      },
      {
        figure: 'report → waiting on its handler p50 / p99',
        value: `${result.reportToWaiting.p50Ms} / ${result.reportToWaiting.p99Ms} ms`,
        met: null,
      },
      { figure: 'surge cleared (first report → last waiting)', value: `${result.surgeClearedSeconds} s`, met: null },
      {
        figure: 'DynamoDB calls per report (transaction conflicts)',
        value: `${round(
          Object.values(result.dynamoDbPerReport).reduce((sum, entry) => sum + entry.perUnit, 0),
          2,
        )} (${result.transactionConflicts})`,
        met: null,
      },
    ] satisfies Row[];
  },
};
