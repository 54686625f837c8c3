/**
 * Nothing accepted is lost: the sweeper starts the lifecycle of any stored case whose workflow never
 * waited on it (the start failed after the case was stored, or the execution stopped before its first
 * wait). Each run also sends the reminder digests that are due (reminders.ts). Local mode resumes every
 * open case once, when it opens a data folder from before it kept its executions.
 */
import { toLocalIso } from '../domain/calendar';
import type { Case } from '../domain/types';
import type { CoreDependencies } from './dependencies';
import { ensureLifecycle } from './ensure-lifecycle';
import { type DueSweepDeps, sweepDueCases } from './case-reminders';
import { logOperatorWarnings, type OperatorWarning } from './operator-warnings';
import { type PlainWeekDeps, recountPlainWeekDeadlines } from './plain-week-deadlines';
import { flushDueDigests, type ReminderDeps } from './reminders';

type SweepDeps = Pick<CoreDependencies, 'cases' | 'caseLists' | 'workflow' | 'clock' | 'directory' | 'logger'>;

/** A case younger than this (policy time) may still be starting normally. */
const GRACE_MS = 2 * 60_000;
const PAGE = 100;

/**
 * One sweeper run: starts the lifecycles that never started, sends the reminder digests that are due, and
 * the reminders due on cases (checking the lifecycle of a case whose deadline passed unacted on: case-reminders.ts);
 * counts again the deadlines counted on a plain week whose year's calendar has arrived (plain-week-deadlines.ts), and
 * logs the operator warnings an alarm watches (a due year's holiday arrangement missing).
 * No job waits on another, and one failing does not stop the others.
 */
export async function sweep(deps: SweepDeps & ReminderDeps & DueSweepDeps & PlainWeekDeps): Promise<{
  started: string[];
  digestsSent: number;
  reminded: number;
  restarted: string[];
  recounted: string[];
  warnings: OperatorWarning[];
}> {
  const warnings = logOperatorWarnings(deps);
  const [unstarted, digests, due, recounted] = await Promise.allSettled([
    sweepUnstarted(deps),
    flushDueDigests(deps),
    sweepDueCases(deps),
    recountPlainWeekDeadlines(deps),
  ]);
  if (unstarted.status === 'rejected') throw unstarted.reason;
  if (digests.status === 'rejected') throw digests.reason;
  if (due.status === 'rejected') throw due.reason;
  if (recounted.status === 'rejected') throw recounted.reason;
  return { started: unstarted.value.started, digestsSent: digests.value, ...due.value, recounted: recounted.value, warnings };
}

export async function sweepUnstarted(deps: SweepDeps): Promise<{ started: string[] }> {
  const graceEnded = toLocalIso(new Date(deps.clock.now().getTime() - GRACE_MS));
  const started: string[] = [];
  // Only the cases still awaiting their lifecycle are read, not every open case.
  for (const district of deps.directory.districts()) {
    for await (const eventId of deps.caseLists.unstartedCases(district, graceEnded)) {
      const outcome = await ensureLifecycle(deps, eventId);
      if (outcome !== 'running') started.push(eventId);
    }
  }
  if (started.length)
    deps.logger.warn('Started lifecycles the sweeper found missing', { count: started.length, eventIds: started.slice(0, 20) });
  return { started };
}

/** Starts (or re-attaches to) the lifecycle of every open case. */
export async function resumeOpenCases(deps: SweepDeps): Promise<number> {
  let resumed = 0;
  for await (const theCase of openCases(deps)) {
    await deps.workflow.start(theCase.id, theCase.workflowGeneration);
    resumed += 1;
  }
  return resumed;
}

async function* openCases(deps: SweepDeps): AsyncGenerator<Case> {
  for (const district of deps.directory.districts()) {
    let cursor: string | undefined;
    do {
      const page = await deps.cases.list({ unitPrefix: district, status: 'open', limit: PAGE, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
