/**
 * Runs the executions of one state machine on the library, segment by segment (README.md, parking): a run
 * from StartAt or from a woken waiting task, up to the end or the next top-level waiting task, where the
 * execution parks with only its token, a timer and the state's input held. It writes the execution and its
 * history to the store at each park and at the end (one history item per segment), keeps AWS's limits
 * (25,000 events, 256 KiB state output, one year of policy time) and brings stored executions back after a
 * restart. The engine (local-workflow-engine.ts) is its public face.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import type { Timers } from '../adapters/timers';
import { newTaskToken } from './aws-errors';
import {
  type ParkedTask,
  type ParkedWait,
  parkedTask,
  resolveTimeoutSeconds,
  resumedStateName,
  TIMEOUT_PARAMETER,
  waitEndsAt,
} from './definition';
import { armExecutionLimits } from './execution-limits';
import type { EndResult, ExecutionRecord, JsonValue, MachineVersion, Settlement, TaskHandlers } from './execution-record';
import type { ExecutionStore, StoredExecution, StoredParking } from './execution-store';
import { historyEvent, MAX_HISTORY_EVENTS, type NewEvent, numbered, taskScheduled } from './history';
import { followRun, type LibraryEvent } from './run-events';
import { settlementOf, storedSettlement } from './settlements';
import { TASK_TOKEN_PLACEHOLDER, TaskCalls } from './task-calls';
import { describeOutcome, replacePlaceholder, TaskFailure, type LocalExecutionResult, type LocalTaskFunction } from './task-outcomes';

export interface RunnerOptions {
  machineName: string;
  region: string;
  functions: Record<string, LocalTaskFunction>;
  store: ExecutionStore;
  clock: { now(): Date; readonly scale?: number };
  /** Where the engine's own timers are armed (task timeouts, the execution's limits). */
  timers: Timers;
  onTransition?: (executionName: string, stateName: string) => void;
  onInvoke?: (functionName: string, payload: unknown) => void;
  /** A store write failed (the execution goes on in memory). */
  onStoreError: (error: unknown) => void;
  /** The execution has ended (its result and last events are being written). */
  onEnded: (execution: ExecutionRecord) => void;
}

export class ExecutionRunner {
  readonly executions = new Map<string, ExecutionRecord>();
  readonly calls: TaskCalls;
  /** Set by shutdown(): what ends now is the process, not the executions (nothing is written). */
  private shuttingDown = false;
  /** Runs, parks, writes and function calls under way: each registers the next step before it settles. */
  private readonly working = new Set<Promise<unknown>>();

  constructor(private readonly options: RunnerOptions) {
    this.calls = new TaskCalls({
      functions: options.functions,
      onInvoke: options.onInvoke,
      now: () => options.clock.now(),
      timers: options.timers,
      working: (work) => this.busy(work),
      addEvents: (execution, events) => this.addEvents(execution, events),
    });
  }

  /** Resolves once no execution is running a segment, parking, writing or calling a function (each waits or has ended). */
  async idle(): Promise<void> {
    while (this.working.size > 0) await Promise.allSettled([...this.working]);
  }

  private busy<T>(work: Promise<T>): Promise<T> {
    this.working.add(work);
    const done = () => this.working.delete(work);
    work.then(done, done);
    return work;
  }

  /** Begins a stored new execution (already created in the store) or brings back a stored running one. */
  run(stored: StoredExecution, version: MachineVersion): ExecutionRecord {
    let settleOutcome!: (result: LocalExecutionResult) => void;
    const outcome = new Promise<LocalExecutionResult>((resolve) => (settleOutcome = resolve));
    const execution: ExecutionRecord = {
      stored,
      version,
      running: true,
      acceptingTasks: true,
      outcome,
      settleOutcome,
      timers: [],
      tokens: new Set(),
      inFlightCalls: new Set(),
      events: [],
      taskResults: new Map(),
      failedTasks: new Set(),
      writes: Promise.resolve(),
    };
    this.executions.set(stored.name, execution);
    armExecutionLimits(execution, this.options, (result) => this.end(execution, result));
    if (stored.eventCount === 0) {
      this.addEvents(execution, [
        historyEvent('ExecutionStarted', new Date(stored.startDate), { input: stored.input, inputDetails: { truncated: false } }),
      ]);
    }
    const segment = stored.segment;
    if (stored.parked) this.rearm(execution, stored.parked);
    else if (segment.from === 'start')
      this.runSegment(execution, version.start, JSON.parse(stored.input), this.calls.handlersFor(execution), false);
    else
      void this.busy(
        settlementOf(segment.settlement).then((settlement) => this.resume(execution, segment.stateName, segment.stateInput, settlement)),
      );
    return execution;
  }

