/**
 * How a task and an execution end on the local engine (README.md, errors): a function called as Lambda
 * would call it, failures as Retry/Catch see them, and the library's outcome as an execution result.
 */
import { TIMEOUT_PARAMETER } from './definition';

// biome-ignore lint/suspicious/noExplicitAny: a task function takes and returns whatever JSON its state passes
export type LocalTaskFunction = (payload: any) => Promise<any>;

export interface LocalExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
}

/** An execution as DescribeExecution shows it (times in the engine's clock). */
export interface ExecutionDescription {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  /** The input as given to StartExecution (JSON text). */
  input: string;
  startDate: Date;
  stopDate?: Date;
  /** The definition version it runs. */
  version: number;
  /** JSON text, when it SUCCEEDED. */
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * An error as a Task failure: Retry/Catch match `name`, and `message` becomes the `Cause`.
 */
export class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/**
 * Calls a local function as Lambda would: JSON in, JSON out, and a thrown error becomes a Task
 * failure named like the error with the Lambda error JSON as its cause.
 */
export async function callFunction(taskFunction: LocalTaskFunction, payload: unknown): Promise<unknown> {
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

export async function describeOutcome(result: Promise<unknown>): Promise<LocalExecutionResult> {
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
export function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function replacePlaceholder(value: unknown, placeholder: string, replacement: string): unknown {
  if (value === placeholder) return replacement;
  if (Array.isArray(value)) return value.map((item) => replacePlaceholder(item, placeholder, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replacePlaceholder(item, placeholder, replacement)]));
  }
  return value;
}
