/**
 * Local stand-in for AWS Step Functions (Standard): runs the project's ASL definitions on
 * `aws-local-stepfunctions`, in memory, with the Lambda functions replaced by local functions. It supplies
 * `.waitForTaskToken` (task tokens, SendTaskSuccess/Failure), parks an execution waiting on a token (only
 * the token, a timer and the state's input are kept), counts transitions and corrects the library where it
 * differs from AWS. What it emulates, how parking works, its deviations and limits: README.md here.
 *
 * Long because: one class holds an execution's whole life (start, segments, parking, tokens, end) and
 * its AWS-facing views; the parts share its private maps.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  parkedTask,
  prepareDefinition,
  resolveTimeoutSeconds,
  resumedStateName,
  TIMEOUT_PARAMETER,
  type ParkedTask,
  type TaskStateSpec,
} from './definition';
import { newTaskToken, StepFunctionsError, TaskTokenInvalid, tokenExecution } from './aws-errors';
import { prepareLibrary, statesTimeoutError } from './library-runtime';
import {
  callFunction,
  describeOutcome,
  replacePlaceholder,
  TaskFailure,
  toJson,
  type ExecutionDescription,
  type LocalExecutionResult,
  type LocalTaskFunction,
} from './task-outcomes';

export { MAX_TIMER_SECONDS } from './definition';
export { StepFunctionsError, TaskTokenInvalid } from './aws-errors';
export type { ExecutionDescription, LocalExecutionResult, LocalTaskFunction } from './task-outcomes';

export interface LocalWorkflowEngineOptions {
  /** ASL JSON text or object. */
  definition: object | string;
  /** Fills `${Name}` placeholders, like CDK's `definitionSubstitutions`. */
  substitutions?: Record<string, string>;
  /** Keyed by the FunctionName value after substitution. */
  functions: Record<string, LocalTaskFunction>;
  /** Called for every state transition counted by `transitions()`. */
  onTransition?: (executionName: string, stateName: string) => void;
  /** Dates executions start and stop by (the platform's policy clock); the system clock by default. */
  clock?: { now(): Date };
}

/** Stands where AWS would put `$$.Task.Token`; each waiting task replaces it with a fresh token. */
const TASK_TOKEN_PLACEHOLDER = 'local-workflow-engine:task-token-placeholder';

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskHandler = TaskHandlers[string];
type JsonValue = Parameters<TaskHandler>[0];

interface ExecutionRecord {
  readonly name: string;
  /** The input as StartExecution got it (JSON text): a second start with the same name compares it. */
  readonly input: string;
  readonly startDate: Date;
  stopDate?: Date;
  result?: LocalExecutionResult;
  running: boolean;
  /** False once the execution was stopped or has ended: late handler calls must not dispatch. */
  acceptingTasks: boolean;
  transitions: number;
  /** Aborts the library run of the current segment; undefined while the execution is parked. */
  abortSegment?: () => void;
  readonly outcome: Promise<LocalExecutionResult>;
  readonly settleOutcome: (result: LocalExecutionResult) => void;
  /** The state machine's own TimeoutSeconds, kept by the engine across segments. */
  executionTimer?: NodeJS.Timeout;
  /** Tokens of its tasks waiting now. */
  readonly tokens: Set<string>;
  /** Function calls still running, awaited by stop() so nothing outlives the engine. */
  readonly inFlightCalls: Set<Promise<unknown>>;
}

/** How a waiting task ended: the output of sendTaskSuccess, or an error (sendTaskFailure, dispatch, timeout). */
interface Settlement {
  output?: unknown;
  error?: Error;
}

interface PendingTask {
  readonly execution: ExecutionRecord;
  /** Delivers the outcome: to the run waiting on it, or by resuming the parked execution. */
  readonly settle: (settlement: Settlement) => void;
  /** Settles with States.Timeout when the state's timeout passes. */
  readonly expiryTimer: NodeJS.Timeout;
}

