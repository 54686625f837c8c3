/**
 * The whole platform on one machine: DynamoDB Local, the lifecycle state machine on the local engine, the
 * local gateway — whose one port (the edge port) also answers Step Functions, SNS and DynamoDB — the SMS
 * outbox and a scaled clock. Each function runs the cloud composition with AWS_ENDPOINT_URL = the edge port
 * (local-functions.ts). `npm start` and the integration tests use this.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Policy } from '../shared/domain/policy';
import { resumeOpenCases, sweepUnstarted } from '../shared/core/sweep';
import type { AppDependencies } from '../shared/http/api-handler';
import type { AwsServiceName, SdkClient } from '../shared/composition/cloud-dependencies';
import { lockDataFolder } from './data-folder-lock';
import { type HeldPort, holdFreePort } from './free-port';
import { readJsonFile, writeFileAtomic } from './durable-files';
import { shutDownByItself } from './dynamodb-launch';
import type { EarlyStart } from './early-start';
import { ensureTable, localClient, startDynamoDbLocal, startDynamoDbLocalOnFreePort, type DynamoDbLocal } from './dynamodb-local';
import { type DynamoDbSupervisor, superviseDynamoDbLocal } from './dynamodb-supervisor';
import { DynamoDbExecutionStore } from './step-functions/dynamodb-execution-store';
import { type AwsCallRecorder, awsCallRecorderFor, PUBLISHED_VERSION } from './aws-call-recorder';
import { originsOf } from '../shared/http/cors';
import { importRouteModules, startGateway } from './gateway';
import { localCursorKey } from './adapters/cursor-key';
import { LOCAL_KEY_FILE, LocalSigningKey, localTokenVerifier } from './adapters/local-jwt';
import { OutboxNotifier } from './adapters/outbox-notifier';
import type { DrivenClock } from './adapters/driven-clock';
import { outboxListing } from './outbox-listing';
import { ScaledClock } from './adapters/scaled-clock';
import type { LocalClock } from './adapters/timers';
import { dynamoDbService } from './edge/dynamodb-service';
import { openDynamoDbJournal, type DynamoDbJournal } from './edge/dynamodb-journal';
import { snsService } from './edge/sns-service';
import { stepFunctionsService } from './edge/step-functions-service';
import { LIFECYCLE_STATE_MACHINE_NAME, LOCAL_ACCOUNT_ID, lifecycleStateMachineArn } from './step-functions/arns';
import { lifecycleEngine, prepareLifecycleMachine } from './local-lifecycle';
import type { LocalWorkflowEngine } from './step-functions/local-workflow-engine';
import { LocalScheduler } from './local-scheduler';
import { digestFlusher } from './digest-flusher';
import { StreamReader } from './stream-reader';
import { consoleLogger, LOCAL_REGION } from './local-composition';
import { seedReference } from './seed-reference';
import { LocalFunctions, OPERATOR } from './local-functions';
import { localSignInRoutes } from './local-sign-in';
import { WEB_DIST } from '../web/build';
import { webSite } from './web-site';

export { freePort } from './free-port';

export const TABLE_NAME = 'gridflow';

/** How long a stop waits for the engine's last writes: a hung DynamoDB Local would hold it forever. */
const ENGINE_STOP_WAIT_MS = 10_000;

