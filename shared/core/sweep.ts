/**
 * Nothing accepted is lost: the sweeper starts the lifecycle of any registered event whose workflow never
 * picked it up (the start failed after the event was stored). Local mode also resumes every open case
 * after a restart, because local executions live in memory. Each run also sends the reminder digests
 * that are due (reminders.ts).
 */
import type { GridEvent } from '../domain/types';
import type { CoreDependencies } from './dependencies';
import { flushDueDigests } from './reminders';

/** An event younger than this may still be starting normally. */
const GRACE_MS = 2 * 60_000;
const PAGE = 100;

/**
 * One sweeper run: starts the lifecycles that never started and sends the reminder digests that are due.
 * Neither job waits on the other, and one failing does not stop the other.
 */
export async function sweep(deps: CoreDependencies): Promise<{ started: string[]; digestsSent: number }> {
  const [unstarted, digests] = await Promise.allSettled([sweepUnstarted(deps), flushDueDigests(deps)]);
  if (unstarted.status === 'rejected') throw unstarted.reason;
  if (digests.status === 'rejected') throw digests.reason;
  return { started: unstarted.value.started, digestsSent: digests.value };
}

export async function sweepUnstarted(deps: CoreDependencies): Promise<{ started: string[] }> {
  const now = deps.clock.now().getTime();
  const started: string[] = [];
  // An unstarted case has no deadline yet: only those are read, not every open case.
  for (const district of deps.directory.districts()) {
    for await (const event of deps.store.openWithoutDeadline(district)) {
      if (!neverPickedUp(event) || now - Date.parse(event.createdAt) < GRACE_MS) continue;
      await deps.workflow.start(event.id);
      started.push(event.id);
    }
  }
  if (started.length) deps.logger.warn('Started lifecycles the sweeper found missing', { count: started.length, eventIds: started.slice(0, 20) });
  return { started };
}

/** Starts (or re-attaches to) the lifecycle of every open event. */
export async function resumeOpenEvents(deps: CoreDependencies): Promise<number> {
  let resumed = 0;
  for await (const event of openEvents(deps)) {
    await deps.workflow.start(event.id);
    resumed += 1;
  }
  return resumed;
}

/** The register step writes on a resident's report (its acceptance deadline) and routes every other report. */
function neverPickedUp(event: GridEvent): boolean {
  return event.stage === 'registered' && !event.deadlineAt && !event.acceptedAt;
}

async function* openEvents(deps: CoreDependencies): AsyncGenerator<GridEvent> {
  for (const district of deps.directory.districts()) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.list({ unitPrefix: district, status: 'open', limit: PAGE, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
