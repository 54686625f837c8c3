/**
 * Where the local engine keeps what AWS Step Functions keeps: the state machine's definition versions, each
 * execution (its status, input, result, the version it runs, where it waits) and its history. The engine
 * holds in memory only what runs now; `MemoryExecutionStore` serves tests and throwaway engines,
 * `DynamoDbExecutionStore` (dynamodb-execution-store.ts) the platform, so executions survive restarts.
 */
import type { HistoryEvent } from './history';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** How a waiting task ended, as kept: the output, or the error (a task's timeout is marked, not named). */
export type StoredSettlement = { output: unknown } | { error: string; cause: string; timeout?: boolean };

/** Where the execution's current segment began: what a restart runs again if it was cut short. */
export type SegmentStart =
  | { from: 'start' }
  | { from: 'wake'; stateName: string; stateInput: unknown; settlement: StoredSettlement; transitionsBefore?: number };

/** A top-level waiting task the execution is parked on. */
export interface StoredParking {
  stateName: string;
  parameters: Record<string, unknown>;
  stateInput: unknown;
  token: string;
  /**
   * When the task times out, or the Wait state ends: ms of the engine's timer time (../adapters/timers.ts: the wall
   * clock for npm start, where task timeouts are wall-clock seconds; a test's driven clock).
   */
  timeoutAt: number;
  /**
   * The waiting task's function has returned (its TaskSubmitted event): kept with the next write (a clean stop makes
   * one). Absent after a kill, the function may never have had the token, and a restart calls it again with it.
   */
  submitted?: true;
}

export interface StoredExecution {
  machine: string;
  name: string;
  /** The definition version it runs (1, 2, …). */
  version: number;
  /** JSON text, as StartExecution got it. */
  input: string;
  status: ExecutionStatus;
  /** ISO, in the engine's clock (policy time). */
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** History events written so far. */
  eventCount: number;
  transitions: number;
  segment: SegmentStart;
  parked?: StoredParking;
}

export interface StoredVersion {
  version: number;
  /** The definition as prepared (substitutions applied), JSON text. */
  definition: string;
  /** ISO, wall clock. */
  createdAt: string;
}

export interface ExecutionPage {
  executions: StoredExecution[];
  /** Opaque; present when more follow. */
  nextToken?: string;
}

export interface ExecutionStore {
  /** The version that holds this definition: the latest if it is the same text, else a new one. */
  versionFor(machine: string, definition: string, now: Date): Promise<StoredVersion>;
  version(machine: string, version: number): Promise<StoredVersion | undefined>;
  /** Every state machine stored, with its latest version. */
  machines(): Promise<{ machine: string; latest: StoredVersion; created: StoredVersion }[]>;
  /** Stores a new execution unless the name is taken; returns the existing one when it is. */
  create(execution: StoredExecution): Promise<StoredExecution | undefined>;
  /** Stores an execution in place of one of the same name, whose history goes (the in-process start's reuse). */
  replace(execution: StoredExecution): Promise<void>;
  get(machine: string, name: string): Promise<StoredExecution | undefined>;
  /** Saves the execution and appends its new history events (numbered from eventCount − events.length + 1). */
  save(execution: StoredExecution, newEvents: HistoryEvent[]): Promise<void>;
  /** The names of the executions still RUNNING (to bring back after a restart). */
  runningNames(machine: string): Promise<string[]>;
  /** The executions of these names that the store holds (any order; a name it does not hold is left out). */
  getMany(machine: string, names: string[]): Promise<StoredExecution[]>;
  /** Newest first, optionally of one status. */
  list(machine: string, options: { status?: ExecutionStatus; limit: number; nextToken?: string }): Promise<ExecutionPage>;
  history(machine: string, name: string): Promise<HistoryEvent[]>;
}

/** Everything in this process's memory: what a test's engine, or one without a table, keeps. */
export class MemoryExecutionStore implements ExecutionStore {
  private readonly versions = new Map<string, StoredVersion[]>();
  private readonly executions = new Map<string, StoredExecution>();
  private readonly histories = new Map<string, HistoryEvent[]>();

  async versionFor(machine: string, definition: string, now: Date): Promise<StoredVersion> {
    const versions = this.versions.get(machine) ?? [];
    const latest = versions.at(-1);
    if (latest?.definition === definition) return latest;
    const created = { version: (latest?.version ?? 0) + 1, definition, createdAt: now.toISOString() };
    this.versions.set(machine, [...versions, created]);
    return created;
  }

  async version(machine: string, version: number): Promise<StoredVersion | undefined> {
    return this.versions.get(machine)?.find((stored) => stored.version === version);
  }

  async machines() {
    // A machine is in the map from its first version on (versionFor).
    return [...this.versions].flatMap(([machine, versions]) => {
      const [created] = versions;
      const latest = versions.at(-1);
      return created && latest ? [{ machine, latest, created }] : [];
    });
  }

  async create(execution: StoredExecution): Promise<StoredExecution | undefined> {
    const key = `${execution.machine}:${execution.name}`;
    const existing = this.executions.get(key);
    if (existing) return structuredClone(existing);
    this.executions.set(key, structuredClone(execution));
    return undefined;
  }

  async replace(execution: StoredExecution): Promise<void> {
    const key = `${execution.machine}:${execution.name}`;
    this.histories.delete(key);
    this.executions.set(key, structuredClone(execution));
  }

  async get(machine: string, name: string): Promise<StoredExecution | undefined> {
    const stored = this.executions.get(`${machine}:${name}`);
    return stored && structuredClone(stored);
  }

  async save(execution: StoredExecution, newEvents: HistoryEvent[]): Promise<void> {
    const key = `${execution.machine}:${execution.name}`;
    this.executions.set(key, structuredClone(execution));
    if (newEvents.length) this.histories.set(key, [...(this.histories.get(key) ?? []), ...newEvents]);
  }

  async runningNames(machine: string): Promise<string[]> {
    return [...this.executions.values()]
      .filter((execution) => execution.machine === machine && execution.status === 'RUNNING')
      .map((execution) => execution.name);
  }

  async getMany(machine: string, names: string[]): Promise<StoredExecution[]> {
    return names.flatMap((name) => {
      const stored = this.executions.get(`${machine}:${name}`);
      return stored ? [structuredClone(stored)] : [];
    });
  }

  async list(machine: string, options: { status?: ExecutionStatus; limit: number; nextToken?: string }): Promise<ExecutionPage> {
    const all = [...this.executions.values()]
      .filter((execution) => execution.machine === machine && (!options.status || execution.status === options.status))
      .sort((a, b) => startKey(b).localeCompare(startKey(a)));
    const { nextToken } = options;
    const from = nextToken ? all.findIndex((execution) => startKey(execution) < nextToken) : 0;
    const page = from < 0 ? [] : all.slice(from, from + options.limit);
    const last = page.at(-1);
    const more = from >= 0 && from + options.limit < all.length;
    return { executions: page, ...(more && last && { nextToken: startKey(last) }) };
  }

  async history(machine: string, name: string): Promise<HistoryEvent[]> {
    return this.histories.get(`${machine}:${name}`) ?? [];
  }
}

/** Orders executions by start (newest first), then name. */
export function startKey(execution: Pick<StoredExecution, 'startDate' | 'name'>): string {
  return `${execution.startDate}#${execution.name}`;
}
