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

interface TaskStateSpec {
  waitsForTaskToken: boolean;
  /** Set when the timeout is static; otherwise the handler reads it from TIMEOUT_PARAMETER. */
  timeoutSeconds?: number;
}

interface ExecutionRecord {
  readonly name: string;
  running: boolean;
  /** False once the execution was stopped or has ended: late handler calls must not dispatch. */
  acceptingTasks: boolean;
  transitions: number;
  abort: () => void;
  outcome: Promise<LocalExecutionResult>;
  /** Function calls still running, awaited by stop() so nothing outlives the engine. */
  readonly inFlightCalls: Set<Promise<unknown>>;
}

interface PendingTask {
  readonly execution: ExecutionRecord;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Kills the token when the state's timeout passes (the library raises States.Timeout then). */
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

export class LocalWorkflowEngine {
  private readonly stateMachine: StateMachine;
  private readonly taskStates: Map<string, TaskStateSpec>;
  private readonly functions: Record<string, LocalTaskFunction>;
  private readonly onTransition?: (executionName: string, stateName: string) => void;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pendingTasks = new Map<string, PendingTask>();

  constructor(options: LocalWorkflowEngineOptions) {
    const { definition, taskStates } = prepareDefinition(options.definition, options.substitutions ?? {});
    // Validates the definition (asl-validator, including JSONPaths and ARNs) and throws if invalid.
    this.stateMachine = new StateMachine(definition);
    this.taskStates = taskStates;
    this.functions = options.functions;
    this.onTransition = options.onTransition;
  }

  /** Starts an execution; a second start with the name of a running execution does nothing. */
  async start(executionName: string, input: Record<string, unknown>): Promise<{ alreadyRunning: boolean }> {
    if (this.executions.get(executionName)?.running) return { alreadyRunning: true };

    // A finished execution's name may be used again: the new run replaces the old record.
    const execution: ExecutionRecord = {
      name: executionName,
      running: true,
      acceptingTasks: true,
      transitions: 0,
      abort: () => {},
      outcome: Promise.resolve({ status: 'ABORTED' }),
      inFlightCalls: new Set(),
    };
    this.executions.set(executionName, execution);

    // Note: run() enters the first state synchronously, so a first Task's function is called
    // before run() returns; the record is already registered for that.
    const run = this.stateMachine.run(toJson(input) as JsonValue, {
      overrides: { taskResourceLocalHandlers: this.taskHandlersFor(execution) },
      context: {
        Execution: { Id: `arn:aws:states:local:000000000000:execution:local:${executionName}`, Name: executionName },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    execution.abort = run.abort;
    execution.outcome = Promise.all([
      describeOutcome(run.result),
      this.countTransitions(execution, run.eventLogs),
    ]).then(([result]) => {
      this.finish(execution);
      return result;
    });
    return { alreadyRunning: false };
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    const task = this.takePendingTask(token);
    task.resolve(toJson(output));
  }

  async sendTaskFailure(token: string, error: string, cause?: string): Promise<void> {
    const task = this.takePendingTask(token);
    task.reject(new TaskFailure(error, cause ?? ''));
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
      execution.abort();
    }
    // Settling the parked tasks lets the library finish its Task states and clear their timers.
    for (const token of [...this.pendingTasks.keys()]) {
      this.takePendingTask(token).reject(new TaskFailure('LocalWorkflowEngine.Stopped', 'The engine was stopped'));
    }
    await Promise.allSettled(running.map((execution) => execution.outcome));
    await Promise.allSettled(running.flatMap((execution) => [...execution.inFlightCalls]));
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

    const functionName = String(parameters.FunctionName);
    const taskFunction = Object.hasOwn(this.functions, functionName) ? this.functions[functionName] : undefined;
    if (!taskFunction) {
      const known = Object.keys(this.functions).join(', ') || 'none';
      return Promise.reject(
        new TaskFailure(
          'Lambda.ResourceNotFoundException',
          `Function not found: '${functionName}' (state '${stateName}'); the local engine has: ${known}`,
        ),
      );
    }
    const payload = parameters.Payload ?? {};

    if (!spec.waitsForTaskToken) {
      return this.track(execution, callFunction(taskFunction, payload)).then((result) => ({ Payload: result }));
    }

    // Register the waiting task before dispatching: the function may send the success itself,
    // synchronously, before it returns.
    const token = randomBytes(32).toString('base64url');
    const parked = new Promise<unknown>((resolve, reject) => {
      const expiryTimer = setTimeout(() => this.pendingTasks.delete(token), timeoutSeconds * 1000);
      this.pendingTasks.set(token, { execution, resolve, reject, expiryTimer });
    });
    // As on AWS, the dispatching function's return value is ignored; if it fails, the task fails.
    const dispatch = callFunction(taskFunction, replacePlaceholder(payload, TASK_TOKEN_PLACEHOLDER, token));
    this.track(execution, dispatch).catch((error: Error) => {
      if (this.pendingTasks.has(token)) this.takePendingTask(token).reject(error);
    });
    return parked;
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
    clearTimeout(task.expiryTimer);
    return task;
  }

  private async countTransitions(execution: ExecutionRecord, eventLogs: AsyncGenerator<{ type: string }>) {
    for await (const event of eventLogs) {
      // A retry re-runs the state and is billed as a transition too.
      if (event.type !== 'StateEntered' && event.type !== 'StateRetried') continue;
      execution.transitions += 1;
      const stateName = (event as { state?: { name?: string } }).state?.name ?? '';
      try {
        this.onTransition?.(execution.name, stateName);
      } catch {
        // An observer's failure must not disturb the workflow.
      }
    }
  }

  private finish(execution: ExecutionRecord): void {
    execution.running = false;
    execution.acceptingTasks = false;
    // Tasks still parked (e.g. a Parallel branch cut short) can never complete now.
    for (const [token, task] of [...this.pendingTasks]) {
      if (task.execution === execution) {
        this.takePendingTask(token).reject(new TaskFailure('LocalWorkflowEngine.ExecutionEnded', 'The execution has ended'));
      }
    }
  }
}

/**
 * Substitutes placeholders, parses, checks that every Task is supported, and adapts the Task
 * timeouts to the library (see the module comment). Returns the Task states by name (the library
 * keys its handlers by state name; ASL state names are unique across the whole machine).
 */
function prepareDefinition(
  source: object | string,
  substitutions: Record<string, string>,
): { definition: StateMachineDefinition; taskStates: Map<string, TaskStateSpec> } {
  let text = typeof source === 'string' ? source : JSON.stringify(source);
  for (const [name, value] of Object.entries(substitutions)) {
    // The placeholders stand inside JSON strings: insert the value JSON-escaped.
    text = text.replaceAll('${' + name + '}', JSON.stringify(value).slice(1, -1));
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
    });
  });
  return { definition, taskStates };
}

/** Visits every state, including those inside Parallel branches and Map iterators. */
function forEachState(
  machine: { States?: unknown },
  visit: (stateName: string, state: Record<string, unknown>) => void,
): void {
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
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replacePlaceholder(item, placeholder, replacement)]),
    );
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
