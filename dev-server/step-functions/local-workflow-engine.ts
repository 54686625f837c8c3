/**
 * Local stand-in for AWS Step Functions (Standard): runs the project's ASL definitions on `aws-local-stepfunctions`,
 * with the Lambda functions replaced by local functions. It supplies `.waitForTaskToken` (task tokens,
 * SendTaskSuccess/Failure), parks an execution waiting on a token (only the token, a timer and the state's input
 * are kept), keeps executions, their history and the definition's versions in a store (a DynamoDB Local table on
 * the platform: they survive restarts), keeps AWS's rules and limits, and corrects the library where it differs
 * from AWS. What it emulates, parking, deviations and limits: README.md here. The runs: execution-runner.ts.
 */
import { type Timers, wallTimers } from '../adapters/timers';
import { StepFunctionsError, TaskTokenInvalid, tokenExecution } from './aws-errors';
import { substituted } from './definition';
import {
  MemoryExecutionStore,
  type ExecutionPage,
  type ExecutionStatus,
  type ExecutionStore,
  type StoredExecution,
} from './execution-store';
import { ExecutionRunner } from './execution-runner';
import type { ExecutionRecord, MachineVersion } from './execution-record';
import { MAX_PAYLOAD_BYTES } from './run-events';
import type { HistoryEvent } from './history';
import { prepareLibrary } from './library-runtime';
import { machineParts } from './machine-parts';
import { Restorer, type RestoreProgress } from './restorer';
import { TaskFailure, toJson, type ExecutionDescription, type LocalExecutionResult, type LocalTaskFunction } from './task-outcomes';

export { MAX_TIMER_SECONDS } from './definition';
export { StepFunctionsError, TaskTokenInvalid } from './aws-errors';
export type { ExecutionDescription, LocalExecutionResult, LocalTaskFunction } from './task-outcomes';
export type { RestoreProgress } from './restorer';

export interface LocalWorkflowEngineOptions {
  /** ASL JSON text or object. */
  definition: object | string;
  /** Fills `${Name}` placeholders, like CDK's `definitionSubstitutions`. */
  substitutions?: Record<string, string>;
  /** Keyed by the FunctionName value after substitution. */
  functions: Record<string, LocalTaskFunction>;
  /** Called for every state transition counted by `transitions()`. */
  onTransition?: (executionName: string, stateName: string) => void;
  /** Called for every lambda:InvokeFunction the engine makes (the permission check records them). */
  onInvoke?: (functionName: string, payload: unknown) => void;
  /** Policy time: execution and history dates, the one-year limit (`scale`: policy s per wall s). System clock by default. */
  clock?: { now(): Date; readonly scale?: number };
  /** Where its timers are armed (the platform's clock; a test's driven clock fires them). The wall clock by default. */
  timers?: Timers;
  /** Where executions, history and definition versions are kept; in memory (lost with the engine) by default. */
  store?: ExecutionStore;
  /** The state machine's name in the store; default `local`. */
  name?: string;
  /** The region in task events and `$$.Execution.Id`; default `local`. */
  region?: string;
  /** Kept executions are brought back in the background only once this settles (one wanted by a call comes back at once). */
  restoreAfter?: Promise<unknown>;
}

/** How many ended executions keep their result in memory for result() and transitions(). */
const CLOSED_KEPT = 10_000;

interface ClosedExecution {
  outcome: Promise<LocalExecutionResult>;
  transitions: number;
}

export class LocalWorkflowEngine {
  readonly name: string;
  private readonly store: ExecutionStore;
  private readonly clock: { now(): Date; readonly scale?: number };
  /** The definition as given, after substitutions (what a version stores). */
  private readonly definitionText: string;
  /** The given definition's machines; its version number is known once open. */
  private readonly parts: Omit<MachineVersion, 'version'>;
  private readonly versions = new Map<number, MachineVersion>();
  private readonly runner: ExecutionRunner;
  private readonly closed = new Map<string, ClosedExecution>();
  /** Writes of ended executions still under way (stop() waits for them). */
  private readonly lastWrites = new Set<Promise<void>>();
  private readonly restorer: Restorer;
  /** Resolves to the version this engine starts executions on (the given definition, stored). */
  private opening?: Promise<MachineVersion>;