export interface LocalPlatformOptions {
  /** HTTP port; 0 picks a free one. */
  port: number;
  /** Data folder; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** DynamoDB Local's port; undefined picks a free one. */
  dynamoDbPort?: number;
  /**
   * `npm start` locks the data folder and launches DynamoDB Local before it loads the platform, so that the JVM's
   * start and Node's loading overlap (early-start.ts): taken over here. Without it, the platform does both.
   */
  early?: EarlyStart;
  /**
   * A DynamoDB Local already running to use instead of starting one (left running at stop; benchmarks share one,
   * one platform at a time: its tables — `gridflow` and Step Functions' `gridflow-local-states` — are this platform's).
   */
  dynamoDb?: DynamoDbLocal;
  /** Policy seconds per wall-clock second (without a driven clock). */
  timeScale?: number;
  /** Where policy time starts (a fresh data folder); later starts resume from the saved clock. */
  clockStart?: Date;
  /**
   * A clock the test drives instead of the scaled wall clock: policy time moves only when the test advances it, which
   * fires the scheduler's jobs, the workflows' timers and the reminder poller due on the way and waits for their work.
   */
  clock?: DrivenClock;
  policy?: Policy;
  /** How often (wall-clock ms) the local sweeper looks for unstarted lifecycles. */
  sweepEveryMs?: number;
  /** Run the SMS sender on the table's stream; default true (false: SMS are stored, none sent — a sender outage). */
  smsSender?: boolean;
  /** Run the scheduled jobs (reports, patrol checks, campaign reminders) at their policy times; default true. */
  scheduledJobs?: boolean;
  /** The platform's environment: SMS failure injection (GRIDFLOW_SMS_*, see edge/sns-service.ts). Default process.env. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  quiet?: boolean;
  /** Observes every state the lifecycle executions enter (benchmarks count Lambda tasks with it). */
  onTransition?: (executionName: string, stateName: string) => void;
  /** Called with each SDK client each function's composition builds (e.g. to record its AWS calls). */
  instrument?: (functionName: string, client: SdkClient, service: AwsServiceName) => void;
  /**
   * Kept executions are brought back in the background only once this settles (tests hold it to act on a case
   * whose execution is not back yet).
   */
  resumeGate?: Promise<unknown>;
  /** The web app at `/`: its build (default web/dist), and a build under way to wait for (npm start's). */
  webApp?: { dist?: string; ready?: Promise<unknown> };
}

