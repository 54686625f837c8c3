/**
 * Local mode's EventBridge Scheduler: at each scheduled job's times of policy time (shared/domain/schedule.ts)
 * it invokes the `scheduled-jobs` function with `{ "job": … }`, as the cloud's schedules do, so a sped-up
 * demo publishes its daily report every policy morning.
 */
import { toLocalIso } from '../shared/domain/calendar';
import { nextRun, SCHEDULED_JOBS, type JobName, type JobTime, type ScheduledJob } from '../shared/domain/schedule';
import type { CoreLogger } from '../shared/core/dependencies';
import type { LocalClock, Timer } from './adapters/timers';

export class LocalScheduler {
  private readonly timers = new Set<Timer>();
  private readonly running = new Set<string>();
  private stopped = false;

  constructor(
    private readonly clock: LocalClock,
    private readonly logger: CoreLogger,
    /** Invokes the scheduled-jobs function for a job (it runs the job at its own policy time, now). */
    private readonly invoke: (job: JobName) => Promise<{ done: number }>,
  ) {}

  start(): void {
    for (const job of SCHEDULED_JOBS) for (const time of job.times) this.schedule(job, time);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  private schedule(job: ScheduledJob, time: JobTime, after = this.clock.now()): void {
    if (this.stopped) return;
    const at = nextRun(time, after);
    const timerMs = Math.max(0, (at.getTime() - this.clock.now().getTime()) / this.clock.scale);
    // A driven clock waits for the run (and the next run armed) before it moves on.
    const timer = this.clock.after(timerMs, () => {
      this.timers.delete(timer);
      if (this.clock.now() < at) return this.schedule(job, time, new Date(at.getTime() - 1));
      return this.run(job, at).finally(() => this.schedule(job, time, at));
    });
    this.timers.add(timer);
  }

  private async run(job: ScheduledJob, at: Date): Promise<void> {
    // A run still going when the next comes round (a very fast clock) lets that one pass.
    if (this.running.has(job.name) || this.stopped) return;
    this.running.add(job.name);
    try {
      const result = await this.invoke(job.name);
      this.logger.info(`Scheduled job ${job.name} for ${toLocalIso(at)}`, { done: result.done });
    } catch (error) {
      this.logger.error(`Scheduled job ${job.name} failed`, { at: toLocalIso(at), error: String(error) });
    } finally {
      this.running.delete(job.name);
    }
  }
}
