/**
 * Continuing a case in a new execution (shared/core/workflow-steps.ts, the `continue` step) is idempotent: the
 * next generation follows from the calling execution's own name, so a retried step (or one run again after a
 * recovery) records the handover once and starts the same execution; a name already taken is not "started".
 */
import { runWorkflowStep } from '../../shared/core/workflow-steps';
import type { StartOutcome, WorkflowPort } from '../../shared/ports/workflow';
import { memoryPorts, pureDeps, sampleClock, sampleEvent } from './pure-deps';

const ID = 'E20261123-7K3M9Q';
const waiting = sampleEvent({
  id: ID,
  stage: 'routed',
  assignee: { type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: '441302010001001' },
  clock: sampleClock('handling', '2026-11-23T09:00:00+08:00', '2026-11-24T09:00:00+08:00'),
  deadlineAt: '2026-11-24T09:00:00+08:00',
});

function setUp(answer: StartOutcome = 'started') {
  const { stores, notifier, applied, current } = memoryPorts(waiting);
  const starts: [string, number | undefined][] = [];
  const warnings: string[] = [];
  const workflow: WorkflowPort = {
    start: async (eventId, generation) => {
      starts.push([eventId, generation]);
      return answer;
    },
    status: async () => 'running',
    sendTaskSuccess: async () => true,
    course: async () => undefined,
  };
  const deps = {
    ...pureDeps('2026-11-23T10:00:00+08:00', { ports: { ...stores, notifier, workflow } }),
    logger: { info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} },
  };
  const continueFrom = (execution: string) => runWorkflowStep(deps, { step: 'continue', eventId: ID, loops: 300, execution });
  return { continueFrom, starts, warnings, applied, current };
}

test('a retried continue step records the handover once and starts the same execution again (Step Functions answers with it)', async () => {
  const { continueFrom, starts, applied, current } = setUp();
  expect(await continueFrom(ID)).toMatchObject({ next: 'done' });
  expect(await continueFrom(ID)).toMatchObject({ next: 'done' });
  expect(applied.map((change) => change.timeline.map((entry) => entry.type))).toEqual([['workflow_continued']]);
  expect(current()).toMatchObject({ workflowGeneration: 2, workflowSince: '2026-11-23T10:00:00+08:00' });
  expect(starts).toEqual([
    [ID, 2],
    [ID, 2],
  ]);
});

test('the second execution hands over to the third; an older execution that a later one replaced starts nothing', async () => {
  const { continueFrom, starts, current } = setUp();
  await continueFrom(ID);
  await continueFrom(`${ID}-2`);
  expect(current()).toMatchObject({ workflowGeneration: 3 });
  await continueFrom(ID);
  expect(starts).toEqual([
    [ID, 2],
    [ID, 3],
  ]);
});

test('a name that is taken (ExecutionAlreadyExists) is logged as not started, never as started', async () => {
  const { continueFrom, warnings } = setUp('exists');
  await continueFrom(ID);
  expect(warnings).toEqual(['The next execution was not started: its name is taken by another execution']);
});
