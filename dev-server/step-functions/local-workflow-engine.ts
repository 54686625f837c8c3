/**
 * Local stand-in for AWS Step Functions (Standard): runs the project's ASL definitions on
 * `aws-local-stepfunctions`, in memory, with the Lambda functions replaced by local functions.
 *
 * What the library does not do and this module adds:
 * - `arn:aws:states:::lambda:invoke`: calls `functions[Parameters.FunctionName](Parameters.Payload)`
 *   and returns `{ Payload: result }` like the AWS integration (so `ResultSelector` on `$.Payload…` works).
 * - `…lambda:invoke.waitForTaskToken`: the library neither supplies `$$.Task.Token` nor has
 *   SendTaskSuccess. Every execution gets a context object whose `Task.Token` is a placeholder; the
 *   task's handler swaps in a fresh token, parks the task on a pending promise and dispatches the
 *   function; `sendTaskSuccess` / `sendTaskFailure` settle that promise.
 * - Execution names, idempotent start, transition counts (what Standard bills), results, stop().
 * - Parking: an execution waiting on a top-level waitForTaskToken task holds nothing of the library.
 *   The engine runs the definition in segments: each waiting task is replaced by a Pass state that
 *   evaluates the task's Parameters and ends the segment; the engine then dispatches the task and
 *   keeps only its token, a timer and the state's input. When the token is answered or times out, a
 *   second machine that starts at a copy of that task (answered at once with the outcome, so its
 *   ResultSelector, ResultPath, Retry and Catch apply as written) runs on to the next wait or the
 *   end. A case waiting for days costs ~1 KB instead of a live run (~27 KB), which is what lets
 *   50,000 open cases fit locally. The transitions counted are the same as one uninterrupted run.
 *   Waiting tasks inside Parallel or Map branches, and a retried waiting task, wait in their run.
 *
 * Deviations of the library that are corrected here (see prepareDefinition):
 * - It resolves `TimeoutSecondsPath` against the Task's Parameters output instead of the state
 *   input, so `"TimeoutSecondsPath": "$.decision.timeoutSeconds"` would fail with States.Runtime.
 * - Its default Task timeout is 60 s; AWS has none (short of the execution's own limit).
 * - Timers beyond 2^31-1 ms (~24.8 days) fire at once in Node; such timeouts are clamped to that.
 *
 * Errors, as Retry/Catch see them (the library matches `ErrorEquals` against `error.name` and puts
 * `error.message` in the caught `Cause`):
 * - a function that throws: Error = the thrown error's `name` (e.g. "Error", "TypeError", a custom
 *   name), Cause = JSON `{ errorType, errorMessage, trace }` — the shape the AWS Lambda integration
 *   gives for a Node.js function error;
 * - an unknown FunctionName: `Lambda.ResourceNotFoundException`;
 * - `sendTaskFailure(token, error, cause)`: Error = error, Cause = cause (or "");
 * - a task running past its timeout: the library's own `States.Timeout` (which, as on AWS, a
 *   `States.TaskFailed` catcher does not match).
 */
import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';

// The library (built for Node >= 22) calls Promise.withResolvers when a Task runs, never at import
// time, so installing the polyfill here, before any engine exists, is early enough on Node 20.
installPromiseWithResolversPolyfill();

// biome-ignore lint/suspicious/noExplicitAny: a task function takes and returns whatever JSON its state passes
export type LocalTaskFunction = (payload: any) => Promise<any>;

export interface LocalWorkflowEngineOptions {
  /** ASL JSON text or object. */
  definition: object | string;
  /** Fills `${Name}` placeholders, like CDK's `definitionSubstitutions`. */
  substitutions?: Record<string, string>;
  /** Keyed by the FunctionName value after substitution. */
  functions: Record<string, LocalTaskFunction>;
  /** Called for every state transition counted by `transitions()`. */
  onTransition?: (executionName: string, stateName: string) => void;
}

export interface LocalExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
}

