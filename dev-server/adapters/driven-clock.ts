/**
 * A clock tests drive: policy time stands still until the test moves it (`advance`, `advanceTo`), and moving it
 * fires every timer armed on it (timers.ts) that falls due on the way, in time order, each at its own moment,
 * waiting after each for the work it started to settle — the fired timer's own promise and what the platform
 * names (the workflow engine's runs, the SMS sender). So a test reads the outcome straight after the call.
 * One Step Functions second is one policy second here (`scale` 1).
 */
import type { LocalClock, Timer } from './timers';

interface DueTimer {
  at: number;
  /** Arming order: timers due at the same moment fire in the order they were armed. */
  order: number;
  fire: () => unknown;
  cancelled: boolean;
}

export class DrivenClock implements LocalClock {
  readonly scale = 1;
  readonly driven = true;
  private nowMs: number;
  private armed = 0;
  private readonly timers: DueTimer[] = [];
  private readonly firing = new Set<Promise<unknown>>();
  private readonly busyChecks: (() => Promise<unknown>)[] = [];
  /** Moves are taken one after the other. */
  private moving: Promise<unknown> = Promise.resolve();

  constructor(start: Date) {
    this.nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  timerNow(): number {
    return this.nowMs;
  }

  after(ms: number, fire: () => unknown): Timer {
    const timer: DueTimer = { at: this.nowMs + Math.max(0, ms), order: this.armed++, fire, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Work the platform does on its own after a timer fires (a workflow run, SMS being sent): settling waits for it. */
  settlesWith(busy: () => Promise<unknown>): void {
    this.busyChecks.push(busy);
  }

  /** Moves policy time on by `ms`, firing what falls due on the way. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(new Date(this.nowMs + ms));
  }

  /** Moves policy time on to `target`, firing what falls due up to it (inclusive), each at its own moment. */
  advanceTo(target: Date): Promise<void> {
    const move = this.moving.then(async () => {
      if (target.getTime() < this.nowMs)
        throw new Error(`The clock cannot go back from ${this.now().toISOString()} to ${target.toISOString()}`);
      // What an HTTP call started (a lifecycle's first steps) runs at the moment it was made.
      await this.settled();
      for (let next = this.nextDue(target.getTime()); next; next = this.nextDue(target.getTime())) {
        this.nowMs = Math.max(this.nowMs, next.at);
        this.firing.add(Promise.resolve(next.fire()));
        await this.settled();
      }
      this.nowMs = target.getTime();
    });
    this.moving = move.catch(() => {});
    return move;
  }

  /** Resolves once the fired timers' work and the platform's own work have settled (what a fired timer failed with is thrown). */
  async settled(): Promise<void> {
    const failures: unknown[] = [];
    do {
      const fired = [...this.firing];
      this.firing.clear();
      for (const outcome of await Promise.allSettled(fired)) if (outcome.status === 'rejected') failures.push(outcome.reason);
      for (const busy of this.busyChecks) await busy();
    } while (this.firing.size > 0);
    if (failures.length) throw failures[0];
  }

  /** The earliest timer due at or before `limit`, taken off the list. */
  private nextDue(limit: number): DueTimer | undefined {
    let best = -1;
    for (let index = 0; index < this.timers.length; index++) {
      const timer = this.timers[index];
      if (timer.cancelled) {
        this.timers.splice(index--, 1);
        continue;
      }
      const current = this.timers[best];
      if (timer.at <= limit && (!current || timer.at < current.at || (timer.at === current.at && timer.order < current.order)))
        best = index;
    }
    return best < 0 ? undefined : this.timers.splice(best, 1)[0];
  }
}