export class LocalWorkflowEngine {
  /** Runs a new execution from StartAt, up to its end or its first top-level waiting task. */
  private readonly startMachine: StateMachine;
  /** Per top-level waiting task: runs on from that task, woken, to the end or the next waiting task. */
  private readonly resumeMachines: Map<string, StateMachine>;
  private readonly taskStates: Map<string, TaskStateSpec>;
  private readonly executionTimeoutSeconds?: number;
  private readonly functions: Record<string, LocalTaskFunction>;
  private readonly onTransition?: (executionName: string, stateName: string) => void;
  private readonly clock: { now(): Date };
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pendingTasks = new Map<string, PendingTask>();

  constructor(options: LocalWorkflowEngineOptions) {
    prepareLibrary();
    const prepared = prepareDefinition(options.definition, options.substitutions ?? {});
    // Validates the definition (asl-validator, including JSONPaths and ARNs) and throws if invalid.
    new StateMachine(prepared.definition);
    // The segments are cut from it mechanically; some of their states are unreachable on purpose.
    const segment = (definition: StateMachineDefinition) => new StateMachine(definition, { validationOptions: { noValidate: true } });
    this.startMachine = segment(prepared.segments.start);
    this.resumeMachines = new Map([...prepared.segments.resumeAt].map(([stateName, definition]) => [stateName, segment(definition)]));
    this.taskStates = prepared.taskStates;
    this.executionTimeoutSeconds = prepared.executionTimeoutSeconds;
    this.functions = options.functions;
    this.onTransition = options.onTransition;
    this.clock = options.clock ?? { now: () => new Date() };
  }

