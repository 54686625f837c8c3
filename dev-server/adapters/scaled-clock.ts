/**
 * Local policy time: runs `scale` times faster than the wall clock, so a working day's deadline passes in
 * seconds for demos. It never runs backwards across restarts: it resumes from the latest policy time
 * the data folder remembers.
 */
import type { Clock } from '../../shared/ports/clock';

export class ScaledClock implements Clock {
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
}
