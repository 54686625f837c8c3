/**
 * Brings back, after a restart, the executions the store holds as RUNNING — in the background, a batch at a time
 * (a few batches read at once), while the engine already serves: a parked one waits again on its token and timer,
 * one cut short runs its segment again. An execution wanted before its turn (its token answered, a stop, a start
 * under its name) is brought back at once for that call (`bringBack`). Each is brought back once, whichever comes
 * first: a batch read before a call brought one back never runs that one's old record again, since by then it may
 * have woken, parked on a new token, or ended. Claiming a name and running it happen in one synchronous step.
 */
import type { MachineVersion } from './execution-record';
import type { StoredExecution } from './execution-store';

/** Executions read per request (BatchGetItem's limit), and requests at once. */
const BATCH = 100;
const BATCHES_AT_ONCE = 4;

export interface RestoreProgress {
  /** Names dealt with: brought back, or found no longer running. */
  done: number;
  /** Names the store listed as running; absent until the list is read. */
  total?: number;
}

export interface RestorerOptions {
  /** The names of the executions stored as running. */
  list(): Promise<string[]>;
  /** Reads executions by name. */
  fetch(names: string[]): Promise<StoredExecution[]>;
  versionOf(version: number): Promise<MachineVersion>;
  /** Runs a stored execution again (synchronously registers its token and timers). */
  run(stored: StoredExecution, version: MachineVersion): void;
  /** Nothing is brought back in the background before this settles. */
  gate?: Promise<unknown>;
}

export class Restorer {
  private readonly claimed = new Set<string>();
  private progress: RestoreProgress = { done: 0 };
  private brought = 0;
  private over = false;
  private stopping = false;
  private stopped!: () => void;
  private readonly stop$ = new Promise<void>((resolve) => (this.stopped = resolve));
  private pass?: Promise<number>;

  constructor(private readonly options: RestorerOptions) {}

  /** Starts the background pass (once); resolves to how many executions were brought back, by it or by calls. */
  start(): Promise<number> {
    this.pass ??= this.restoreAll();
    return this.pass;
  }

  /** How far the background pass has got; undefined once it is over. */
  status(): RestoreProgress | undefined {
    return this.over ? undefined : { ...this.progress };
  }

  /** Brings the named execution back now unless it is back already (or the pass is over, or it is not running). */
  async bringBack(name: string): Promise<void> {
    if (!this.waitsFor(name)) return;
    const [stored] = await this.options.fetch([name]);
    if (stored?.status !== 'RUNNING') return;
    const version = await this.options.versionOf(stored.version);
    this.runOnce(stored, version);
  }

  /** Stops bringing executions back; resolves once the pass has let go (it does not wait for its gate). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped();
    await this.pass?.catch(() => {});
  }

  private waitsFor(name: string): boolean {
    return !this.over && !this.stopping && !this.claimed.has(name);
  }

  /** Claims and runs in one step: true when this call brought it back. */
  private runOnce(stored: StoredExecution, version: MachineVersion): void {
    if (!this.waitsFor(stored.name)) return;
    this.claimed.add(stored.name);
    this.brought += 1;
    this.options.run(stored, version);
  }

  private async restoreAll(): Promise<number> {
    // A stop does not wait for the list (tens of seconds with 50,000 kept); a list that fails after it is of no interest.
    const listing = this.options.list();
    listing.catch(() => {});
    const listed = await Promise.race([listing, this.stop$.then((): string[] => [])]);
    const names = this.stopping ? [] : listed;
    this.progress = { done: 0, total: names.length };
    await Promise.race([this.options.gate, this.stop$]);
    const batches: string[][] = [];
    for (let index = 0; index < names.length; index += BATCH) batches.push(names.slice(index, index + BATCH));
    let next = 0;
    const worker = async () => {
      while (next < batches.length && !this.stopping) {
        const batch = batches[next++];
        const stored = await this.options.fetch(batch.filter((name) => this.waitsFor(name)));
        const running = stored.filter((execution) => execution.status === 'RUNNING');
        const versions = new Map<number, MachineVersion>();
        for (const version of new Set(running.map((execution) => execution.version)))
          versions.set(version, await this.options.versionOf(version));
        for (const execution of running) {
          // Every version the batch runs was loaded just above.
          const version = versions.get(execution.version);
          if (!version) throw new Error(`Execution '${execution.name}' runs version ${execution.version}, not loaded with its batch`);
          this.runOnce(execution, version);
        }
        this.progress.done += batch.length;
      }
    };
    await Promise.all(Array.from({ length: BATCHES_AT_ONCE }, worker));
    if (!this.stopping) {
      // Every name is dealt with: nothing is brought back any more, and the claims can go.
      this.over = true;
      this.claimed.clear();
    }
    return this.brought;
  }
}
