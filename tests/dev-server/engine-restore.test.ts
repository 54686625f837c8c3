/**
 * After a restart the engine brings its kept executions back in the background, serving meanwhile: a call about
 * one not back yet brings it back first, and the background pass never runs an execution's old record again —
 * not even from a batch it had read before the call brought that execution back, woke it and ended it.
 * The store is held at the background read, so the race is a sequence, not a timing.
 */
import { afterEach, expect, it } from '@jest/globals';
import { MemoryExecutionStore, type StoredExecution } from '../../dev-server/step-functions/execution-store';
import { LocalWorkflowEngine } from '../../dev-server/step-functions/local-workflow-engine';
import { ONE_WAITING_TASK } from '../support/one-waiting-task';

/** The memory store whose background reads (more than one name) return what they read only when released. */
class HeldStore extends MemoryExecutionStore {
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  /** Resolves once the background pass has read its batch. */
  batchRead!: () => void;
  readonly read = new Promise<void>((resolve) => (this.batchRead = resolve));

  override async getMany(machineName: string, names: string[]): Promise<StoredExecution[]> {
    const stored = await super.getMany(machineName, names);
    if (names.length > 1) {
      this.batchRead();
      await this.released;
    }
    return stored;
  }
}

const engines: LocalWorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function engineOn(store: MemoryExecutionStore, tokens: Map<string, string>): LocalWorkflowEngine {
  const engine = new LocalWorkflowEngine({
    definition: ONE_WAITING_TASK,
    name: 'Cases',
    store,
    functions: {
      notify: async ({ caseId, taskToken }: { caseId: string; taskToken: string }) => {
        tokens.set(caseId, taskToken);
        return {};
      },
    },
  });
  engines.push(engine);
  return engine;
}

it('an answer to an execution not back yet brings it back and wakes it; the batch read before does not run it again', async () => {
  const store = new HeldStore();
  const tokens = new Map<string, string>();
  const before = engineOn(store, tokens);
  for (const name of ['X', 'Y']) await before.startExecution(name, JSON.stringify({ caseId: name }));
  for (let tries = 0; tries < 500 && tokens.size < 2; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
  await before.stop();
  const tokenX = tokens.get('X')!;

  const after = engineOn(store, new Map());
  const opened = after.open();
  await store.read;
  // The background pass holds X and Y as they were, parked; neither is back.
  expect(after.restoring()).toEqual({ done: 0, total: 2 });
  expect(after.isRunning('X')).toBe(false);

  await after.sendTaskSuccess(tokenX, { done: true });
  expect(await after.result('X')).toMatchObject({ status: 'SUCCEEDED' });

  store.release();
  expect(await opened).toBe(2);
  expect(after.restoring()).toBeUndefined();
  // X stays ended (its old parked record was not run again); Y waits again.
  expect(after.isRunning('X')).toBe(false);
  expect(await after.describe('X')).toMatchObject({ status: 'SUCCEEDED' });
  await expect(after.sendTaskHeartbeat(tokenX)).rejects.toMatchObject({ awsError: 'TaskTimedOut' });
  expect(after.isRunning('Y')).toBe(true);
  await after.sendTaskSuccess(tokens.get('Y')!, {});
  expect(await after.result('Y')).toMatchObject({ status: 'SUCCEEDED' });
});