export interface LocalPlatform {
  url: string;
  /** The operator's composition (tests and tools read and run jobs through it); composed as a function is. */
  deps: AppDependencies;
  /** Resolves once the SMS sender has been handed every SMS stored before the call (tests read the outbox after it). */
  smsDelivered(): Promise<void>;
  /** A function's composition, by its handler name. */
  dependenciesOf(functionName: string): AppDependencies;
  /** The local Step Functions: the lifecycle state machine's engine. */
  workflow: { engine: LocalWorkflowEngine };
  outbox: OutboxNotifier;
  dynamoDbEndpoint: string;
  /** The operator's DynamoDB client (a test adds middleware to it to see what a job it runs calls). */
  dynamoDbClient: DynamoDBClient;
  /** Every function's DynamoDB client, the operator's included (benchmarks meter the table on all). */
  dynamoDbClients: DynamoDBClient[];
  firstStart: boolean;
  /**
   * Lifecycle executions kept from the last run are brought back in the background, the API serving meanwhile
   * (an action on a case whose execution is not back yet brings it back first). Resolves once all wait again,
   * to how many were brought back.
   */
  restored: Promise<number>;
  /**
   * Then, on a data folder from before local mode kept its executions, the open cases' lifecycles are started
   * again (once): resolves to how many.
   */
  resumed: Promise<number>;
  /** A local ID token (Cognito's shape, signed with this platform's key) carrying these claims. */
  token(claims: Record<string, unknown>): string;
  stop(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One platform per data folder: a second start refuses before it touches anything.
  const lock = options.early?.lock ?? (dataDir ? lockDataFolder(dataDir, log) : undefined);

  // Set in the tests: every AWS call of every function is recorded for the permission check (tests/permissions/).
  const recorder = awsCallRecorderFor(options.env ?? process.env);
  const dynamoDbDir = dataDir && join(dataDir, 'dynamodb');
  const startDynamoDb = (early?: EarlyStart) =>
    options.dynamoDbPort === undefined
      ? startDynamoDbLocalOnFreePort({
          dataDir: dynamoDbDir,
          log,
          launched: early && { port: early.dynamoDbPort, dynamoDb: early.dynamoDb },
        })
      : startDynamoDbLocal({ port: options.dynamoDbPort, dataDir: dynamoDbDir, log, launched: early?.dynamoDb });
  // DynamoDB Local's JVM takes seconds to start: Node loads the function modules and prepares the state machine
  // meanwhile, instead of after.
  const dynamoStarting = options.dynamoDb ? Promise.resolve(options.dynamoDb) : startDynamoDb(options.early);
  const routeModules = importRouteModules();
  const dynamo = await Promise.all([dynamoStarting, routeModules.then(prepareLifecycleMachine)]).then(
    ([started]) => started,
    async (error) => {
      if (!options.dynamoDb) await (await dynamoStarting.catch(() => undefined))?.stop();
      lock?.release();
      throw error;
    },
  );
  // What is running, stopped in this order: nothing calls what has already stopped.
  const running: {
    timers?: NodeJS.Timeout[];
    flusher?: { stop(): void };
    scheduler?: LocalScheduler;
    smsStream?: StreamReader;
    engine?: LocalWorkflowEngine;
    edgePort?: HeldPort;
    gateway?: { close(): Promise<void> };
    dynamoDbService?: { close(): void };
    supervisor?: DynamoDbSupervisor;
    journal?: Promise<DynamoDbJournal | undefined>;
    functions?: LocalFunctions;
    statesClient?: { destroy(): void };
  } = {};
  const stop = async () => {
    running.supervisor?.standDown();
    running.timers?.forEach(clearInterval);
    running.flusher?.stop();
    running.scheduler?.stop();
    await running.smsStream?.stop();
    await endsWithin(running.engine?.stop(), ENGINE_STOP_WAIT_MS, () =>
      log(
        `The engine's last execution writes got no answer from DynamoDB Local within ${ENGINE_STOP_WAIT_MS / 1000} s: stopping without them (those executions come back from their last saved state, as after a kill)`,
      ),
    );
    await running.edgePort?.release();
    await running.gateway?.close();
    running.dynamoDbService?.close();
    const journal = await running.journal?.catch(() => undefined);
    await journal?.close();
    running.functions?.destroy();
    running.statesClient?.destroy();
    recorder?.flush();
    if (running.supervisor) {
      // Shut down by itself, DynamoDB Local holds all it acknowledged: the next start has nothing to write again.
      if (shutDownByItself(await running.supervisor.stop())) journal?.checkpoint();
    } else if (!options.dynamoDb) await dynamo.stop();
    lock?.release();
  };
  try {
    const clockFile = dataDir && join(dataDir, 'clock.json');
    const clock: LocalClock = options.clock ?? new ScaledClock(options.timeScale ?? 1, savedPolicyTime(clockFile, options.clockStart, log));
    const key = dataDir ? LocalSigningKey.loadOrCreate(join(dataDir, LOCAL_KEY_FILE)) : LocalSigningKey.inMemory();
    const outbox = new OutboxNotifier(clock, dataDir && join(dataDir, 'outbox.jsonl'), options.quiet ? () => {} : log, log);
    const logger = consoleLogger(options.quiet ?? false, log);

    // The edge port is every function's AWS_ENDPOINT_URL: its address is fixed before the gateway listens, and the
    // port held until then (another process's pick could take it in the meantime).
    running.edgePort = options.port ? undefined : await holdFreePort();
    const port = options.port || (running.edgePort?.port ?? 0);
    const location = { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID };
    const functions = new LocalFunctions({
      edgeUrl: `http://localhost:${port}`,
      tableName: TABLE_NAME,
      stateMachineArn: lifecycleStateMachineArn(location),
      cursorKey: localCursorKey(dataDir),
      clock,
      tokenVerifier: localTokenVerifier(key),
      policy: options.policy,
      logger,
      instrument: recordingOrNot(options, recorder),
      resuming: () => running.engine?.restoring(),
    });
    running.functions = functions;
    const deps = functions.of(OPERATOR);
    // Step Functions keeps its executions in its own table: it is AWS, not a function, so straight to DynamoDB Local.
    const statesClient = localClient(dynamo.endpoint);
    running.statesClient = statesClient;
    const executionStore = await DynamoDbExecutionStore.open(statesClient);
    const engine = lifecycleEngine({
      invoke: (name, payload) => functions.invoke(name, payload),
      clock,
      onTransition: options.onTransition,
      store: executionStore,
      region: LOCAL_REGION,
      // The state machine's own Lambda invocations, for the permission check: the cloud's invokes workflow-step's published version.
      onInvoke: recorder && ((name) => recorder.invoked(LIFECYCLE_STATE_MACHINE_NAME, name, PUBLISHED_VERSION)),
      restoreAfter: options.resumeGate,
    });
    running.engine = engine;
    // With a data folder, every transaction is on disk before DynamoDB Local sees it, and what it lost when killed
    // is written again as the journal opens. The gateway serves meanwhile (issue 12 item 6), but the edge port's
    // DynamoDB traffic — every table call of every function, and so every route that reads the table — waits
    // until that replay is over: a read before it could miss an acknowledged write.
    const opening = dataDir
      ? openDynamoDbJournal({ dir: join(dataDir, 'dynamodb-journal'), endpoint: dynamo.endpoint, log: options.quiet ? () => {} : log })
      : Promise.resolve(undefined);
    running.journal = opening;
    const dynamoDb = dynamoDbService({ endpoint: dynamo.endpoint, journal: opening });
    running.dynamoDbService = dynamoDb;
    // Its own DynamoDB Local on a data folder is started again when it dies (in memory, its data would be gone).
    if (dataDir && !options.dynamoDb)
      running.supervisor = superviseDynamoDbLocal({
        first: dynamo,
        // On the port the functions were given.
        start: () => startDynamoDbLocal({ port: Number(new URL(dynamo.endpoint).port), dataDir: dynamoDbDir, log }),
        down: () => dynamoDb.down(),
        restarted: async () => {
          const replayed = opening.then((journal) => journal?.writeAgain());
          dynamoDb.restarted(replayed);
          if (((await replayed)?.restored ?? 0) > 0) running.smsStream?.rewind();
        },
        log,
      });
    await running.edgePort?.release();
    const gateway = await startGateway({
      port,
      routeModules,
      deps,
      depsOf: (name) => functions.of(name),
      awsServices: [
        stepFunctionsService({ [LIFECYCLE_STATE_MACHINE_NAME]: engine }, location),
        snsService({ outbox, env: options.env ?? process.env }),
        dynamoDb,
      ],
      extraRoutes: [
        { method: 'GET', path: '/_local/outbox', signedIn: true, respond: async (_request, claims) => outboxListing(claims, outbox.all()) },
        // The local user pool's keys, where Cognito publishes a pool's (for other tools; the verifier is given them).
        { method: 'GET', path: '/.well-known/jwks.json', respond: async () => ({ status: 200, body: key.jwks() }) },
        ...localSignInRoutes(deps, (claims) => key.idToken(claims)),
      ],
      site: webSite(options.webApp?.dist ?? WEB_DIST, options.webApp?.ready),
      corsAllowOrigins: originsOf((options.env ?? process.env).GRIDFLOW_CORS_ALLOW_ORIGINS),
    });
    running.gateway = gateway;
    lock?.announce(gateway.url);
    const journal = await opening;

    // The platform's own table traffic goes through the edge port too.
    const firstStart = await ensureTable(functions.dynamoDbClient(OPERATOR), TABLE_NAME, options.log || !options.quiet ? log : undefined);
    const seeded = await seedReference(deps.reference, dataDir, clock);
    if (seeded && !options.quiet) log(seeded);
    // Each function loads the version in effect as its Lambda would at its first invocation; here, before serving.
    await functions.refreshReference();
    // The SMS sender, fed by the table's stream as Lambda's event source mapping feeds it in the cloud.
    const smsStream = new StreamReader({
      endpoint: gateway.url,
      tableName: TABLE_NAME,
      deliver: (event) => functions.invoke('sms-sender', event) as Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
      dataDir,
      fromStart: (journal?.replayed.restored ?? 0) > 0,
      log,
    });
    running.smsStream = smsStream;
    if (options.smsSender ?? true) smsStream.start();
    const scheduler = new LocalScheduler(clock, logger, (job) => functions.invoke('scheduled-jobs', { job }) as Promise<{ done: number }>);
    running.scheduler = scheduler;
    if (options.scheduledJobs ?? true) scheduler.start();
    // The sweeper function's work, on its own composition: lifecycles that did not start, and due digests (more often).
    const sweeper = functions.of('sweeper');
    // Executions kept from the last run wait again on their tokens and timers, as they would on AWS: brought
    // back in the background, a batch at a time, while the API serves (issue 12 item 6).
    const restored = engine.open();
    // A data folder from before executions were kept has open cases and no executions: they start again, once
    // (local mode's own upgrade, not the sweeper Lambda's: on the operator's composition), after that.
    const upgrade = executionStore.createdTable && !firstStart;
    const resumed = restored.then(() => (upgrade ? resumeOpenCases(deps) : 0));
    resumed.catch((error) => log(`Open cases not all resumed after the start: ${(error as Error).message}`));
    const saveClock = () => clockFile && writeFileAtomic(clockFile, JSON.stringify({ policyTime: clock.now().toISOString() }));
    // Saving the clock and the sweeper's safety net run in wall time: neither is a policy-time event (the cloud's
    // sweeper runs every 5 real minutes), and a driven clock would otherwise fire them every policy minute.
    running.timers = [
      setInterval(saveClock, 5000),
      setInterval(() => void sweepUnstarted(sweeper).catch(() => {}), options.sweepEveryMs ?? 60_000),
    ];
    for (const timer of running.timers) timer.unref();
    running.flusher = digestFlusher(sweeper, clock);
    // A test's driven clock moves on once the work a fired timer started has settled: the executions wait again, the SMS are sent.
    options.clock?.settlesWith(() => engine.idle());
    options.clock?.settlesWith(() => smsStream.caughtUp());

    return {
      url: gateway.url,
      deps,
      dependenciesOf: (name) => functions.of(name),
      smsDelivered: () => smsStream.caughtUp(),
      workflow: { engine },
      outbox,
      dynamoDbEndpoint: dynamo.endpoint,
      dynamoDbClient: functions.dynamoDbClient(OPERATOR),
      dynamoDbClients: functions.dynamoDbClients(),
      firstStart,
      restored,
      resumed,
      token: (claims) => key.idToken(claims),
      stop: async () => {
        // Saved while the data folder is still this platform's.
        saveClock();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits for `work`, or `ms` at most (then says so): for stop steps that wait on something that may hang. */
async function endsWithin(work: Promise<void> | undefined, ms: number, gaveUp: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  if ((await Promise.race([work, late])) === 'late') gaveUp();
  clearTimeout(timer);
}

/** Policy time never runs backwards across restarts (a sped-up clock ran ahead of the wall clock). */
function savedPolicyTime(clockFile: string | undefined, clockStart: Date | undefined, warn: (line: string) => void): number {
  const saved = Date.parse((clockFile && readJsonFile<{ policyTime?: string }>(clockFile, warn)?.policyTime) || '');
  if (!Number.isNaN(saved)) return Math.max(saved, Date.now());
  return clockStart?.getTime() ?? Date.now();
}

/** The platform's instrument hook, with the permission check's recorder on it when one records. */
function recordingOrNot(options: LocalPlatformOptions, recorder: AwsCallRecorder | undefined): LocalPlatformOptions['instrument'] {
  if (!recorder) return options.instrument;
  return (functionName, client, service) => {
    recorder.instrument(functionName, client, service);
    options.instrument?.(functionName, client, service);
  };
}
