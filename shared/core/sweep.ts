/**
 * Nothing accepted is lost: the sweeper starts the lifecycle of any stored event whose workflow never
 * waited on it (the start failed after the event was stored, or the execution stopped before its first
 * wait). Each run also sends the reminder digests that are due (reminders.ts). Local mode resumes every
 * open case once, when it opens a data folder from before it kept its executions.
 */
import { toLocalIso } from '../domain/calendar';
import type { Case } from '../domain/types';
import { executionName } from '../domain/lifecycle';
import { buildChange, SYSTEM_ACTOR } from './changes';
import type { CoreDependencies } from './dependencies';
import { updateCase } from './update-case';
import { flushDueDigests, type ReminderDeps } from './reminders';

type SweepDeps = Pick<CoreDependencies, 'cases' | 'caseLists' | 'workflow' | 'clock' | 'directory' | 'logger'>;

/** An event younger than this (policy time) may still be starting normally. */
const GRACE_MS = 2 * 60_000;
const PAGE = 100;

/**
 * One sweeper run: starts the lifecycles that never started and sends the reminder digests that are due.
 * Neither job waits on the other, and one failing does not stop the other.
 */
export async function sweep(deps: SweepDeps & ReminderDeps): Promise<{ started: string[]; digestsSent: number }> {
  const [unstarted, digests] = await Promise.allSettled([sweepUnstarted(deps), flushDueDigests(deps)]);
  if (unstarted.status === 'rejected') throw unstarted.reason;
  if (digests.status === 'rejected') throw digests.reason;
  return { started: unstarted.value.started, digestsSent: digests.value };
}

export async function sweepUnstarted(deps: SweepDeps): Promise<{ started: string[] }> {
  const graceEnded = toLocalIso(new Date(deps.clock.now().getTime() - GRACE_MS));
  const started: string[] = [];
  // Only the cases still awaiting their lifecycle are read, not every open case.
  for (const district of deps.directory.districts()) {
    for await (const eventId of deps.caseLists.unstartedEvents(district, graceEnded)) {
      const outcome = await ensureLifecycle(deps, eventId);
      if (outcome !== 'running') started.push(eventId);
    }
  }
  if (started.length)
    deps.logger.warn('Started lifecycles the sweeper found missing', { count: started.length, eventIds: started.slice(0, 20) });
  return { started };
}

/**
 * Makes sure an open case has a running execution: asks Step Functions about the case's current one
 * (DescribeExecution); never started: starts it; closed while the case is open (it failed, timed out or
 * was stopped): records the next generation on the case and starts it under that fresh name, `<id>-<n>`
 * (Step Functions refuses a closed execution's name for 90 days).
 */
export async function ensureLifecycle(deps: SweepDeps, eventId: string): Promise<'running' | 'started' | 'restarted'> {
  const stored = await deps.cases.get(eventId);
  if (stored?.event.status !== 'open') return 'running';
  const generation = stored.event.workflowGeneration ?? 1;
  const status = await deps.workflow.status(eventId, generation);
  if (status === 'running') return 'running';
  if (status === 'none') return (await deps.workflow.start(eventId, generation)) === 'started' ? 'started' : 'running';
  const now = deps.clock.now();
  const { change } = await updateCase(deps, eventId, ({ event }) => {
    if (event.status !== 'open' || (event.workflowGeneration ?? 1) !== generation) return undefined;
    return buildChange(
      event,
      { ...event, workflowGeneration: generation + 1, workflowSince: toLocalIso(now) },
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

/** Starts (or re-attaches to) the lifecycle of every open event. */
export async function resumeOpenEvents(deps: SweepDeps): Promise<number> {
  let resumed = 0;
  for await (const event of openEvents(deps)) {
    await deps.workflow.start(event.id, event.workflowGeneration);
    resumed += 1;
  }
  return resumed;
}

async function* openEvents(deps: SweepDeps): AsyncGenerator<Case> {
  for (const district of deps.directory.districts()) {
    let cursor: string | undefined;
    do {
      const page = await deps.cases.list({ unitPrefix: district, status: 'open', limit: PAGE, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
