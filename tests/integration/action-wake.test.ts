/**
 * An applied action never strands its case (issue 11, item 1), on the local stack: the action keeps the waiting
 * task's token on the case until its wake (SendTaskSuccess) succeeded, retrying a refused wake with backoff; the
 * reply is a 2xx for an applied action even when every wake fails, and the execution then picks the change up at
 * its own next check. The faults are real: events-action's Step Functions calls fail.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import type { SdkClient } from '../../shared/composition/cloud-dependencies';
import { act, at, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

/** events-action's SendTaskSuccess calls fail while this is above 0, one call per count. */
let failing = 0;
let failed = 0;

function failWakes(functionName: string, client: SdkClient, service: string): void {
  if (functionName !== 'events-action' || service !== 'states') return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (failing > 0 && (context as { commandName?: string }).commandName === 'SendTaskSuccessCommand') {
        failing -= 1;
        failed += 1;
        throw Object.assign(new Error('Injected: Step Functions is unavailable'), { name: 'ServiceUnavailable' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectedWakeFailure' },
  );
}

let stack: Stack;
// Moved by the test to the drain's deadline, when a wait that was never woken checks the case.
const clock = new DrivenClock(at('2026-11-23 09:00'));
beforeAll(async () => {
  stack = await startStack({ clock, instrument: failWakes });
});
afterAll(() => stack?.stop());

async function waitingCase(description: string): Promise<string> {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { status, body } = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description, reporter: { name: '居民', phone: '13000009999' } },
  });
  expect(status).toBe(201);
  await clock.settled();
  expect((await stack.platform.deps.cases.get(body.id))?.waitingTask).toBeDefined();
  return body.id;
}

const complete = (id: string) =>
  act(stack, id, stack.token('grid_worker', JINYUAN_GRID_1), {
    action: 'complete',
    note: '已清理',
    photos: ['https://p.example/after.jpg'],
  });

test('a refused wake is retried: the action answers 200 and the case goes on at once (fed back, waiting for a rating)', async () => {
  const id = await waitingCase('金英街排水口堵塞（唤醒重试）');
  failing = 2;
  failed = 0;
  const reply = await complete(id);
  expect(reply.status).toBe(200);
  expect(failed).toBe(2);
  // At once: time has not moved.
  await clock.settled();
  const stored = await stack.platform.deps.cases.get(id);
  expect(stored?.case.fedBackAt).toBeDefined();
  expect(stored?.waitingTask?.waitingFor).toBe('rating');
  expect(stored?.case.stage).toBe('feedback');
});

test('a wake that keeps failing still answers 200; the token stays on the case and the execution takes the change up at its next check', async () => {
  const id = await waitingCase('金英街排水口堵塞（唤醒失败）');
  const deadlineAt = (await stack.platform.deps.cases.get(id))?.case.deadlineAt;
  if (!deadlineAt) throw new Error(`${id} has no deadline`);
  failing = Number.POSITIVE_INFINITY;
  failed = 0;
  const reply = await complete(id);
  failing = 0;
  expect(reply.status).toBe(200);
  expect(reply.body.stage).toBe('feedback');
  // One try and three retries.
  expect(failed).toBe(4);
  const kept = await stack.platform.deps.cases.get(id);
  expect(kept?.waitingTask?.waitingFor).toBe('handling');
  // The wait times out at the case's deadline, checks the case and feeds back: the case did not strand.
  await clock.advanceTo(new Date(Date.parse(deadlineAt) - 1000));
  expect((await stack.platform.deps.cases.get(id))?.case.fedBackAt).toBeUndefined();
  await clock.advanceTo(new Date(deadlineAt));
  expect((await stack.platform.deps.cases.get(id))?.case.fedBackAt).toBeDefined();
});