  /**
   * StartExecution as AWS answers it: a new execution, or — for the name of a running execution started
   * with the same input — that execution. Another input, or the name of a closed execution, is refused
   * with ExecutionAlreadyExists (AWS keeps closed names for 90 days).
   */
  async startExecution(executionName: string, input: string): Promise<{ startDate: Date; alreadyRunning: boolean }> {
    const existing = this.executions.get(executionName);
    if (existing) {
      if (existing.running && existing.input === input) return { startDate: existing.startDate, alreadyRunning: true };
      const why = existing.running ? 'is running with another input' : 'has closed';
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionName}' ${why}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
    }
    return { startDate: this.begin(executionName, input, parsed).startDate, alreadyRunning: false };
  }

  /**
   * The in-process start the tests and benchmarks use: a second start with the name of a running execution
   * does nothing, and a closed execution's name may be used again (its record is replaced). AWS's own rule
   * is startExecution's.
   */
  async start(executionName: string, input: Record<string, unknown>): Promise<{ alreadyRunning: boolean }> {
    if (this.executions.get(executionName)?.running) return { alreadyRunning: true };
    this.begin(executionName, JSON.stringify(input), toJson(input));
    return { alreadyRunning: false };
  }

  /** What DescribeExecution shows of an execution, or undefined for a name never started here. */
  describe(executionName: string): ExecutionDescription | undefined {
    const execution = this.executions.get(executionName);
    if (!execution) return undefined;
    const result = execution.result;
    return {
      name: execution.name,
      status: result?.status ?? 'RUNNING',
      input: execution.input,
      startDate: execution.startDate,
      ...(execution.stopDate && { stopDate: execution.stopDate }),
      ...(result?.status === 'SUCCEEDED' && { output: JSON.stringify(result.output ?? null) }),
      ...(result?.error !== undefined && { error: result.error }),
      ...(result?.cause !== undefined && { cause: result.cause }),
    };
  }

  private begin(executionName: string, input: string, parsedInput: unknown): ExecutionRecord {
    let settleOutcome!: (result: LocalExecutionResult) => void;
    const outcome = new Promise<LocalExecutionResult>((resolve) => (settleOutcome = resolve));
    const execution: ExecutionRecord = {
      name: executionName,
      input,
      startDate: this.clock.now(),
      running: true,
      acceptingTasks: true,
      transitions: 0,
      outcome,
      settleOutcome,
      tokens: new Set(),
      inFlightCalls: new Set(),
    };
    this.executions.set(executionName, execution);
    if (this.executionTimeoutSeconds !== undefined) {
      execution.executionTimer = setTimeout(() => {
        execution.acceptingTasks = false;
        execution.abortSegment?.();
        this.finish(execution, {
          status: 'FAILED',
          error: 'States.Timeout',
          cause: 'The execution exceeded the state machine TimeoutSeconds',
        });
      }, this.executionTimeoutSeconds * 1000);
    }
    // Note: run() enters the first state synchronously, so a first Task's function is called
    // before start() returns; the record is already registered for that.
    this.runSegment(execution, this.startMachine, parsedInput, this.taskHandlersFor(execution), false);
    return execution;
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    this.takePendingTask(token).settle({ output: toJson(output) });
  }

  async sendTaskFailure(token: string, error: string, cause?: string): Promise<void> {
    this.takePendingTask(token).settle({ error: new TaskFailure(error, cause ?? '') });
  }

  isRunning(executionName: string): boolean {
    return this.executions.get(executionName)?.running ?? false;
  }

  runningExecutions(): string[] {
    return [...this.executions.values()].filter((execution) => execution.running).map((execution) => execution.name);
  }

  /** States entered so far, retries included (each is a billed transition on Standard). */
  transitions(executionName: string): number {
    return this.executions.get(executionName)?.transitions ?? 0;
  }

  /** Resolves when the execution has ended (never rejects for a failed execution). */
  async result(executionName: string): Promise<LocalExecutionResult> {
    const execution = this.executions.get(executionName);
    if (!execution) throw new Error(`No execution named '${executionName}' was started on this engine`);
    return execution.outcome;
  }

  /** Aborts every running execution, invalidates every pending token and waits until all has settled. */
  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.running);
    for (const execution of running) {
      execution.acceptingTasks = false;
      execution.abortSegment?.();
    }
    // Settling the tasks waiting in a run lets the library finish its Task states and clear their timers.
    for (const token of [...this.pendingTasks.keys()]) {
      this.takePendingTask(token).settle({ error: new TaskFailure('LocalWorkflowEngine.Stopped', 'The engine was stopped') });
    }
    // A parked execution has no run to abort: it ends here.
    for (const execution of running) if (!execution.abortSegment) this.finish(execution, { status: 'ABORTED' });
    await Promise.allSettled(running.map((execution) => execution.outcome));
    await Promise.allSettled(running.flatMap((execution) => [...execution.inFlightCalls]));
  }

  /**
   * Runs one segment on the library: from StartAt, or from a woken waiting task (`resumed`: its
   * state was entered, and counted, before it parked). The segment ends at the execution's end or at
   * a waiting task's parking state, whose output says which task and with what Parameters.
   */
  private runSegment(execution: ExecutionRecord, machine: StateMachine, input: unknown, handlers: TaskHandlers, resumed: boolean): void {
    const run = machine.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: {
        Execution: { Id: `arn:aws:states:local:000000000000:execution:local:${execution.name}`, Name: execution.name },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    execution.abortSegment = run.abort;
    void Promise.all([describeOutcome(run.result), this.countTransitions(execution, run.eventLogs, resumed)]).then(([result]) => {
      if (execution.abortSegment === run.abort) execution.abortSegment = undefined;
      if (!execution.running) return;
      const parked = result.status === 'SUCCEEDED' ? parkedTask(result.output) : undefined;
      if (parked) this.park(execution, parked);
      else this.finish(execution, result);
    });
  }

  /** The execution waits on a task with nothing of the library held: a token, a timer and the state's input. */
  private park(execution: ExecutionRecord, parked: ParkedTask): void {
    if (!execution.acceptingTasks) {
      this.finish(execution, { status: 'ABORTED' });
      return;
    }
    const spec = this.taskStates.get(parked.stateName);
    if (!spec) throw new Error(`Parked at '${parked.stateName}', which is not a waiting task of this definition`);
    const timeoutSeconds = resolveTimeoutSeconds(spec, parked.parameters);
    // An invalid timeout fails the execution there (the library's own wording, for the same fault).
    if (timeoutSeconds === undefined) {
      const value = parked.parameters[TIMEOUT_PARAMETER];
      const expected = typeof value === 'number' && Number.isInteger(value) ? 'an integer >= 1' : 'an integer';
      const cause = `Path expression '${spec.timeoutSecondsPath}': TimeoutSecondsPath evaluated to ${JSON.stringify(value)}, but expected ${expected}`;
      this.finish(execution, { status: 'FAILED', error: 'States.Runtime', cause });
      return;
    }
    this.dispatchWaitingTask(execution, parked.stateName, parked.parameters, timeoutSeconds, (settlement) =>
      this.resume(execution, parked.stateName, parked.stateInput, settlement),
    );
  }

  /** Runs on from a woken (or failed, or timed-out) waiting task, as the library would have. */
  private resume(execution: ExecutionRecord, stateName: string, stateInput: unknown, settlement: Settlement): void {
    if (!execution.acceptingTasks) return;
    const handlers = this.taskHandlersFor(execution);
    let woken = false;
    const spec = this.taskStates.get(stateName)!;
    handlers[resumedStateName(stateName)] = (input: JsonValue) => {
      if (!woken) {
        woken = true;
        // The library still arms the task's timer right after this returns: keep it within Node's range.
        resolveTimeoutSeconds(spec, input as Record<string, unknown>);
        return (settlement.error ? Promise.reject(settlement.error) : Promise.resolve(settlement.output)) as Promise<JsonValue>;
      }
      // A Retry of the task dispatches it again, and this run waits for it.
      return handlers[stateName](input);
    };
    this.runSegment(execution, this.resumeMachines.get(stateName)!, stateInput, handlers, true);
  }

  private taskHandlersFor(execution: ExecutionRecord): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [stateName, spec] of this.taskStates) {
      handlers[stateName] = (input: JsonValue) => {
        const taskResult = this.runTask(execution, stateName, spec, input as Record<string, unknown>);
        // The library abandons this promise when the state times out (or its timeout path is
        // invalid); a later rejection must not become an unhandled rejection.
        taskResult.catch(() => {});
        return taskResult as Promise<JsonValue>;
      };
    }
    return handlers;
  }

  /** Runs synchronously up to the dispatch: the library reads the timeout right after this returns. */
  private runTask(
    execution: ExecutionRecord,
    stateName: string,
    spec: TaskStateSpec,
    parameters: Record<string, unknown>,
  ): Promise<unknown> {
    if (!execution.acceptingTasks) {
      return Promise.reject(new TaskFailure('LocalWorkflowEngine.Stopped', 'The execution is no longer running'));
    }
    const timeoutSeconds = resolveTimeoutSeconds(spec, parameters);
    // An invalid timeout: the library fails the state with States.Runtime as soon as this returns.
    if (timeoutSeconds === undefined) {
      return Promise.reject(new TaskFailure('States.Runtime', 'Invalid task timeout'));
    }
    if (!spec.waitsForTaskToken) {
      const taskFunction = this.functionFor(stateName, parameters);
      if (taskFunction instanceof TaskFailure) return Promise.reject(taskFunction);
      return this.track(execution, callFunction(taskFunction, parameters.Payload ?? {})).then((result) => ({ Payload: result }));
    }
    // A waiting task inside a Parallel or Map branch, or a retried one: this run waits for it.
    return new Promise<unknown>((resolve, reject) => {
      this.dispatchWaitingTask(execution, stateName, parameters, timeoutSeconds, (settlement) =>
        settlement.error ? reject(settlement.error) : resolve(settlement.output),
      );
    });
  }

  /**
   * Registers a fresh token, then calls the function with it; `settle` gets the outcome: the output
   * of sendTaskSuccess, the error of sendTaskFailure or of the dispatch, or States.Timeout.
   */
  private dispatchWaitingTask(
    execution: ExecutionRecord,
    stateName: string,
    parameters: Record<string, unknown>,
    timeoutSeconds: number,
    settle: (settlement: Settlement) => void,
  ): void {
    const taskFunction = this.functionFor(stateName, parameters);
    if (taskFunction instanceof TaskFailure) {
      settle({ error: taskFunction });
      return;
    }
    // Register the waiting task before dispatching: the function may send the success itself,
    // synchronously, before it returns.
    const token = newTaskToken(execution.name);
    const expiryTimer = setTimeout(() => {
      void statesTimeoutError().then((timeoutError) => {
        if (this.pendingTasks.has(token)) this.takePendingTask(token).settle({ error: timeoutError() });
      });
    }, timeoutSeconds * 1000);
    this.pendingTasks.set(token, { execution, settle, expiryTimer });
    execution.tokens.add(token);
    // As on AWS, the dispatching function's return value is ignored; if it fails, the task fails.
    const dispatch = callFunction(taskFunction, replacePlaceholder(parameters.Payload ?? {}, TASK_TOKEN_PLACEHOLDER, token));
    this.track(execution, dispatch).catch((error: Error) => {
      if (this.pendingTasks.has(token)) this.takePendingTask(token).settle({ error });
    });
  }

  /** The local function a Task names, or the failure Lambda would give for an unknown one. */
  private functionFor(stateName: string, parameters: Record<string, unknown>): LocalTaskFunction | TaskFailure {
    const functionName = String(parameters.FunctionName);
    if (Object.hasOwn(this.functions, functionName)) return this.functions[functionName];
    const known = Object.keys(this.functions).join(', ') || 'none';
    return new TaskFailure(
      'Lambda.ResourceNotFoundException',
      `Function not found: '${functionName}' (state '${stateName}'); the local engine has: ${known}`,
    );
  }

  private track<T>(execution: ExecutionRecord, call: Promise<T>): Promise<T> {
    execution.inFlightCalls.add(call);
    const forget = () => execution.inFlightCalls.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** Removes a pending task (single-use tokens) or throws TaskTokenInvalid. */
  private takePendingTask(token: string): PendingTask {
    const task = this.pendingTasks.get(token);
    if (!task) {
      const executionName = tokenExecution(token);
      if (executionName === undefined) throw new TaskTokenInvalid('InvalidToken', "Invalid Token: 'Invalid token'");
      if (!this.executions.has(executionName)) {
        throw new TaskTokenInvalid('TaskDoesNotExist', 'Task Does Not Exist: no execution of this state machine issued the token');
      }
      // Answered, timed out, or its execution has ended.
      throw new TaskTokenInvalid('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    this.pendingTasks.delete(token);
    task.execution.tokens.delete(token);
    clearTimeout(task.expiryTimer);
    return task;
  }

  private async countTransitions(execution: ExecutionRecord, eventLogs: AsyncGenerator<{ type: string }>, resumed: boolean) {
    let skipFirstEntered = resumed;
    for await (const event of eventLogs) {
      // A retry re-runs the state and is billed as a transition too.
      if (event.type !== 'StateEntered' && event.type !== 'StateRetried') continue;
      if (skipFirstEntered && event.type === 'StateEntered') {
        skipFirstEntered = false; // the woken task, entered when it parked
        continue;
      }
      execution.transitions += 1;
      const stateName = (event as { state?: { name?: string } }).state?.name ?? '';
      try {
        this.onTransition?.(execution.name, stateName);
      } catch {
        // An observer's failure must not disturb the workflow.
      }
    }
  }

  private finish(execution: ExecutionRecord, result: LocalExecutionResult): void {
    if (!execution.running) return;
    execution.running = false;
    execution.acceptingTasks = false;
    execution.stopDate = this.clock.now();
    execution.result = result;
    clearTimeout(execution.executionTimer);
    // Tasks still waiting (e.g. a Parallel branch cut short, or a parked task) can never complete now.
    for (const token of [...execution.tokens]) {
      this.takePendingTask(token).settle({ error: new TaskFailure('LocalWorkflowEngine.ExecutionEnded', 'The execution has ended') });
    }
    execution.settleOutcome(result);
  }
}
