/**
 * Local mode's one timer port. The scheduler, the Step Functions engine's timers (task timeouts, the execution's
 * TimeoutSeconds and one-year limit) and the platform's reminder poller arm their timers here, never with
 * setTimeout, so that a test's driven clock (driven-clock.ts) fires them all, in time order; `npm start` arms
 * them on the wall clock (scaled-clock.ts).
 */
import type { Clock } from '../../shared/ports/clock';

export interface Timer {
  cancel(): void;
}

export interface Timers {
  /**
   * Timer time now, in epoch ms: the time the engine's task timeouts are kept in. Wall time for the scaled clock
   * (a Step Functions second is a wall second; the core divides policy time by the scale), policy time for a
   * driven one.
   */
  timerNow(): number;
  /**
   * Calls `fire` once `ms` of timer time have passed. A driven clock that fires it waits for the promise `fire`
   * returns before it moves on.
   */
  after(ms: number, fire: () => unknown): Timer;
}

/** Policy time and the timers armed on it. */
export interface LocalClock extends Clock, Timers {
  /** Time moves only when a test moves it: a poller need not be prompt in wall time. */
  readonly driven: boolean;
}

/** Node's timers overflow past 2^31−1 ms; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Timers on the wall clock. */
export const wallTimers: Timers = {
  timerNow: () => Date.now(),
  after(ms, fire) {
    const dueAt = Date.now() + Math.max(0, ms);
    let timer: NodeJS.Timeout;
    const arm = () => {
      const left = dueAt - Date.now();
      timer = setTimeout(() => (left > MAX_TIMER_MS ? arm() : void fire()), Math.min(Math.max(0, left), MAX_TIMER_MS));
    };
    arm();
    return { cancel: () => clearTimeout(timer) };
  },
};