  constructor(options: LocalWorkflowEngineOptions) {
    prepareLibrary();
    this.name = options.name ?? 'local';
    this.store = options.store ?? new MemoryExecutionStore();
    this.clock = options.clock ?? { now: () => new Date() };
    this.definitionText = substituted(options.definition, options.substitutions ?? {});
    this.parts = machineParts(this.definitionText);
    this.runner = new ExecutionRunner({
      machineName: this.name,
      region: options.region ?? 'local',
      functions: options.functions,
      store: this.store,
      clock: this.clock,
      timers: options.timers ?? wallTimers,
      onTransition: options.onTransition,
      onInvoke: options.onInvoke,
      onStoreError: (error) => console.error(`Local Step Functions: a store write failed: ${String(error)}`),
      onEnded: (execution) => this.remember(execution),
    });
    this.restorer = new Restorer({
      list: () => this.store.runningNames(this.name),
      fetch: (names) => this.store.getMany(this.name, names),
      versionOf: (version) => this.versionOf(version),
      run: (stored, version) => this.runner.run(stored, version),
      gate: options.restoreAfter,
    });
  }

  /**
   * Stores the definition as a new version if it changed, and brings back the executions kept running (README.md),
   * in the background (a call about one not back yet brings it back first). Call it at start so timers run without
   * traffic. Resolves, once every kept execution is back, to the number brought back.
   */
  async open(): Promise<number> {
    await this.ready();
    return this.restorer.start();
  }

  /** How far bringing the kept executions back has got; undefined once all are back. */
  restoring(): RestoreProgress | undefined {
    return this.restorer.status();
  }

  /** What every call waits for: the definition's version known (new executions run it), the kept ones coming back. */
  private ready(): Promise<MachineVersion> {
    this.opening ??= (async () => {
      const stored = await this.store.versionFor(this.name, this.definitionText, this.clock.now());
      const current = { ...this.parts, version: stored.version };
      this.versions.set(stored.version, current);
      this.restorer.start().catch((error) => console.error(`Local Step Functions: kept executions not all brought back: ${String(error)}`));
      return current;
    })();
    return this.opening;
  }

  /** Ready, and the named execution back if the store keeps it running. Resolves to the current version. */
  private async readyFor(executionName: string): Promise<MachineVersion> {
    const current = await this.ready();
    await this.restorer.bringBack(executionName);
    return current;
  }

  /**
   * StartExecution as AWS answers it: a new execution, or the running one of that name started with the same input;
   * another input, or a closed execution's name, is ExecutionAlreadyExists (AWS keeps closed names for 90 days).
   */
  async startExecution(executionName: string, input: string): Promise<{ startDate: Date; alreadyRunning: boolean }> {
    const current = await this.readyFor(executionName);
    if (Buffer.byteLength(input) > MAX_PAYLOAD_BYTES) {
      throw new StepFunctionsError('ValidationException', `The input exceeds the maximum of ${MAX_PAYLOAD_BYTES} bytes`);
    }
    // Checked only: the input is kept as given, as Step Functions keeps it.
    try {
      JSON.parse(input);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
    }
    const running = this.runner.executions.get(executionName)?.stored;
    const existing = running ?? (this.closed.has(executionName) ? await this.store.get(this.name, executionName) : undefined);
    if (existing) return alreadyExists(existing, input);
    const stored = this.newExecution(executionName, input, current);
    const clash = await this.store.create(stored);
    if (clash) return alreadyExists(this.runner.executions.get(executionName)?.stored ?? clash, input);
    this.runner.run(stored, current);
    return { startDate: new Date(stored.startDate), alreadyRunning: false };
  }

  /**
   * The in-process start of tests and benchmarks: a running execution's name does nothing, a closed one's may be
   * used again (its record and history replaced). AWS's own rule is startExecution's.
   */
  async start(executionName: string, input: Record<string, unknown>): Promise<{ alreadyRunning: boolean }> {
    const current = await this.readyFor(executionName);
    if (this.runner.executions.has(executionName)) return { alreadyRunning: true };
    const stored = this.newExecution(executionName, JSON.stringify(toJson(input)), current);
    await this.store.replace(stored);
    this.closed.delete(executionName);
    this.runner.run(stored, current);
    return { alreadyRunning: false };
  }

