/**
 * The lifecycle's first step (shared/core/workflow-steps.ts `register`) on a case routed when it was stored — every
 * report but a resident's: it reads the case once and goes on to its wait (it read it twice, checking the clock
 * in a second read, a GetItem of each report for nothing).
 */
import { jest } from '@jest/globals';
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import type { CoreDependencies } from '../../shared/core/dependencies';
import { reportCase } from '../../shared/core/report-case';
import { runWorkflowStep } from '../../shared/core/workflow-steps';
import type { WorkflowPort } from '../../shared/ports/workflow';
import { pureDeps, rosterCaller } from './pure-deps';

function coreDeps(now: string): CoreDependencies {
  const workflow: WorkflowPort = {
    start: async () => 'started',
    status: async () => 'running',
    sendTaskSuccess: async () => true,
    course: async () => undefined,
  };
  return {
    ...pureDeps(now, { ports: { ...createMemoryStores(), workflow, notifier: { send: async () => ({ messageId: 'm' }) } } }),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  };
}

/** A grid worker's report of a blocked drain in her grid: routed when stored, its lifecycle not begun. */
async function reportDrain(deps: CoreDependencies) {
  const { case: reported } = await reportCase(deps, {
    body: { itemCode: '01-01', gridCode: '441302010001001', description: '金英街排水口堵塞', severity: 4, photos: [] },
    caller: rosterCaller('gw-ouyang-lingqiao'),
    clientId: 'test',
  });
  return reported;
}

test('a case routed when stored: register reads it once and waits for its handler', async () => {
  const deps = coreDeps('2026-11-23T09:00:00+08:00');
  const reported = await reportDrain(deps);
  const reads = jest.spyOn(deps.cases, 'get');
  const decision = await runWorkflowStep(deps, { step: 'register', eventId: reported.id, loops: 0 });
  expect(decision).toMatchObject({ next: 'handle' });
  expect(reads).toHaveBeenCalledTimes(1);
});

test('a case whose deadline passed before its lifecycle began: register still moves it at the checkpoint, reading it once', async () => {
  const reportedAt = coreDeps('2026-11-23T09:00:00+08:00');
  const reported = await reportDrain(reportedAt);
  // The same store a week later (a lifecycle started late, or resumed): the acknowledgement is long overdue.
  const later = { ...coreDeps('2026-11-30T09:00:00+08:00'), cases: reportedAt.cases };
  const before = (await later.cases.get(reported.id))?.case;
  const reads = jest.spyOn(later.cases, 'get');
  await runWorkflowStep(later, { step: 'register', eventId: reported.id, loops: 0 });
  const after = (await later.cases.get(reported.id))?.case;
  expect(reads).toHaveBeenCalledTimes(2); // the step's one read, and this test's
  expect(after?.version).toBeGreaterThan(before?.version ?? 0);
});