  /** Ends an execution from outside: StopExecution. */
  stopExecution(execution: ExecutionRecord, error?: string, cause?: string): void {
    execution.acceptingTasks = false;
    const result = { status: 'ABORTED' as const, ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) };
    if (execution.abortSegment) {
      execution.endWith = result;
      execution.abortSegment();
    } else this.finish(execution, result);
  }

  /** Aborts every running run and pending token; nothing is written from here on (the store keeps them RUNNING). */
  async shutdown(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.running);
    // A parked execution's last events (its task's TaskSubmitted) are kept; a run cut short runs again.
    for (const execution of running)
      if (execution.stored.parked && !execution.abortSegment && execution.events.length) void this.persist(execution);
    await Promise.allSettled(running.map((execution) => execution.writes));
    this.shuttingDown = true;
    for (const execution of running) {
      execution.acceptingTasks = false;
      execution.abortSegment?.();
    }
    for (const token of this.calls.tokens()) {
      this.calls.take(token)?.settle({ error: new TaskFailure('LocalWorkflowEngine.Stopped', 'The engine was stopped') });
    }
    for (const execution of running) if (!execution.abortSegment) this.finish(execution, { status: 'ABORTED' });
    await Promise.allSettled(running.map((execution) => execution.outcome));
    await Promise.allSettled(running.flatMap((execution) => [...execution.inFlightCalls]));
  }

  /** Writes the execution and its new events, after the writes before (one history item per call). */
  persist(execution: ExecutionRecord): Promise<void> {
    if (this.shuttingDown) return execution.writes;
    const events = numbered(execution.events.splice(0), execution.stored.eventCount);
    execution.stored.eventCount += events.length;
    const snapshot = structuredClone(execution.stored);
    execution.writes = this.busy(execution.writes.then(() => this.options.store.save(snapshot, events)).catch(this.options.onStoreError));
    return execution.writes;
  }

  /** Ends a running execution now, whether a run is under way (aborted) or it is parked. */
  private end(execution: ExecutionRecord, result: EndResult): void {
    if (!execution.running) return;
    execution.acceptingTasks = false;
    if (execution.abortSegment) {
      execution.endWith = result;
      execution.abortSegment();
    } else this.finish(execution, result);
  }

  /** `noWaitIn`: a woken Wait state's copy, run without waiting (its timer has fired). */
  private runSegment(
    execution: ExecutionRecord,
    machine: StateMachine,
    input: unknown,
    handlers: TaskHandlers,
    resumed: boolean,
    noWaitIn?: string,
  ): void {
    const { stored } = execution;
    const run = machine.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: handlers, ...(noWaitIn && { waitTimeOverrides: { [noWaitIn]: 0 } }) },
      context: {
        Execution: {
          Id: `arn:aws:states:${this.options.region}:000000000000:execution:${this.options.machineName}:${stored.name}`,
          Name: stored.name,
          StartTime: stored.startDate,
        },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    execution.abortSegment = run.abort;
    const events = followRun(run.eventLogs as AsyncGenerator<LibraryEvent>, resumed, {
      taskStates: execution.version.taskStates,
      waitStates: execution.version.waitStates,
      taskResults: execution.taskResults,
      failedTasks: execution.failedTasks,
      region: this.options.region,
      now: () => this.options.clock.now(),
      add: (events) => this.addEvents(execution, events),
      transition: (stateName) => this.countTransition(execution, stateName),
      outputTooBig: (stateName) =>
        this.end(execution, {
          status: 'FAILED',
          error: 'States.DataLimitExceeded',
          cause: `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        }),
    });
    void this.busy(
      Promise.all([describeOutcome(run.result), events]).then(([result]) => {
        if (execution.abortSegment === run.abort) execution.abortSegment = undefined;
        if (!execution.running) return;
        if (execution.endWith) return this.finish(execution, execution.endWith);
        const parked = result.status === 'SUCCEEDED' ? parkedTask(result.output) : undefined;
        if (parked) void this.busy(this.park(execution, parked));
        else this.finish(execution, result);
      }),
    );
  }

  /** Parks on a waiting task: the task is recorded (and written) before its function is called with the token. */
  private async park(execution: ExecutionRecord, parked: ParkedTask): Promise<void> {
    if (!execution.acceptingTasks) return this.finish(execution, { status: 'ABORTED' });
    if (execution.version.waitStates.has(parked.stateName)) return this.parkOnWait(execution, parked);
    const spec = execution.version.taskStates.get(parked.stateName);
    if (!spec) throw new Error(`Parked at '${parked.stateName}', which is not a waiting task of this definition`);
    const timeoutSeconds = resolveTimeoutSeconds(spec, parked.parameters);
    // An invalid timeout fails the execution there (the library's own wording, for the same fault).
    if (timeoutSeconds === undefined) {
      const value = parked.parameters[TIMEOUT_PARAMETER];
      const expected = typeof value === 'number' && Number.isInteger(value) ? 'an integer >= 1' : 'an integer';
      const cause = `Path expression '${spec.timeoutSecondsPath}': TimeoutSecondsPath evaluated to ${JSON.stringify(value)}, but expected ${expected}`;
      return this.finish(execution, { status: 'FAILED', error: 'States.Runtime', cause });
    }
    const { [TIMEOUT_PARAMETER]: _timeout, ...parameters } = parked.parameters;
    const parking: StoredParking = {
      stateName: parked.stateName,
      parameters: parked.parameters,
      stateInput: parked.stateInput,
      token: newTaskToken(execution.stored.name),
      timeoutAt: this.options.timers.timerNow() + timeoutSeconds * 1000,
    };
    execution.stored.parked = parking;
    // Nothing of the segment is needed while it waits.
    execution.taskResults.clear();
    execution.failedTasks.clear();
    const scheduled = replacePlaceholder(parameters, TASK_TOKEN_PLACEHOLDER, parking.token) as Record<string, unknown>;
    this.addEvents(execution, taskScheduled(true, scheduled, timeoutSeconds, this.options.region, this.options.clock.now()));
    await this.persist(execution);
    if (!execution.acceptingTasks) return;
    this.calls.dispatchWaitingTask(execution, parked.stateName, parked.parameters, parking, (settlement) =>
      this.wake(execution, parking, settlement),
    );
  }

  /** Parks on a Wait state: its end is a timer on the timer port (a driven clock fires it), written before it is armed. */
  private async parkOnWait(execution: ExecutionRecord, parked: ParkedTask): Promise<void> {
    const endsAt = waitEndsAt(parked.parameters as ParkedWait, this.options.timers.timerNow());
    if (endsAt === undefined) {
      const cause = `Wait state '${parked.stateName}': its wait evaluated to ${JSON.stringify(parked.parameters)}, not a length or a time`;
      return this.finish(execution, { status: 'FAILED', error: 'States.Runtime', cause });
    }
    const parking: StoredParking = { ...parked, token: newTaskToken(execution.stored.name), timeoutAt: endsAt };
    execution.stored.parked = parking;
    execution.taskResults.clear();
    execution.failedTasks.clear();
    await this.persist(execution);
    if (execution.acceptingTasks) this.rearm(execution, parking);
  }

  /**
   * After a restart: the parked task waits again on its token and timer. A waiting task whose function is not known to
   * have returned is called again with the same token, as Step Functions does not lose an invocation (the lifecycle's
   * functions take the same token twice); a Wait state has no function.
   */
  private rearm(execution: ExecutionRecord, parking: StoredParking): void {
    const wake = (settlement: Settlement) => this.wake(execution, parking, settlement);
    if (parking.submitted || execution.version.waitStates.has(parking.stateName)) {
      this.calls.register(execution, parking.token, parking.timeoutAt, wake);
    } else this.calls.dispatchWaitingTask(execution, parking.stateName, parking.parameters, parking, wake);
  }

  /** The parked task's answer is recorded (so a restart resumes from it), then the execution runs on. */
  private wake(execution: ExecutionRecord, parking: StoredParking, settlement: Settlement): void {
    if (!execution.acceptingTasks) return;
    execution.stored.parked = undefined;
    execution.stored.segment = {
      from: 'wake',
      stateName: parking.stateName,
      stateInput: parking.stateInput,
      settlement: storedSettlement(settlement),
    };
    void this.persist(execution);
    this.resume(execution, parking.stateName, parking.stateInput, settlement);
  }

  /** Runs on from a woken (or failed, or timed-out) waiting task, or an ended Wait state, as the library would have. */
  private resume(execution: ExecutionRecord, stateName: string, stateInput: unknown, settlement: Settlement): void {
    if (!execution.acceptingTasks) return;
    const handlers = this.calls.handlersFor(execution);
    const segment = execution.version.resumeAt.get(stateName);
    // A Wait state's copy runs on at once, whatever ended the wait (its timer, or the engine stopping).
    if (execution.version.waitStates.has(stateName) && segment) {
      this.runSegment(execution, segment, stateInput, handlers, true, resumedStateName(stateName));
      return;
    }
    let woken = false;
    const spec = execution.version.taskStates.get(stateName);
    // Only a waiting task or a Wait state parks, and each waiting task has its spec and the segment that runs on from it (definition.ts).
    if (!spec || !segment) throw new Error(`Resumed at '${stateName}', which is not a waiting task of this definition`);
    handlers[resumedStateName(stateName)] = (input: JsonValue) => {
      if (!woken) {
        woken = true;
        // The library still arms the task's timer right after this returns: keep it within Node's range.
        resolveTimeoutSeconds(spec, input as Record<string, unknown>);
        if (!settlement.error) execution.taskResults.set(stateName, settlement.output);
        return (settlement.error ? Promise.reject(settlement.error) : Promise.resolve(settlement.output)) as Promise<JsonValue>;
      }
      // A Retry of the task dispatches it again, and this run waits for it.
      return handlers[stateName](input);
    };
    this.runSegment(execution, segment, stateInput, handlers, true);
  }

  /** Adds history events; the one that would pass AWS's limit fails the execution instead (States.Runtime). */
  private addEvents(execution: ExecutionRecord, events: NewEvent[]): void {
    const room = MAX_HISTORY_EVENTS - 1 - execution.stored.eventCount - execution.events.length;
    execution.events.push(...events.slice(0, Math.max(room, 0)));
    if (events.length > room && execution.running && !execution.endWith) {
      this.end(execution, {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: `The execution history reached the limit of ${MAX_HISTORY_EVENTS} events`,
      });
    }
  }

  private countTransition(execution: ExecutionRecord, stateName: string): void {
    execution.stored.transitions += 1;
    try {
      this.options.onTransition?.(execution.stored.name, stateName);
    } catch {
      // An observer's failure must not disturb the workflow.
    }
  }

  /** The execution has ended: its result and closing event are written, its timers and tokens let go. */
  finish(execution: ExecutionRecord, result: EndResult): void {
    if (!execution.running) return;
    execution.running = false;
    execution.acceptingTasks = false;
    for (const timer of execution.timers) timer.cancel();
    for (const token of [...execution.tokens]) {
      this.calls.take(token)?.settle({ error: new TaskFailure('LocalWorkflowEngine.ExecutionEnded', 'The execution has ended') });
    }
    const at = this.options.clock.now();
    const { stored } = execution;
    stored.status = result.status;
    stored.stopDate = at.toISOString();
    stored.parked = undefined;
    if (result.status === 'SUCCEEDED') stored.output = JSON.stringify(result.output ?? null);
    if (result.error !== undefined) stored.error = result.error;
    if (result.cause !== undefined) stored.cause = result.cause;
    const details =
      result.status === 'SUCCEEDED'
        ? { output: stored.output, outputDetails: { truncated: false } }
        : { error: result.error, cause: result.cause };
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
    }[result.status];
    execution.events.push(historyEvent(type, at, details));
    void this.persist(execution);
    this.executions.delete(stored.name);
    this.options.onEnded(execution);
    // The in-process view: a timed-out execution is FAILED with States.Timeout (README.md, deviations).
    const { status, ...rest } = result;
    execution.settleOutcome({ status: status === 'TIMED_OUT' ? 'FAILED' : status, ...rest });
  }
}
