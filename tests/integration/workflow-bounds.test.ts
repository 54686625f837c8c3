/**
 * Every loop of the lifecycle is bounded: the execution counts its rounds, and past the policy's bound a
 * new execution (<id>-2) takes the case over — far below Step Functions' 25,000-event history.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { at, eventually, JINYUAN, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

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
  beforeAll(async () => {
    stack = await startStack({ timeScale: 7200, clockStart: at('2026-11-23 09:00'), policy: { ...DEFAULT_POLICY, maxWorkflowLoops: 1 } });
  });
  afterAll(() => stack?.stop());

  test('a case that loops past the bound continues in execution <id>-2 and can still be completed', async () => {
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const { body } = await stack.call('POST', '/events', {
      token: worker,
      body: { itemCode: '01-04', gridCode: JINYUAN_GRID_1, description: '占道经营' },
    });
    const engine = stack.platform.workflow.engine;
    // Register's round, then the grid's deadline (the reminders are the sweeper's, not rounds): the next wait is handed over.
    await eventually(async () => (engine.isRunning(`${body.id}-2`) ? true : undefined), 'the second execution', 60_000);
    const first = await engine.result(body.id);
    expect(first.status).toBe('SUCCEEDED');

    const { body: continued } = await stack.call('GET', `/events/${body.id}`, { token: worker });
    expect(continued.timeline.map((entry: { type: string }) => entry.type)).toContain('workflow_continued');
    // The second execution carries on with the clock: the case still escalates and can be completed.
    const escalated = await eventually(
      async () => {
        const { body: current } = await stack.call('GET', `/events/${body.id}`, { token: worker });
        return current.tier === 'community' ? current : undefined;
      },
      'the escalation in the second execution',
      60_000,
    );
    expect(escalated.overdue).toBe(true);
    const station = stack.token('community_station', JINYUAN);
    expect(
      (await stack.call('POST', `/events/${body.id}/actions`, { token: station, body: { action: 'complete', note: '已处理' } })).status,
    ).toBe(200);
    await eventually(
      async () => ((await stack.call('GET', `/events/${body.id}`, { token: worker })).body.stage === 'archived' ? true : undefined),
      'archive',
      60_000,
    );
    // The clock is scaled wall time (2 policy hours a second): on a loaded machine the night before the
    // deadline can take a while longer, so the waits are generous; on an idle one this takes ~12 s.
  }, 200_000);
});