  /** What DescribeExecution shows of an execution, or undefined for a name never started here. */
  async describe(executionName: string): Promise<ExecutionDescription | undefined> {
    await this.ready();
    const stored = this.runner.executions.get(executionName)?.stored ?? (await this.store.get(this.name, executionName));
    return stored && description(stored);
  }

  /** ListExecutions: newest first. */
  async listExecutions(options: {
    status?: ExecutionStatus;
    limit: number;
    nextToken?: string;
  }): Promise<{ executions: ExecutionDescription[]; nextToken?: string }> {
    await this.ready();
    const page: ExecutionPage = await this.store.list(this.name, options);
    const live = (stored: StoredExecution) => this.runner.executions.get(stored.name)?.stored ?? stored;
    return { executions: page.executions.map((stored) => description(live(stored))), ...(page.nextToken && { nextToken: page.nextToken }) };
  }

  /** GetExecutionHistory: the events written so far, then those of the segment under way. */
  async history(executionName: string): Promise<HistoryEvent[] | undefined> {
    await this.ready();
    const execution = this.runner.executions.get(executionName);
    if (execution) await execution.writes;
    const stored = execution?.stored ?? (await this.store.get(this.name, executionName));
    if (!stored) return undefined;
    const written = await this.store.history(this.name, executionName);
    const pending = execution
      ? execution.events.map(
          (event, index) => ({ id: written.length + index + 1, previousEventId: written.length + index, ...event }) as HistoryEvent,
        )
      : [];
    return [...written, ...pending];
  }

  /** StopExecution: ends a running execution ABORTED (a closed one is left as it is). */
  async stopExecution(executionName: string, error?: string, cause?: string): Promise<{ stopDate: Date } | undefined> {
    await this.readyFor(executionName);
    const execution = this.runner.executions.get(executionName);
    if (execution) {
      this.runner.stopExecution(execution, error, cause);
      await execution.outcome;
      await execution.writes;
    }
    const stored = await this.store.get(this.name, executionName);
    return stored && { stopDate: new Date(stored.stopDate ?? this.clock.now()) };
  }

  /** DescribeStateMachine: the latest definition and when the machine was created. */
  async describeStateMachine(): Promise<{ definition: string; version: number; creationDate: Date; updateDate: Date }> {
    await this.ready();
    const versions = await this.store.machines();
    const mine = versions.find((machine) => machine.machine === this.name);
    if (!mine) throw new Error(`State machine '${this.name}' has no version in the store, though ready() stored one`);
    return {
      definition: mine.latest.definition,
      version: mine.latest.version,
      creationDate: new Date(mine.created.createdAt),
      updateDate: new Date(mine.latest.createdAt),
    };
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    await this.answer(token, { output: toJson(output) });
  }

  async sendTaskFailure(token: string, error: string, cause?: string): Promise<void> {
    await this.answer(token, { error: new TaskFailure(error, cause ?? '') });
  }

  /** SendTaskHeartbeat: the task must be waiting (HeartbeatSeconds itself is not emulated). */
  async sendTaskHeartbeat(token: string): Promise<void> {
    await this.readyForToken(token);
    if (!this.runner.calls.isPending(token)) throw await this.refusal(token);
  }

  /** Resolves once every execution waits (on a token or its timer) or has ended: no run, call or write under way. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  isRunning(executionName: string): boolean {
    return this.runner.executions.has(executionName);
  }

  runningExecutions(): string[] {
    return [...this.runner.executions.keys()];
  }

  /** States entered so far, retries included (each is a billed transition on Standard). */
  transitions(executionName: string): number {
    return this.runner.executions.get(executionName)?.stored.transitions ?? this.closed.get(executionName)?.transitions ?? 0;
  }

  /** Resolves when the execution has ended (never rejects for a failed execution). */
  async result(executionName: string): Promise<LocalExecutionResult> {
    const known = this.runner.executions.get(executionName)?.outcome ?? this.closed.get(executionName)?.outcome;
    if (known) return known;
    await this.readyFor(executionName);
    const again = this.runner.executions.get(executionName)?.outcome;
    if (again) return again;
    const stored = await this.store.get(this.name, executionName);
    if (!stored) throw new Error(`No execution named '${executionName}' was started on this engine`);
    return outcomeOf(stored);
  }

