/**
 * No case strands (issue 11, item 1), on the local stack with the real definition: a Task that fails past
 * its retries waits, checks the case afresh and goes on; a step that keeps failing fails the execution after
 * five recoveries, and the sweeper (asking DescribeExecution) starts the open case again under a fresh name.
 * The faults are real: workflow-step's own DynamoDB calls fail, as they would in an outage.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import type { SdkClient } from '../../shared/composition/cloud-dependencies';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { executionInput, executionName, MAX_RECOVERIES } from '../../shared/domain/lifecycle';
import { sweepUnstarted } from '../../shared/core/sweep';
import { at, fetchEvent, JINYUAN_GRID_1, startStack, typesOf, type Stack } from '../support/local-stack';

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
// The policy's 5-minute recovery wait (a Wait state) passes when the test moves the clock; the library's Retry
// intervals between failed attempts stay real seconds (jittered, up to about a minute in all). The sweeper runs when
// the test says.
const clock = new DrivenClock(at('2026-11-23 09:00'));
beforeAll(async () => {
  stack = await startStack({
    clock,
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
  // Register's four attempts fail (their retries in real seconds); the execution then waits out the recovery's wait.
  await clock.settled();
  expect(failed).toBe(4);
  const waiting = ['Register', 'Recover: count', 'Recover again?', 'Recover: wait'];
  expect(await statesEntered(id)).toEqual(waiting);
  await clock.advance(DEFAULT_POLICY.recoveryWaitSeconds * 1000 - 1000);
  expect(await statesEntered(id)).toEqual(waiting);
  // The wait's end: the check of the case fails once, then goes on to the handler.
  await clock.advance(1000);
  const stored = await stack.platform.deps.cases.get(id);
  expect(stored?.waitingTask?.waitingFor).toBe('handling');
  expect(failed).toBe(5);
  expect(stored?.case.stage).toBe('routed');
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
  await clock.settled();
  const ended = await engine.describe(id);
  failing = 0;
  expect(ended).toMatchObject({ status: 'FAILED', error: 'GridFlow.StepKeptFailing' });
  const entered = await statesEntered(id);
  expect(entered).toEqual(['Register', 'Recover: count', 'Recover again?', 'Failed: a step keeps failing']);

  // The case is open and its lifecycle closed: the sweeper asks, and starts it under a fresh name (AWS refuses the old one).
  const sweeper = stack.platform.dependenciesOf('sweeper');
  // The sweeper leaves a case alone for two minutes after it was stored (its start may still be under way).
  await clock.advance(3 * 60_000);
  expect((await sweepUnstarted(sweeper)).started).toEqual([id]);
  const second = executionName(id, 2);
  expect((await engine.describe(second))?.status).toBe('RUNNING');
  await clock.settled();
  expect((await stack.platform.deps.cases.get(id))?.waitingTask?.waitingFor).toBe('handling');
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const event = await fetchEvent(stack, id, worker);
  expect(typesOf(event)).toContain('workflow_restarted');
  // Once it waits, the case is off the sweeper's list: a second sweep starts nothing.
  expect((await sweepUnstarted(sweeper)).started).toEqual([]);
  expect(engine.isRunning(second)).toBe(true);
}, 200_000);
