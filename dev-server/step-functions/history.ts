/**
 * Execution history as GetExecutionHistory shows it: AWS's event types (ExecutionStarted, TaskStateEntered,
 * TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskStateExited, ChoiceStateEntered, …), built
 * from the library's run events and the engine's own task calls. A Task is 5 events (6 when it waits for a
 * token: TaskSubmitted), a Choice or Pass 2, and an execution counts them against AWS's 25,000.
 */
import { LAMBDA_INVOKE, LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN } from './definition';

/** AWS's limit on one execution's history; the event that would pass it fails the execution. */
export const MAX_HISTORY_EVENTS = 25_000;

/** One event; the details sit under AWS's key for the type (e.g. `taskScheduledEventDetails`). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** ISO, in the engine's clock. */
  timestamp: string;
  type: string;
  [details: string]: unknown;
}

/** An event not yet numbered. */
export type NewEvent = Omit<HistoryEvent, 'id' | 'previousEventId'>;

const DETAILS_KEY: Record<string, string> = {
  ExecutionStarted: 'executionStartedEventDetails',
  ExecutionSucceeded: 'executionSucceededEventDetails',
  ExecutionFailed: 'executionFailedEventDetails',
  ExecutionAborted: 'executionAbortedEventDetails',
  ExecutionTimedOut: 'executionTimedOutEventDetails',
  TaskScheduled: 'taskScheduledEventDetails',
  TaskStarted: 'taskStartedEventDetails',
  TaskSubmitted: 'taskSubmittedEventDetails',
  TaskSucceeded: 'taskSucceededEventDetails',
  TaskFailed: 'taskFailedEventDetails',
  TaskTimedOut: 'taskTimedOutEventDetails',
  MapStateStarted: 'mapStateStartedEventDetails',
  MapIterationStarted: 'mapIterationStartedEventDetails',
  MapIterationSucceeded: 'mapIterationSucceededEventDetails',
  MapIterationFailed: 'mapIterationFailedEventDetails',
};

/** An event of this type at this moment, with its details under AWS's key. */
export function historyEvent(type: string, at: Date, details?: Record<string, unknown>): NewEvent {
  const key =
    DETAILS_KEY[type] ??
    (type.endsWith('StateEntered') ? 'stateEnteredEventDetails' : type.endsWith('StateExited') ? 'stateExitedEventDetails' : undefined);
  return { timestamp: at.toISOString(), type, ...(key && details && { [key]: details }) };
}

export function stateEntered(stateType: string, name: string, input: unknown, at: Date): NewEvent {
  return historyEvent(`${stateType}StateEntered`, at, { name, input: JSON.stringify(input ?? null), inputDetails: { truncated: false } });
}

export function stateExited(stateType: string, name: string, output: unknown, at: Date): NewEvent {
  return historyEvent(`${stateType}StateExited`, at, { name, output: JSON.stringify(output ?? null), outputDetails: { truncated: false } });
}

/** `resourceType` and `resource` as AWS names a Lambda integration in task events. */
export function taskResource(waitsForTaskToken: boolean): { resourceType: string; resource: string } {
  const resource = waitsForTaskToken ? LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN : LAMBDA_INVOKE;
  return { resourceType: 'lambda', resource: resource.slice('arn:aws:states:::lambda:'.length) };
}

/** TaskScheduled and TaskStarted: the task's call is made. */
export function taskScheduled(
  waitsForTaskToken: boolean,
  parameters: Record<string, unknown>,
  timeoutSeconds: number | undefined,
  region: string,
  at: Date,
): NewEvent[] {
  const resource = taskResource(waitsForTaskToken);
  return [
    historyEvent('TaskScheduled', at, {
      ...resource,
      region,
      parameters: JSON.stringify(parameters),
      ...(timeoutSeconds !== undefined && { timeoutInSeconds: timeoutSeconds }),
    }),
    historyEvent('TaskStarted', at, resource),
  ];
}

/** How a task ended: TaskSucceeded with its result, or TaskFailed / TaskTimedOut with the error. */
export function taskEnded(waitsForTaskToken: boolean, outcome: { output: unknown } | { error: string; cause: string }, at: Date): NewEvent {
  const resource = taskResource(waitsForTaskToken);
  if ('output' in outcome) return historyEvent('TaskSucceeded', at, { ...resource, output: JSON.stringify(outcome.output ?? null) });
  const type = outcome.error === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed';
  return historyEvent(type, at, { ...resource, error: outcome.error, cause: outcome.cause });
}

/** Numbers new events after the `count` already written. */
export function numbered(events: NewEvent[], count: number): HistoryEvent[] {
  return events.map((event, index) => ({ id: count + index + 1, previousEventId: count + index, ...event }) as HistoryEvent);
}
