/**
 * An execution while it runs in this process (what the runner and its task calls share): its stored
 * record, the definition version it runs, its run, timers, tokens and history not yet written.
 */
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { Timer } from '../adapters/timers';
import type { TaskStateSpec } from './definition';
import type { ExecutionStatus, StoredExecution } from './execution-store';
import type { NewEvent } from './history';
import type { LocalExecutionResult } from './task-outcomes';

export type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type JsonValue = Parameters<TaskHandlers[string]>[0];

/** How an execution ends: as the in-process result, or TIMED_OUT. */
export type EndResult = Omit<LocalExecutionResult, 'status'> & { status: Exclude<ExecutionStatus, 'RUNNING'> };

/** One definition version, cut into its segment machines. */
export interface MachineVersion {
  version: number;
  start: StateMachine;
  resumeAt: Map<string, StateMachine>;
  taskStates: Map<string, TaskStateSpec>;
  /** The top-level Wait states: they park like waiting tasks, on a timer of the engine's timer port. */
  waitStates: Set<string>;
  executionTimeoutSeconds?: number;
}

/** How a waiting task ended: the output of sendTaskSuccess, or an error (sendTaskFailure, dispatch, timeout). */
export interface Settlement {
  output?: unknown;
  error?: Error;
}

export interface ExecutionRecord {
  readonly stored: StoredExecution;
  readonly version: MachineVersion;
  running: boolean;
  /** False once the execution was stopped or has ended: late handler calls must not dispatch. */
  acceptingTasks: boolean;
  /** Aborts the library run of the current segment; undefined while the execution is parked. */
  abortSegment?: () => void;
  /** Set when a limit ends the execution: the aborted run ends with this instead. */
  endWith?: EndResult;
  readonly outcome: Promise<LocalExecutionResult>;
  readonly settleOutcome: (result: LocalExecutionResult) => void;
  readonly timers: Timer[];
  /** Tokens of its tasks waiting now. */
  readonly tokens: Set<string>;
  /** Function calls still running, awaited by shutdown so nothing outlives the engine. */
  readonly inFlightCalls: Set<Promise<unknown>>;
  /** History events not yet written. */
  readonly events: NewEvent[];
  /** The last result of each task's call, and the tasks whose last attempt failed (for their history events). */
  readonly taskResults: Map<string, unknown>;
  readonly failedTasks: Set<string>;
  /** Store writes, in order. */
  writes: Promise<void>;
}
