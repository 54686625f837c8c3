/**
 * An execution's own limits, as AWS keeps them: one year of policy time (however fast the clock runs) and the
 * machine's TimeoutSeconds, on timers armed on the engine's timer port (so a driven clock fires them too).
 */
import type { Timers } from '../adapters/timers';
import type { EndResult, ExecutionRecord } from './execution-record';

/** A Standard execution lasts at most one year (of policy time, here). */
export const MAX_EXECUTION_MS = 365 * 24 * 3600 * 1000;

export function armExecutionLimits(
  execution: ExecutionRecord,
  { clock, timers }: { clock: { now(): Date; readonly scale?: number }; timers: Timers },
  end: (result: EndResult) => void,
): void {
  const scale = clock.scale ?? 1;
  const startMs = Date.parse(execution.stored.startDate);
  // Checked again when the timer fires (a scaled clock may lag its timer a little).
  const armYear = () => {
    const remainingMs = (startMs + MAX_EXECUTION_MS - clock.now().getTime()) / scale;
    if (remainingMs <= 0) {
      end({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution reached the one-year limit of a Standard execution' });
      return;
    }
    execution.timers[0] = timers.after(remainingMs + 1, armYear);
  };
  execution.timers[0] = timers.after(0, armYear);
  const timeoutSeconds = execution.version.executionTimeoutSeconds;
  if (timeoutSeconds === undefined) return;
  // The machine's TimeoutSeconds, in timer seconds like task timeouts; elapsed policy time scaled back.
  const elapsedTimerMs = (clock.now().getTime() - startMs) / scale;
  execution.timers[1] = timers.after(Math.max(0, timeoutSeconds * 1000 - elapsedTimerMs), () =>
    end({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution exceeded the state machine TimeoutSeconds' }),
  );
}