/** Thrown by sendTaskSuccess/sendTaskFailure for a token that is unknown, used, timed out or whose execution ended. */
export class TaskTokenInvalid extends Error {
  override name = 'TaskTokenInvalid';
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The longest timer Node honours (2^31-1 ms), in whole seconds. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Stands where AWS would put `$$.Task.Token`; each waiting task replaces it with a fresh token. */
const TASK_TOKEN_PLACEHOLDER = 'local-workflow-engine:task-token-placeholder';

/** Extra Parameters field that carries a TimeoutSecondsPath value to where the library looks for it. */
const TIMEOUT_PARAMETER = 'localWorkflowEngineTimeoutSeconds';

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskHandler = TaskHandlers[string];
type JsonValue = Parameters<TaskHandler>[0];

/** Where a parking Pass state puts its evaluated Parameters in the state's output (see the module comment). */
const PARKED_FIELD = 'localWorkflowEngineParked';
/** Added to those Parameters: which waiting task parked. */
const PARKED_STATE_PARAMETER = 'localWorkflowEngineState';

interface TaskStateSpec {
  waitsForTaskToken: boolean;
  /** Set when the timeout is static; otherwise the handler reads it from TIMEOUT_PARAMETER. */
  timeoutSeconds?: number;
  /** The author's TimeoutSecondsPath, for error messages. */
  timeoutSecondsPath?: string;
}

interface ExecutionRecord {
  readonly name: string;
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

/**
 * An error as a Task failure: Retry/Catch match `name`, and `message` becomes the `Cause`.
 */
class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/**
 * The library tells a timeout from a task failure by its class (a States.TaskFailed catcher must not
 * take States.Timeout), and does not export that class: take it from a run that times out at once.
 * A task's timeout is at least a second away, so this is known long before it is needed.
 */
const statesTimeoutError: Promise<() => Error> = new StateMachine(
  {
    StartAt: 'Time out',
    States: { 'Time out': { Type: 'Task', Resource: LAMBDA_INVOKE, TimeoutSeconds: 0.001, End: true } },
  } as StateMachineDefinition,
  { validationOptions: { noValidate: true } },
)
  .run({}, { overrides: { taskResourceLocalHandlers: { 'Time out': () => new Promise<never>(() => {}) } } })
  .result.then(
    () => () => new TaskFailure('States.Timeout', 'States.Timeout'),
    (error: Error) => {
      const timeout = error.cause as Error;
      const LibraryTimeout = timeout.constructor as new () => Error;
      return () => new LibraryTimeout();
    },
  );

export class LocalWorkflowEngine {
  /** Runs a new execution from StartAt, up to its end or its first top-level waiting task. */
  private readonly startMachine: StateMachine;
  /** Per top-level waiting task: runs on from that task, woken, to the end or the next waiting task. */
  private readonly resumeMachines: Map<string, StateMachine>;
  private readonly taskStates: Map<string, TaskStateSpec>;
  private readonly executionTimeoutSeconds?: number;
  private readonly functions: Record<string, LocalTaskFunction>;
  private readonly onTransition?: (executionName: string, stateName: string) => void;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pendingTasks = new Map<string, PendingTask>();

  constructor(options: LocalWorkflowEngineOptions) {
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
  }

