/** Makes sure an open case's lifecycle runs (the sweeper's check; see sweep.ts and case-reminders.ts). */
import { toLocalIso } from '../domain/calendar';
import { executionName } from '../domain/lifecycle';
import { buildChange, SYSTEM_ACTOR } from './changes';
import type { CoreDependencies } from './dependencies';
import { updateCase } from './update-case';

type LifecycleDeps = Pick<CoreDependencies, 'cases' | 'workflow' | 'clock' | 'logger'>;

/**
 * Makes sure an open case has a running execution: asks Step Functions about the case's current one
 * (DescribeExecution); never started: starts it; closed while the case is open (it failed, timed out or
 * was stopped): records the next generation on the case and starts it under that fresh name, `<id>-<n>`
 * (Step Functions refuses a closed execution's name for 90 days).
 */
export async function ensureLifecycle(deps: LifecycleDeps, eventId: string): Promise<'running' | 'started' | 'restarted'> {
  const stored = await deps.cases.get(eventId);
  if (stored?.case.status !== 'open') return 'running';
  const generation = stored.case.workflowGeneration ?? 1;
  const status = await deps.workflow.status(eventId, generation);
  if (status === 'running') return 'running';
  if (status === 'none') return (await deps.workflow.start(eventId, generation)) === 'started' ? 'started' : 'running';
  const now = deps.clock.now();
  const { change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    if (theCase.status !== 'open' || (theCase.workflowGeneration ?? 1) !== generation) return undefined;
    return buildChange(
      theCase,
      { ...theCase, workflowGeneration: generation + 1, workflowSince: toLocalIso(now) },
      {
        type: 'workflow_restarted',
        actor: SYSTEM_ACTOR,
        at: now,
        note: `执行 ${executionName(eventId, generation)} 已结束，已重新启动 its execution had ended; started again`,
        data: { generation: generation + 1, closed: executionName(eventId, generation) },
        waitingTask: null,
      },
    );
  });
  // Another sweep or a continuation moved the case on first: that one started the execution.
  if (!change) return 'running';
  const outcome = await deps.workflow.start(eventId, generation + 1);
  if (outcome === 'exists') {
    deps.logger.warn('The fresh execution was not started: its name is taken', {
      eventId,
      execution: executionName(eventId, generation + 1),
    });
    return 'running';
  }
  deps.logger.warn('Restarted a lifecycle whose execution had closed', { eventId, execution: executionName(eventId, generation + 1) });
  return 'restarted';
}
