/**
 * Local policy time for `npm start`: runs `scale` times faster than the wall clock, so a working day's deadline
 * passes in seconds for demos. It never runs backwards across restarts: it resumes from the latest policy time
 * the data folder remembers. Its timers run on the wall clock (a Step Functions second is a wall second).
 */
import { type LocalClock, type Timer, wallTimers } from './timers';

export class ScaledClock implements LocalClock {
  readonly driven = false;
  private readonly wallStart = Date.now();

  constructor(
    readonly scale: number,
    private readonly policyStart: number = Date.now(),
  ) {
    if (!(scale > 0)) throw new Error('GRIDFLOW_TIME_SCALE must be a positive number');
  }

  now(): Date {
    return new Date(this.policyStart + (Date.now() - this.wallStart) * this.scale);
  }

  timerNow(): number {
    return wallTimers.timerNow();
  }

  after(ms: number, fire: () => unknown): Timer {
    return wallTimers.after(ms, fire);
  }
}
