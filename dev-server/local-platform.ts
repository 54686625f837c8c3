/**
 * The whole platform on one machine: DynamoDB Local, the lifecycle state machine on the local engine,
 * the local gateway, the SMS outbox and a scaled clock. `npm start` and the integration tests use this.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Policy } from '../shared/domain/policy';
import { resumeOpenEvents, sweepUnstarted } from '../shared/core/sweep';
import { flushDueDigests } from '../shared/core/reminders';
import type { AppDependencies } from '../shared/http/api-handler';
import { ensureTable, localClient, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { startGateway } from './gateway';
import { LOCAL_KEY_FILE, LocalSigningKey } from './adapters/local-jwt';
import type { LocalWorkflow } from './adapters/local-workflow';
import { OutboxNotifier } from './adapters/outbox-notifier';
import { LocalScheduler } from './local-scheduler';
import { ScaledClock } from './adapters/scaled-clock';
import { consoleLogger, localDependencies } from './local-composition';

export const TABLE_NAME = 'gridflow';

export interface LocalPlatformOptions {
  /** HTTP port; 0 picks a free one. */
  port: number;
  /** Data folder; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** DynamoDB Local's port; undefined picks a free one. */
  dynamoDbPort?: number;
  /** A DynamoDB Local already running to use instead of starting one (left running at stop; benchmarks share one). */
  dynamoDb?: DynamoDbLocal;
  /** Policy seconds per wall-clock second. */
  timeScale: number;
  /** Where policy time starts (a fresh data folder); later starts resume from the saved clock. */
  clockStart?: Date;
  policy?: Policy;
  /** How often (wall-clock ms) the local sweeper looks for unstarted lifecycles. */
  sweepEveryMs?: number;
  /** Run the scheduled jobs (reports, patrol checks, campaign reminders) at their policy times; default true. */
  scheduledJobs?: boolean;
  log?: (line: string) => void;
  quiet?: boolean;
  /** Observes every state the lifecycle executions enter (benchmarks count Lambda tasks with it). */
  onTransition?: (executionName: string, stateName: string) => void;
}

export interface LocalPlatform {
  url: string;
  deps: AppDependencies;
  workflow: LocalWorkflow;
  outbox: OutboxNotifier;
  dynamoDbEndpoint: string;
  /** The raw client the event store uses (benchmarks add middleware to it, e.g. to sum consumed capacity). */
  dynamoDbClient: DynamoDBClient;
  firstStart: boolean;
  resumed: number;
  /** A local ID token (Cognito's shape, signed with this platform's key) carrying these claims. */
  token(claims: Record<string, unknown>): string;
  stop(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const dynamo =
    options.dynamoDb ??
    (await startDynamoDbLocal({ port: options.dynamoDbPort ?? (await freePort()), dataDir: dataDir && join(dataDir, 'dynamodb') }));
  // The platform's own client: what one platform adds to it (e.g. a benchmark's middleware) ends with it.
  const client = localClient(dynamo.endpoint);
  const stopDynamo = async () => {
    client.destroy();
    if (!options.dynamoDb) await dynamo.stop();
  };
  try {
    const firstStart = await ensureTable(client, TABLE_NAME);
    const clockFile = dataDir && join(dataDir, 'clock.json');
    const clock = new ScaledClock(options.timeScale, savedPolicyTime(clockFile, options.clockStart));
    const key = dataDir ? LocalSigningKey.loadOrCreate(join(dataDir, LOCAL_KEY_FILE)) : LocalSigningKey.inMemory();
    const outbox = new OutboxNotifier(clock, dataDir && join(dataDir, 'outbox.jsonl'), options.quiet ? () => {} : log);
    const { deps, workflow } = localDependencies({
      client,
      tableName: TABLE_NAME,
      clock,
      outbox,
      key,
      dataDir,
      policy: options.policy,
      logger: consoleLogger(options.quiet ?? false, log),
      onTransition: options.onTransition,
    });
    const scheduler = new LocalScheduler(deps);
    if (options.scheduledJobs ?? true) scheduler.start();
    const resumed = await resumeOpenEvents(deps);

    const gateway = await startGateway({
      port: options.port,
      deps,
      extraRoutes: [
        { method: 'GET', path: '/_local/outbox', respond: async () => ({ status: 200, body: { items: outbox.all() } }) },
        // The local user pool's keys, where Cognito publishes a pool's (for other tools; the verifier is given them).
        { method: 'GET', path: '/.well-known/jwks.json', respond: async () => ({ status: 200, body: key.jwks() }) },
      ],
    });
    const saveClock = () => clockFile && writeFileSync(clockFile, JSON.stringify({ policyTime: clock.now().toISOString() }));
    const timers = [
      setInterval(saveClock, 5000),
      setInterval(() => void sweepUnstarted(deps).catch(() => {}), options.sweepEveryMs ?? 60_000),
      digestFlusher(deps),
    ];
    for (const timer of timers) timer.unref();

    return {
      url: gateway.url,
      deps,
      workflow,
      outbox,
      dynamoDbEndpoint: dynamo.endpoint,
      dynamoDbClient: client,
      firstStart,
      resumed,
      token: (claims) => key.idToken(claims),
      stop: async () => {
        timers.forEach(clearInterval);
        scheduler.stop();
        saveClock();
        await gateway.close();
        await workflow.engine.stop();
        await stopDynamo();
      },
    };
  } catch (error) {
    await stopDynamo();
    throw error;
  }
}

/**
 * Sends due reminder digests promptly whatever the time scale: four checks per window of policy time,
 * between 200 ms and 60 s of wall-clock time. A check still running skips the next tick.
 */
function digestFlusher(deps: AppDependencies): NodeJS.Timeout {
  const windowWallMs = (deps.policy.reminderWindowMinutes * 60_000) / deps.clock.scale;
  const everyMs = Math.min(Math.max(windowWallMs / 4, 200), 60_000);
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    flushDueDigests(deps)
      .catch((error) => deps.logger.error('Reminder digests not flushed', { error: String(error) }))
      .finally(() => (running = false));
  }, everyMs);
}

/** Policy time never runs backwards across restarts (a sped-up clock ran ahead of the wall clock). */
function savedPolicyTime(clockFile: string | undefined, clockStart: Date | undefined): number {
  const saved = clockFile && existsSync(clockFile) ? Date.parse(JSON.parse(readFileSync(clockFile, 'utf8')).policyTime) : NaN;
  if (!Number.isNaN(saved)) return Math.max(saved, Date.now());
  return clockStart?.getTime() ?? Date.now();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