  /** Shuts down: runs aborted, tokens invalidated, all settled; the store keeps them RUNNING for the next engine. */
  async stop(): Promise<void> {
    await this.opening?.catch(() => {});
    await this.restorer.stop();
    await this.runner.shutdown();
    await Promise.allSettled([...this.lastWrites]);
  }

  private async answer(token: string, settlement: { output?: unknown; error?: Error }): Promise<void> {
    await this.readyForToken(token);
    const task = this.runner.calls.take(token);
    if (!task) throw await this.refusal(token);
    task.settle(settlement);
    await task.execution.writes;
  }

  /** Ready, and the execution that issued the token back if it is kept running. */
  private async readyForToken(token: string): Promise<void> {
    const executionName = tokenExecution(token);
    await (executionName === undefined ? this.ready() : this.readyFor(executionName));
  }

  /** Why a token is not waiting, as AWS names it. */
  private async refusal(token: string): Promise<TaskTokenInvalid> {
    const executionName = tokenExecution(token);
    if (executionName === undefined) return new TaskTokenInvalid('InvalidToken', "Invalid Token: 'Invalid token'");
    const known =
      this.runner.executions.has(executionName) || this.closed.has(executionName) || (await this.store.get(this.name, executionName));
    if (!known) return new TaskTokenInvalid('TaskDoesNotExist', 'Task Does Not Exist: no execution of this state machine issued the token');
    return new TaskTokenInvalid('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }

  private newExecution(name: string, input: string, current: MachineVersion): StoredExecution {
    return {
      machine: this.name,
      name,
      version: current.version,
      input,
      status: 'RUNNING',
      startDate: this.clock.now().toISOString(),
      eventCount: 0,
      transitions: 0,
      segment: { from: 'start' },
    };
  }

  /** A stored version's machines (an execution runs the version it started with). */
  private async versionOf(version: number): Promise<MachineVersion> {
    const known = this.versions.get(version);
    if (known) return known;
    const stored = await this.store.version(this.name, version);
    if (!stored) throw new Error(`State machine '${this.name}' has no version ${version} in the store`);
    const built = { ...machineParts(stored.definition), version };
    this.versions.set(version, built);
    return built;
  }

  private remember(execution: ExecutionRecord): void {
    this.closed.set(execution.stored.name, { outcome: execution.outcome, transitions: execution.stored.transitions });
    const [oldest] = this.closed.keys();
    if (this.closed.size > CLOSED_KEPT && oldest !== undefined) this.closed.delete(oldest);
    const writes = execution.writes;
    this.lastWrites.add(writes);
    void writes.finally(() => this.lastWrites.delete(writes));
  }
}

function alreadyExists(existing: StoredExecution, input: string): { startDate: Date; alreadyRunning: boolean } {
  if (existing.status === 'RUNNING' && existing.input === input) return { startDate: new Date(existing.startDate), alreadyRunning: true };
  const why = existing.status === 'RUNNING' ? 'is running with another input' : 'has closed';
  throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.name}' ${why}`);
}

function description(stored: StoredExecution): ExecutionDescription {
  return {
    name: stored.name,
    status: stored.status,
    input: stored.input,
    startDate: new Date(stored.startDate),
    version: stored.version,
    ...(stored.stopDate && { stopDate: new Date(stored.stopDate) }),
    ...(stored.output !== undefined && { output: stored.output }),
    ...(stored.error !== undefined && { error: stored.error }),
    ...(stored.cause !== undefined && { cause: stored.cause }),
  };
}

function outcomeOf(stored: StoredExecution): LocalExecutionResult {
  const status = stored.status === 'TIMED_OUT' ? 'FAILED' : stored.status;
  if (status === 'RUNNING') throw new Error(`Execution '${stored.name}' is running on another engine`);
  return {
    status,
    ...(stored.output !== undefined && { output: JSON.parse(stored.output) }),
    ...(stored.error !== undefined && { error: stored.error }),
    ...(stored.cause !== undefined && { cause: stored.cause }),
  };
}
