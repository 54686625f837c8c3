/**
 * Every loop of the lifecycle is bounded: the execution counts its rounds, and past the policy's bound a
 * new execution (<id>-2) takes the case over — far below Step Functions' 25,000-event history.
 */
import { readFileSync } from 'node:fs';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { at, fetchEvent, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const definition = JSON.parse(readFileSync(new URL('../../workflows/event-lifecycle.asl.json', import.meta.url), 'utf8'));
const states: Record<string, any> = definition.States;

describe('the bound, read off the definition and the policy', () => {
  test('every Task hands the round count to the core, and the choice can hand over to a new execution', () => {
    for (const [name, state] of Object.entries(states).filter(([, state]) => state.Type === 'Task')) {
      expect([name, state.Parameters.Payload['loops.$']]).toEqual([name, '$.decision.loops']);
    }
    const handOver = states['What next?'].Choices.find((choice: { StringEquals: string }) => choice.StringEquals === 'continue');
    expect(states[handOver.Next]).toMatchObject({ Type: 'Task', End: true });
  });

  test('the default bound keeps an execution far below 25,000 history events', () => {
    // The longest round: a wait, Check the case, What next? — three states; AWS writes at most five
    // history events per Task state (scheduled, started, submitted, succeeded, exited) plus its entry.
    const longestRound = 3;
    const eventsPerState = 6;
    expect(DEFAULT_POLICY.maxWorkflowLoops * longestRound * eventsPerState).toBeLessThan(25_000 / 2);
  });
});

describe('on the local engine', () => {
  let stack: Stack;
  const clock = new DrivenClock(at('2026-11-23 09:00'));
  beforeAll(async () => {
    stack = await startStack({ clock, policy: { ...DEFAULT_POLICY, maxWorkflowLoops: 1 } });
  });
  afterAll(() => stack?.stop());

  test('a case that loops past the bound continues in execution <id>-2 and can still be completed', async () => {
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const { body } = await stack.call('POST', '/events', {
      token: worker,
      body: { itemCode: '01-04', gridCode: JINYUAN_GRID_1, description: '占道经营' },
    });
    const engine = stack.platform.workflow.engine;
    await clock.settled();
    const registered = await fetchEvent(stack, body.id, worker);
    expect(engine.isRunning(body.id)).toBe(true);
    expect(engine.isRunning(`${body.id}-2`)).toBe(false);
    // Register's round, then the grid's deadline (the reminders are the sweeper's, not rounds): the next wait is handed over.
    await clock.advanceTo(new Date(registered.deadlineAt));
    expect(engine.isRunning(`${body.id}-2`)).toBe(true);
    const first = await engine.result(body.id);
    expect(first.status).toBe('SUCCEEDED');

    const { body: continued } = await stack.call('GET', `/events/${body.id}`, { token: worker });
    expect(continued.timeline.map((entry: { type: string }) => entry.type)).toContain('workflow_continued');
    // The grid's deadline moved the case up in the first execution's round, which then handed over.
    expect(continued).toMatchObject({ tier: 'community', overdue: true });
    // The second execution carries on with the clock: at the community's deadline it moves the case up again (and,
    // past the bound once more, hands over to <id>-3); the case can still be completed.
    await clock.advanceTo(new Date(continued.deadlineAt));
    const escalated = await fetchEvent(stack, body.id, worker);
    expect(escalated).toMatchObject({ tier: 'town', overdue: true });
    expect(escalated.timeline.at(-2)).toMatchObject({ type: 'escalated', at: continued.deadlineAt, tier: 'town' });
    expect(await engine.result(`${body.id}-2`)).toMatchObject({ status: 'SUCCEEDED' });
    expect(engine.isRunning(`${body.id}-3`)).toBe(true);
    const streetTeam = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
    expect(
      (await stack.call('POST', `/events/${body.id}/actions`, { token: streetTeam, body: { action: 'complete', note: '已处理' } })).status,
    ).toBe(200);
    await clock.settled();
    expect((await fetchEvent(stack, body.id, worker)).stage).toBe('archived');
    expect(await engine.result(`${body.id}-3`)).toMatchObject({ status: 'SUCCEEDED' });
  });
});