  /** Starts an execution; a second start with the name of a running execution does nothing. */
  async start(executionName: string, input: Record<string, unknown>): Promise<{ alreadyRunning: boolean }> {
    if (this.executions.get(executionName)?.running) return { alreadyRunning: true };

    // A finished execution's name may be used again: the new run replaces the old record.
    let settleOutcome!: (result: LocalExecutionResult) => void;
    const outcome = new Promise<LocalExecutionResult>((resolve) => (settleOutcome = resolve));
    const execution: ExecutionRecord = {
      name: executionName,
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
    this.runSegment(execution, this.startMachine, toJson(input), this.taskHandlersFor(execution), false);
    return { alreadyRunning: false };
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
    const token = randomBytes(32).toString('base64url');
    const expiryTimer = setTimeout(() => {
      void statesTimeoutError.then((timeoutError) => {
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
      throw new TaskTokenInvalid('Task token is unknown, already used, timed out, or its execution has ended');
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
    clearTimeout(execution.executionTimer);
    // Tasks still waiting (e.g. a Parallel branch cut short, or a parked task) can never complete now.
    for (const token of [...execution.tokens]) {
      this.takePendingTask(token).settle({ error: new TaskFailure('LocalWorkflowEngine.ExecutionEnded', 'The execution has ended') });
    }
    execution.settleOutcome(result);
  }
}

/** What a parking state's output carries: the waiting task, its evaluated Parameters and its input. */
interface ParkedTask {
  stateName: string;
  parameters: Record<string, unknown>;
  stateInput: unknown;
}

function parkedTask(output: unknown): ParkedTask | undefined {
  if (!output || typeof output !== 'object' || !(PARKED_FIELD in output)) return undefined;
  const { [PARKED_FIELD]: parked, ...stateInput } = output as Record<string, unknown>;
  const { [PARKED_STATE_PARAMETER]: stateName, ...parameters } = parked as Record<string, unknown>;
  return { stateName: String(stateName), parameters, stateInput };
}

function resumedStateName(stateName: string): string {
  return `${stateName} (woken)`;
}

interface PreparedDefinition {
  definition: StateMachineDefinition;
  /** The Task states by name (the library keys its handlers by state name; ASL state names are unique across the whole machine). */
  taskStates: Map<string, TaskStateSpec>;
  executionTimeoutSeconds?: number;
  segments: { start: StateMachineDefinition; resumeAt: Map<string, StateMachineDefinition> };
}

/**
 * Substitutes placeholders, parses, checks that every Task is supported, adapts the Task timeouts to
 * the library and builds the segment machines (see the module comment).
 */
function prepareDefinition(source: object | string, substitutions: Record<string, string>): PreparedDefinition {
  let text = typeof source === 'string' ? source : JSON.stringify(source);
  for (const [name, value] of Object.entries(substitutions)) {
    // The placeholders stand inside JSON strings: insert the value JSON-escaped.
    text = text.replaceAll(`\${${name}}`, JSON.stringify(value).slice(1, -1));
  }
  const unresolved = text.match(/\$\{[A-Za-z0-9_]+\}/g);
  if (unresolved) {
    throw new Error(`State machine definition has placeholders without substitutions: ${[...new Set(unresolved)].join(', ')}`);
  }

  const definition = JSON.parse(text) as StateMachineDefinition & Record<string, unknown>;
  const taskStates = new Map<string, TaskStateSpec>();
  if (typeof definition.TimeoutSeconds === 'number') {
    definition.TimeoutSeconds = Math.min(definition.TimeoutSeconds, MAX_TIMER_SECONDS);
  }
  forEachState(definition, (stateName, state) => {
    if (state.QueryLanguage === 'JSONata' || 'Assign' in state) {
      throw new Error(`State '${stateName}': JSONata and Assign are not supported by the local engine`);
    }
    if (state.Type !== 'Task') return;
    if (state.Resource !== LAMBDA_INVOKE && state.Resource !== LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN) {
      throw new Error(
        `Task '${stateName}' uses resource '${String(state.Resource)}'; the local engine runs only ${LAMBDA_INVOKE}(.waitForTaskToken)`,
      );
    }
    const parameters = state.Parameters as Record<string, unknown> | undefined;
    const timeoutSecondsPath = typeof state.TimeoutSecondsPath === 'string' ? state.TimeoutSecondsPath : undefined;
    if (typeof state.TimeoutSecondsPath === 'string' && parameters) {
      // Evaluate the path where AWS does (the state input) by carrying it in Parameters, where
      // the library looks for it.
      parameters[`${TIMEOUT_PARAMETER}.$`] = state.TimeoutSecondsPath;
      state.TimeoutSecondsPath = `$.${TIMEOUT_PARAMETER}`;
    } else if (typeof state.TimeoutSeconds === 'number') {
      state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
    } else if (state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = MAX_TIMER_SECONDS; // AWS has no 60 s default
    }
    taskStates.set(stateName, {
      waitsForTaskToken: state.Resource === LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN,
      timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined,
      timeoutSecondsPath,
    });
  });
  return {
    definition,
    taskStates,
    executionTimeoutSeconds: definition.TimeoutSeconds as number | undefined,
    segments: segmentsOf(definition),
  };
}

/**
 * The start machine: the definition with every top-level waiting task replaced by a parking Pass
 * state (the task's InputPath and Parameters, its name added, the result at PARKED_FIELD, End).
 * Per waiting task, a resume machine: the start machine plus a copy of the task as written, named
 * by resumedStateName, as its StartAt. The engine keeps the execution's TimeoutSeconds itself.
 */
function segmentsOf(definition: StateMachineDefinition): PreparedDefinition['segments'] {
  type Json = Record<string, unknown>;
  const { TimeoutSeconds: _kept, ...machine } = definition as unknown as { States: Record<string, Json>; TimeoutSeconds?: number };
  const states = machine.States;
  const waiting = Object.entries(states).filter(
    ([, state]) => state.Type === 'Task' && state.Resource === LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN,
  );
  const parkingStates = { ...states };
  for (const [stateName, state] of waiting) {
    parkingStates[stateName] = {
      Type: 'Pass',
      ...(state.InputPath !== undefined && { InputPath: state.InputPath }),
      Parameters: { ...((state.Parameters as object | undefined) ?? {}), [PARKED_STATE_PARAMETER]: stateName },
      ResultPath: `$.${PARKED_FIELD}`,
      End: true,
    };
  }
  const start = { ...machine, States: parkingStates } as unknown as StateMachineDefinition;
  const resumeAt = new Map(
    waiting.map(([stateName, state]) => [
      stateName,
      {
        ...machine,
        StartAt: resumedStateName(stateName),
        States: { ...parkingStates, [resumedStateName(stateName)]: state },
      } as unknown as StateMachineDefinition,
    ]),
  );
  return { start, resumeAt };
}

/** Visits every state, including those inside Parallel branches and Map iterators. */
function forEachState(machine: { States?: unknown }, visit: (stateName: string, state: Record<string, unknown>) => void): void {
  for (const [stateName, state] of Object.entries((machine.States ?? {}) as Record<string, Record<string, unknown>>)) {
    visit(stateName, state);
    const branches = [...((state.Branches as object[] | undefined) ?? []), state.Iterator, state.ItemProcessor];
    for (const branch of branches) {
      if (branch && typeof branch === 'object') forEachState(branch as { States?: unknown }, visit);
    }
  }
}

/** The Task's timeout in seconds, or undefined when its TimeoutSecondsPath value is not a positive integer. */
function resolveTimeoutSeconds(spec: TaskStateSpec, parameters: Record<string, unknown>): number | undefined {
  if (spec.timeoutSeconds !== undefined) return spec.timeoutSeconds;
  const requested = parameters[TIMEOUT_PARAMETER];
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1) return undefined;
  const timeoutSeconds = Math.min(requested, MAX_TIMER_SECONDS);
  // The library reads the timeout from this very object right after the handler returns.
  parameters[TIMEOUT_PARAMETER] = timeoutSeconds;
  return timeoutSeconds;
}

/**
 * Calls a local function as Lambda would: JSON in, JSON out, and a thrown error becomes a Task
 * failure named like the error with the Lambda error JSON as its cause.
 */
async function callFunction(taskFunction: LocalTaskFunction, payload: unknown): Promise<unknown> {
  try {
    return toJson(await taskFunction(toJson(payload)));
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const errorType = error.name || 'Error';
    const cause = JSON.stringify({
      errorType,
      errorMessage: error.message,
      trace: error.stack?.split('\n') ?? [],
    });
    throw new TaskFailure(errorType, cause);
  }
}

async function describeOutcome(result: Promise<unknown>): Promise<LocalExecutionResult> {
  try {
    return { status: 'SUCCEEDED', output: await result };
  } catch (thrown) {
    const error = thrown as Error;
    switch (error?.name) {
      case 'ExecutionAbortedError':
        return { status: 'ABORTED' };
      case 'ExecutionTimeoutError': // the machine's top-level TimeoutSeconds (AWS reports TIMED_OUT)
        return { status: 'FAILED', error: 'States.Timeout', cause: 'The execution exceeded the state machine TimeoutSeconds' };
      case 'ExecutionError': {
        const failure = error.cause as Error | undefined;
        // Name the rewritten timeout path as the author wrote it, not by its internal name.
        const cause = (failure?.message ?? error.message).replaceAll(`'$.${TIMEOUT_PARAMETER}'`, 'TimeoutSecondsPath');
        return { status: 'FAILED', error: failure?.name ?? 'States.Runtime', cause };
      }
      default:
        return { status: 'FAILED', error: 'LocalWorkflowEngine.InternalError', cause: String(error?.message ?? thrown) };
    }
  }
}

/** A JSON round trip, as a value crossing a Lambda or Step Functions API boundary gets. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function replacePlaceholder(value: unknown, placeholder: string, replacement: string): unknown {
  if (value === placeholder) return replacement;
  if (Array.isArray(value)) return value.map((item) => replacePlaceholder(item, placeholder, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replacePlaceholder(item, placeholder, replacement)]));
  }
  return value;
}

function installPromiseWithResolversPolyfill(): void {
  const promiseConstructor = Promise as unknown as { withResolvers?: unknown };
  if (typeof promiseConstructor.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((resolvePromise, rejectPromise) => {
        resolve = resolvePromise;
        reject = rejectPromise;
      });
      return { promise, resolve, reject };
    },
  });
}
