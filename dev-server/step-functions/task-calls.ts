/**
 * How the engine calls a Task's function, as the Lambda integrations do: `lambda:invoke` (the result as
 * `{ Payload }`) and `.waitForTaskToken` (a fresh single-use token in the payload, a timer, the answer
 * through sendTaskSuccess/Failure). Holds the tasks waiting on a token and reports every invocation.
 */
import type { Timer, Timers } from '../adapters/timers';
import { newTaskToken } from './aws-errors';
import { resolveTimeoutSeconds, type TaskStateSpec } from './definition';
import type { ExecutionRecord, JsonValue, Settlement, TaskHandlers } from './execution-record';
import { historyEvent, type NewEvent } from './history';
import { statesTimeoutError } from './library-runtime';
import { callFunction, replacePlaceholder, TaskFailure, type LocalTaskFunction } from './task-outcomes';

/** Stands where AWS would put `$$.Task.Token`; each waiting task replaces it with a fresh token. */
export const TASK_TOKEN_PLACEHOLDER = 'local-workflow-engine:task-token-placeholder';

export interface PendingTask {
  readonly execution: ExecutionRecord;
  readonly settle: (settlement: Settlement) => void;
  readonly expiryTimer: Timer;
}

export interface TaskCallsOptions {
  functions: Record<string, LocalTaskFunction>;
  onInvoke?: (functionName: string, payload: unknown) => void;
  now(): Date;
  /** Where a waiting task's timeout is armed; its `timerNow()` is what `timeoutAt` is kept in. */
  timers: Timers;
  /** Registers a function call under way with the runner (its idle() waits for it). */
  working<T>(call: Promise<T>): Promise<T>;
  addEvents(execution: ExecutionRecord, events: NewEvent[]): void;
}

export class TaskCalls {
  private readonly pending = new Map<string, PendingTask>();

  constructor(private readonly options: TaskCallsOptions) {}

  /** Every token waiting now. */
  tokens(): string[] {
    return [...this.pending.keys()];
  }

  /** Removes a waiting task (tokens are single-use); undefined when the token is not waiting. */
  take(token: string): PendingTask | undefined {
    const task = this.pending.get(token);
    if (!task) return undefined;
    this.pending.delete(token);
    task.execution.tokens.delete(token);
    task.expiryTimer.cancel();
    return task;
  }

  /** True when the token's task is waiting now. */
  isPending(token: string): boolean {
    return this.pending.has(token);
  }

  handlersFor(execution: ExecutionRecord): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [stateName, spec] of execution.version.taskStates) {
      handlers[stateName] = (input: JsonValue) => {
        const taskResult = this.runTask(execution, stateName, spec, input as Record<string, unknown>);
        taskResult.then((result) => execution.taskResults.set(stateName, result)).catch(() => {});
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
    if (timeoutSeconds === undefined) return Promise.reject(new TaskFailure('States.Runtime', 'Invalid task timeout'));
    if (!spec.waitsForTaskToken) {
      const taskFunction = this.functionFor(stateName, parameters);
      if (taskFunction instanceof TaskFailure) return Promise.reject(taskFunction);
      return this.track(execution, callFunction(taskFunction, parameters.Payload ?? {})).then((result) => ({ Payload: result }));
    }
    // A waiting task inside a Parallel or Map branch, or a retried one: this run waits for it.
    const parking = { token: newTaskToken(execution.stored.name), timeoutAt: this.options.timers.timerNow() + timeoutSeconds * 1000 };
    return new Promise<unknown>((resolve, reject) => {
      this.dispatchWaitingTask(execution, stateName, parameters, parking, (settlement) =>
        settlement.error ? reject(settlement.error) : resolve(settlement.output),
      );
    });
  }

  /** Registers the token, then calls the function with it; `settle` gets the outcome. */
  dispatchWaitingTask(
    execution: ExecutionRecord,
    stateName: string,
    parameters: Record<string, unknown>,
    parking: { token: string; timeoutAt: number },
    settle: (settlement: Settlement) => void,
  ): void {
    const taskFunction = this.functionFor(stateName, parameters);
    if (taskFunction instanceof TaskFailure) {
      settle({ error: taskFunction });
      return;
    }
    // Register before dispatching: the function may send the success itself before it returns.
    this.register(execution, parking.token, parking.timeoutAt, settle);
    // As on AWS, the dispatching function's return value is ignored; if it fails, the task fails.
    const dispatch = callFunction(taskFunction, replacePlaceholder(parameters.Payload ?? {}, TASK_TOKEN_PLACEHOLDER, parking.token));
    this.track(execution, dispatch).then(
      (result) => {
        const { parked } = execution.stored;
        if (parked?.token === parking.token) parked.submitted = true;
        if (execution.running)
          this.options.addEvents(execution, [
            historyEvent('TaskSubmitted', this.options.now(), {
              resourceType: 'lambda',
              resource: 'invoke.waitForTaskToken',
              output: JSON.stringify({ Payload: result ?? null }),
            }),
          ]);
      },
      (error: Error) => {
        if (this.pending.has(parking.token)) this.take(parking.token)?.settle({ error });
      },
    );
  }

  register(execution: ExecutionRecord, token: string, timeoutAt: number, settle: (settlement: Settlement) => void): void {
    const { timers } = this.options;
    // A task's timeout is within Node's timer range already (definition.ts); a Wait state's end may be later (the port takes any).
    const expiryTimer = timers.after(Math.max(0, timeoutAt - timers.timerNow()), () =>
      statesTimeoutError().then((timeoutError) => {
        if (this.pending.has(token)) this.take(token)?.settle({ error: timeoutError() });
      }),
    );
    this.pending.set(token, { execution, settle, expiryTimer });
    execution.tokens.add(token);
  }

  /** The local function a Task names, or the failure Lambda would give for an unknown one; reports each invocation. */
  private functionFor(stateName: string, parameters: Record<string, unknown>): LocalTaskFunction | TaskFailure {
    const functionName = String(parameters.FunctionName);
    if (!Object.hasOwn(this.options.functions, functionName)) {
      const known = Object.keys(this.options.functions).join(', ') || 'none';
      return new TaskFailure(
        'Lambda.ResourceNotFoundException',
        `Function not found: '${functionName}' (state '${stateName}'); the local engine has: ${known}`,
      );
    }
    const taskFunction = this.options.functions[functionName];
    const onInvoke = this.options.onInvoke;
    if (!onInvoke) return taskFunction;
    return (payload) => {
      try {
        onInvoke(functionName, payload);
      } catch {
        // An observer's failure must not disturb the workflow.
      }
      return taskFunction(payload);
    };
  }

  private track<T>(execution: ExecutionRecord, call: Promise<T>): Promise<T> {
    this.options.working(call).catch(() => {});
    execution.inFlightCalls.add(call);
    const forget = () => execution.inFlightCalls.delete(call);
    call.then(forget, forget);
    return call;
  }
}
