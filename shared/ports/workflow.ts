/** The lifecycle engine (Step Functions in the cloud, the local engine on one machine). */

/**
 * What starting an execution did: `started` — a new execution, or (same name, same input) the one already
 * running, which Step Functions answers with; `exists` — the name is taken by a closed execution (Step
 * Functions keeps closed names for 90 days) or by one running with another input: nothing was started.
 */
export type StartOutcome = 'started' | 'exists';

/** An execution as DescribeExecution sees it: running, closed (succeeded, failed, timed out, aborted) or never started. */
export type ExecutionStatus = 'running' | 'closed' | 'none';

/** A state an execution entered (and left, unless it is there now), from its history. */
export interface StateVisit {
  name: string;
  /** The state's type as the history names it: Task, Choice, Pass, Wait, Parallel, Map, Succeed, Fail. */
  type: string;
  enteredAt: string;
  exitedAt?: string;
}

/** One execution's course: where it went, and how it ended (or that it runs). */
export interface ExecutionCourse {
  name: string;
  /** The execution's ARN (the cloud's console is linked from it). */
  arn: string;
  status: 'running' | 'succeeded' | 'failed' | 'timed_out' | 'aborted';
  startedAt: string;
  stoppedAt?: string;
  states: StateVisit[];
  /** The history was longer than one reply reads: the states listed are its latest ones (its start is left out). */
  truncated?: true;
}

export interface WorkflowPort {
  /**
   * Starts the lifecycle of a case; starting one that already runs is not an error. A long case
   * continues in later generations: execution `<id>`, then `<id>-2`, `<id>-3`, …
   */
  start(eventId: string, generation?: number): Promise<StartOutcome>;
  /** Whether a case's execution of that generation runs, has closed, or was never started. */
  status(eventId: string, generation?: number): Promise<ExecutionStatus>;
  /** The states a case's execution of that generation visited, or undefined when it was never started. */
  course(eventId: string, generation?: number): Promise<ExecutionCourse | undefined>;
  /** Wakes a waiting task. Returns false when the token is no longer valid (the task timed out or finished). */
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean>;
}
