/**
 * A waiting task is written as parked before its function is called with the token (the function may answer at
 * once). A process killed in between leaves a parked execution whose function never got its token: the case never
 * learns it, so no action can wake the execution. As Step Functions does not lose the invocation, the engine that
 * brings such an execution back calls the function again with the same token; one whose function had returned
 * before a clean stop is not called again (50,000 kept executions must not mean 50,000 calls).
 */
import { afterEach, expect, it } from '@jest/globals';
import { MemoryExecutionStore, type ExecutionStore } from '../../dev-server/step-functions/execution-store';
import { LocalWorkflowEngine } from '../../dev-server/step-functions/local-workflow-engine';
import { ONE_WAITING_TASK } from '../support/one-waiting-task';

/** The store as a killed process leaves it: from `kill()` on, nothing this engine writes arrives. */
function killableStore(inner: ExecutionStore): ExecutionStore & { kill(): void } {
  let dead = false;
  // A dead process's writes are dropped (resolving, so that its engine can still be stopped at the end).
  const alive = <T>(write: () => Promise<T>) => (dead ? Promise.resolve(undefined as T) : write());
  return Object.assign(Object.create(inner) as ExecutionStore, {
    kill: () => {
      dead = true;
    },
    save: (...args: Parameters<ExecutionStore['save']>) => alive(() => inner.save(...args)),
    create: (...args: Parameters<ExecutionStore['create']>) => alive(() => inner.create(...args)),
    replace: (...args: Parameters<ExecutionStore['replace']>) => alive(() => inner.replace(...args)),
  });
}

const engines: LocalWorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

type Notify = (input: { caseId: string; taskToken: string }) => Promise<object>;

function engineOn(store: ExecutionStore, notify: Notify): LocalWorkflowEngine {
  const engine = new LocalWorkflowEngine({ definition: ONE_WAITING_TASK, name: 'Cases', store, functions: { notify } });
  return engine;
}

async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 400 && !check(); tries++) await new Promise((resolve) => setTimeout(resolve, 5));
}

it('calls the waiting task again with the same token when the process died while calling it', async () => {
  const store = new MemoryExecutionStore();
  const firstStore = killableStore(store);
  let firstToken: string | undefined;
  let release!: () => void;
  const released = new Promise<object>((resolve) => (release = () => resolve({})));
  const killed = engineOn(firstStore, ({ taskToken }) => {
    // The process dies here: the token never reaches the case.
    firstToken = taskToken;
    firstStore.kill();
    return released;
  });
  engines.push(killed);
  await killed.startExecution('X', JSON.stringify({ caseId: 'X' }));
  await until(() => firstToken !== undefined);
  expect((await store.get('Cases', 'X'))?.parked?.token).toBe(firstToken);

  const tokens = new Map<string, string>();
  const after = engineOn(store, async ({ caseId, taskToken }) => {
    tokens.set(caseId, taskToken);
    return {};
  });
  engines.push(after);
  await after.open();
  await after.idle();
  release();
  expect(tokens.get('X')).toBe(firstToken);
  await after.sendTaskSuccess(tokens.get('X')!, { done: true });
  expect(await after.result('X')).toMatchObject({ status: 'SUCCEEDED', output: { caseId: 'X', wake: { done: true } } });
});

it('does not call it again after a clean stop, once the function had returned', async () => {
  const store = new MemoryExecutionStore();
  const calls: string[] = [];
  const notify: Notify = async ({ caseId }) => {
    calls.push(caseId);
    return {};
  };
  const before = engineOn(store, notify);
  await before.startExecution('Y', JSON.stringify({ caseId: 'Y' }));
  await before.idle();
  await before.stop();
  expect(calls).toEqual(['Y']);

  const after = engineOn(store, notify);
  engines.push(after);
  expect(await after.open()).toBe(1);
  await after.idle();
  expect(after.isRunning('Y')).toBe(true);
  expect(calls).toEqual(['Y']);
});
