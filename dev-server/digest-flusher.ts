/** The sweeper Lambda's timely work in local mode: due reminders, reminder digests and plain-week deadlines, on the platform's clock. */
import { sweepDueCases } from '../shared/core/case-reminders';
import { recountPlainWeekDeadlines } from '../shared/core/plain-week-deadlines';
import { flushDueDigests } from '../shared/core/reminders';
import type { AppDependencies } from '../shared/http/api-handler';
import type { LocalClock } from './adapters/timers';

/**
 * Sends due reminders and reminder digests promptly whatever the time scale (the sweeper's work in the cloud,
 * every 5 minutes there): four checks per window of policy time — on the wall clock between 200 ms and 60 s apart;
 * on a driven clock exactly that (a minute of policy time would be many checks per advanced day). Each check is
 * armed when the last has finished.
 */
export function digestFlusher(deps: AppDependencies, clock: LocalClock): { stop(): void } {
  const windowTimerMs = (deps.policy.reminderWindowMinutes * 60_000) / clock.scale;
  const everyMs = clock.driven ? windowTimerMs / 4 : Math.min(Math.max(windowTimerMs / 4, 200), 60_000);
  let stopped = false;
  let timer = clock.after(everyMs, function check(): Promise<void> {
    return Promise.all([
      sweepDueCases(deps).catch((error) => deps.logger.error('Due reminders not sent', { error: String(error) })),
      flushDueDigests(deps).catch((error) => deps.logger.error('Reminder digests not flushed', { error: String(error) })),
      // The version in effect as the sweeper Lambda's would see it (checked once a minute), then its calendar years.
      Promise.resolve(deps.refreshReference?.())
        .then(() => recountPlainWeekDeadlines(deps))
        .catch((error) => deps.logger.error('Plain-week deadlines not counted again', { error: String(error) })),
    ]).then(() => {
      if (!stopped) timer = clock.after(everyMs, check);
    });
  });
  return {
    stop: () => {
      stopped = true;
      timer.cancel();
    },
  };
}
