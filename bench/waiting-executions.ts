/**
 * Waiting executions: N (default 50,000) executions of the lifecycle definition on the local Step Functions
 * engine, each parked on its "Await acceptance" token with a deadline days away, kept in DynamoDB Local's
 * `gridflow-local-states` table (in memory, -Xmx1g). The `workflow-step` function is a stub that answers
 * Register with "await acceptance" and each dispatch at once; everything else is the real engine path
 * (StartExecution's name rule, the segment, the park and its writes). Then: this process's RSS and heap
 * after a full GC, the JVM's RSS, the time to start them, and the time for a fresh engine on the same
 * table to bring them all back (open()).
 *
 *   node --expose-gc --import tsx bench/waiting-executions.ts [N] [--discard-writes]
 *
 * --discard-writes: the engine's writes go nowhere (no DynamoDB Local), to read the engine's own memory on a
 * machine where DynamoDB Local cannot keep up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../dev-server/local-platform';
import { startDynamoDbLocal } from '../dev-server/dynamodb-local';
import { DynamoDbExecutionStore } from '../dev-server/step-functions/dynamodb-execution-store';
import { type ExecutionStore, MemoryExecutionStore } from '../dev-server/step-functions/execution-store';
import { LocalWorkflowEngine } from '../dev-server/step-functions/local-workflow-engine';
import { localLifecycleSubstitutions } from '../workflows/event-lifecycle';

const count = Number(process.argv[2] ?? 50_000);
const discardWrites = process.argv.includes('--discard-writes');

/** Keeps the machine's versions only; executions and history are dropped (--discard-writes). */
class DiscardingStore extends MemoryExecutionStore {
  override async create(): Promise<undefined> {
    return undefined;
  }
  override async save(): Promise<void> {}
}
const definition = readFileSync(new URL('../workflows/event-lifecycle.asl.json', import.meta.url), 'utf8');
const DAY = 24 * 3600;

function rssMiB(pid: number | 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = /VmRSS:\s+(\d+)/.exec(status);
  if (!rss) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Math.round(Number(rss[1]) / 1024);
}

/** DynamoDB Local's JVM: the java process listening on this port. */
function javaPid(port: string): number | undefined {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (commandLine[0]?.endsWith('java') && commandLine.includes(port)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

let dispatched = 0;

function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  return new Promise((resolve) => setTimeout(resolve, 3000)).then(() => (globalThis as { gc?: () => void }).gc?.());
}

function engineOn(store: ExecutionStore): LocalWorkflowEngine {
  return new LocalWorkflowEngine({
    definition,
    substitutions: localLifecycleSubstitutions(),
    name: 'GridFlow-EventLifecycle',
    store,
    functions: {
      'workflow-step': async (payload: { step: string; loops: number }) =>
        payload.step === 'register'
          ? { next: 'await_acceptance', timeoutSeconds: 3 * DAY, loops: payload.loops + 1, version: 1 }
          : { dispatched: ++dispatched },
    },
  });
}

const dynamo = discardWrites ? undefined : await startDynamoDbLocal({ port: await freePort() });
try {
  const store = dynamo ? await DynamoDbExecutionStore.open(dynamo.client) : new DiscardingStore();
  const engine = engineOn(store);
  await engine.open();
  const before = rssMiB('self');
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let index = next++; index < count; index = next++) {
        // At most 500 executions between start and park: the table takes what it can, not a queue of 50,000.
        while (index - dispatched > 500) await new Promise((resolve) => setTimeout(resolve, 5));
        const eventId = `E20261203-${String(index).padStart(6, '0')}`;
        await engine.startExecution(
          eventId,
          JSON.stringify({ eventId, decision: { next: 'register', timeoutSeconds: 1, loops: 0, version: 0 } }),
        );
      }
    }),
  );
  // Each is parked (its segment written) when its task is dispatched.
  while (dispatched < count) await new Promise((resolve) => setTimeout(resolve, 100));
  const startSeconds = (Date.now() - started) / 1000;
  await settle();
  const memory = process.memoryUsage();
  const result = {
    executions: count,
    parked: engine.runningExecutions().length,
    startSeconds,
    rssBeforeMiB: before,
    rssMiB: rssMiB('self'),
    heapUsedMiB: Math.round(memory.heapUsed / 2 ** 20),
    ...(dynamo && { dynamoDbLocalRssMiB: rssMiB(javaPid(new URL(dynamo.endpoint).port) ?? 'self') }),
  };
  await engine.stop();
  const restarted = engineOn(store);
  const restoreStarted = Date.now();
  const restored = await restarted.open();
  const restoreSeconds = (Date.now() - restoreStarted) / 1000;
  await settle();
  console.log(JSON.stringify({ ...result, restored, restoreSeconds, rssAfterRestoreMiB: rssMiB('self') }, null, 1));
  await restarted.stop();
} finally {
  await dynamo?.stop();
}
