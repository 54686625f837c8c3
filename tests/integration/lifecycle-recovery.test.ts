/**
 * No case strands (issue 11, item 1), on the local stack with the real definition: a Task that fails past
 * its retries waits, checks the case afresh and goes on; a step that keeps failing fails the execution after
 * five recoveries, and the sweeper (asking DescribeExecution) starts the open case again under a fresh name.
 * The faults are real: workflow-step's own DynamoDB calls fail, as they would in an outage.
 */
import type { SdkClient } from '../../shared/composition/cloud-dependencies';
import { executionInput, executionName, MAX_RECOVERIES } from '../../shared/domain/lifecycle';
import { sweepUnstarted } from '../../shared/core/sweep';
import { at, eventually, fetchEvent, JINYUAN_GRID_1, startStack, typesOf, type Stack } from '../support/local-stack';

/** workflow-step's DynamoDB calls fail while this is above 0, one call per count. */
let failing = 0;
let failed = 0;

function failWorkflowStepCalls(functionName: string, client: SdkClient, service: string): void {
  if (functionName !== 'workflow-step' || service !== 'dynamodb') return;
  client.middlewareStack.add(
    (next) => async (args) => {
      if (failing > 0) {
        failing -= 1;
        failed += 1;
        throw Object.assign(new Error('Injected: DynamoDB is unavailable'), { name: 'InternalServerError' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectedOutage' },
  );
}

let stack: Stack;
beforeAll(async () => {
  // ×300: the policy's 5-minute recovery wait is one wall-clock second; the sweeper runs when the test says.
  stack = await startStack({
    timeScale: 300,
    clockStart: at('2026-11-23 09:00'),
    instrument: failWorkflowStepCalls,
    sweepEveryMs: 3_600_000,
  });
});
afterAll(() => stack?.stop());

async function report(description: string): Promise<string> {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { status, body } = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description },
  });
  expect(status).toBe(201);
  return body.id;
}

const statesEntered = async (name: string) =>
  ((await stack.platform.workflow.engine.history(name)) ?? [])
    .filter((event) => event.type.endsWith('StateEntered'))
    .map((event) => (event as { stateEnteredEventDetails?: { name: string } }).stateEnteredEventDetails?.name);

test('a Task failing past its retries waits, checks the case afresh and goes on: the case waits on its handler', async () => {
  // Register's four attempts (one try, three retries) and the first try of the recovery's check fail.
  failing = 5;
  failed = 0;
  const id = await report('金英街排水口堵塞（恢复）');
  const engine = stack.platform.workflow.engine;
  const stored = await eventually(
    async () => {
      const current = await stack.platform.deps.cases.get(id);
      return current?.waitingTask?.waitingFor === 'handling' ? current : undefined;
    },
    'the case waiting on its handler after the recovery',
    150_000,
  );
  expect(failed).toBe(5);
  expect(stored.event.stage).toBe('routed');
  expect(engine.isRunning(id)).toBe(true);
  const entered = await statesEntered(id);
  expect(entered.slice(0, 6)).toEqual(['Register', 'Recover: count', 'Recover again?', 'Recover: wait', 'Check the case', 'What next?']);
  expect(entered).toContain('Handle');
}, 180_000);

test('an execution past its 5 recoveries fails at the next failure; the sweeper starts the case again as <id>-2', async () => {
  failing = Number.POSITIVE_INFINITY;
  const id = await report('金英街排水口堵塞（持续故障）');
  const engine = stack.platform.workflow.engine;
  // Five recoveries used up (as five failed checks would leave it, each a minute of retries): the count is state data.
  await engine.stopExecution(id);
  await engine.start(id, { ...executionInput(id, 1), recovery: { count: MAX_RECOVERIES, waitSeconds: 1 } });
  const ended = await eventually(
    async () => {
      const description = await engine.describe(id);
      return description && description.status !== 'RUNNING' ? description : undefined;
    },
    'the execution to fail',
    120_000,
  );
  failing = 0;
  expect(ended).toMatchObject({ status: 'FAILED', error: 'GridFlow.StepKeptFailing' });
  const entered = await statesEntered(id);
  expect(entered).toEqual(['Register', 'Recover: count', 'Recover again?', 'Failed: a step keeps failing']);

  // The case is open and its lifecycle closed: the sweeper asks, and starts it under a fresh name (AWS refuses the old one).
  const sweeper = stack.platform.dependenciesOf('sweeper');
  expect((await sweepUnstarted(sweeper)).started).toEqual([id]);
  const second = executionName(id, 2);
  expect((await engine.describe(second))?.status).toBe('RUNNING');
  await eventually(
    async () => ((await stack.platform.deps.cases.get(id))?.waitingTask?.waitingFor === 'handling' ? true : undefined),
    'the case waiting on its handler in <id>-2',
    60_000,
  );
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const event = await fetchEvent(stack, id, worker);
  expect(typesOf(event)).toContain('workflow_restarted');
  // Once it waits, the case is off the sweeper's list: a second sweep starts nothing.
  expect((await sweepUnstarted(sweeper)).started).toEqual([]);
  expect(engine.isRunning(second)).toBe(true);
}, 200_000);
