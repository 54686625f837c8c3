/**
 * An applied action never strands its case (issue 11, item 1), on the local stack: the action keeps the waiting
 * task's token on the case until its wake (SendTaskSuccess) succeeded, retrying a refused wake with backoff; the
 * reply is a 2xx for an applied action even when every wake fails, and the execution then picks the change up at
 * its own next check. The faults are real: events-action's Step Functions calls fail.
 */
import type { SdkClient } from '../../shared/composition/cloud-dependencies';
import { act, at, eventually, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

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
beforeAll(async () => {
  // ×1800: the drain's working day (its deadline, when a wait that was never woken checks the case) is ~14 s.
  stack = await startStack({ timeScale: 1800, clockStart: at('2026-11-23 09:00'), instrument: failWakes });
});
afterAll(() => stack?.stop());

async function waitingCase(description: string): Promise<string> {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { status, body } = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description, reporter: { name: '居民', phone: '13000009999' } },
  });
  expect(status).toBe(201);
  await eventually(async () => ((await stack.platform.deps.cases.get(body.id))?.waitingTask ? true : undefined), 'the wait on the handler');
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
  const stored = await eventually(
    async () => {
      const current = await stack.platform.deps.cases.get(id);
      return current?.event.fedBackAt && current.waitingTask?.waitingFor === 'rating' ? current : undefined;
    },
    'the feedback and the wait for a rating',
    20_000,
  );
  expect(stored.event.stage).toBe('feedback');
});

test('a wake that keeps failing still answers 200; the token stays on the case and the execution takes the change up at its next check', async () => {
  const id = await waitingCase('金英街排水口堵塞（唤醒失败）');
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
  // The wait times out at the case's next checkpoint, checks the case and feeds back: the case did not strand.
  await eventually(
    async () => ((await stack.platform.deps.cases.get(id))?.event.fedBackAt ? true : undefined),
    'the feedback after the execution checked the case',
    90_000,
  );
}, 120_000);
