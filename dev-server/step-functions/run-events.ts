/**
 * Follows one library run (a segment) and turns its events into AWS's history events (history.ts), counting
 * the transitions AWS bills and watching the 256 KiB limit on what a state passes on. A parking Pass state
 * stands for its waiting task or Wait state; a woken copy for the state itself (README.md, parking).
 */
import type { TaskStateSpec } from './definition';
import { historyEvent, type NewEvent, stateEntered, stateExited, taskEnded, taskScheduled } from './history';

/** AWS's limit on a state's input or output, and on execution input: 256 KiB. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** The library's run events, as far as the history needs them. */
export type LibraryEvent = {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
  parentState?: { name: string };
  index?: number;
};

export interface RunEventsTarget {
  taskStates: Map<string, TaskStateSpec>;
  /** Top-level Wait states: their parking Pass stands for them. */
  waitStates: Set<string>;
  /** The last result of each task's call (TaskSucceeded shows it). */
  taskResults: Map<string, unknown>;
  /** Tasks whose last attempt failed (their exit after a Catch is not a success). */
  failedTasks: Set<string>;
  region: string;
  now(): Date;
  add(events: NewEvent[]): void;
  /** A state entered or retried: a billed transition. */
  transition(stateName: string): void;
  /** A state's output passed 256 KiB: the execution fails (States.DataLimitExceeded). */
  outputTooBig(stateName: string): void;
}

/** Follows the run to its end; `resumed`: its first state is a woken task, entered (and counted) when it parked. */
export async function followRun(eventLogs: AsyncGenerator<LibraryEvent>, resumed: boolean, target: RunEventsTarget): Promise<void> {
  let skipFirstEntered = resumed;
  for await (const event of eventLogs) {
    const at = target.now();
    switch (event.type) {
      case 'StateEntered':
        if (skipFirstEntered) {
          skipFirstEntered = false;
          continue;
        }
        followState(event, at, target);
        break;
      case 'StateRetried':
      case 'StateFailed':
      case 'StateExited':
        followState(event, at, target);
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        target.add([historyEvent(event.type, at, { name: event.parentState?.name, index: event.index })]);
        break;
    }
  }
}

/** One state's entry, retry, failure or exit: the library's state events always carry their state. */
function followState(event: LibraryEvent, at: Date, target: RunEventsTarget): void {
  const { state } = event;
  if (!state) throw new Error(`The library's ${event.type} event carries no state`);
  const name = state.name.replace(/ \(woken\)$/, '');
  const task = target.taskStates.get(name);
  // A parking Pass stands for its waiting task or Wait state: its entry is theirs, its exit ends the segment.
  const parksWait = state.type === 'Pass' && target.waitStates.has(name) && name === state.name;
  const parking = (state.type === 'Pass' && task?.waitsForTaskToken === true && name === state.name) || parksWait;
  const isTask = state.type === 'Task' || (parking && !parksWait);
  const stateType = isTask ? 'Task' : parksWait ? 'Wait' : state.type;
  /** Every Task state of the definition (and every parking Pass) has its spec in taskStates (definition.ts). */
  const taskSpec = (): TaskStateSpec => {
    if (!task) throw new Error(`Task state ${name} has no spec among the definition's task states`);
    return task;
  };
  switch (event.type) {
    case 'StateEntered': {
      target.transition(name);
      target.failedTasks.delete(name);
      const entered = [stateEntered(stateType, name, state.input, at)];
      if (state.type === 'Task') {
        const spec = taskSpec();
        entered.push(...taskScheduled(spec.waitsForTaskToken, {}, spec.timeoutSeconds, target.region, at));
      }
      if (state.type === 'Parallel' || state.type === 'Map') entered.push(historyEvent(`${state.type}StateStarted`, at, {}));
      target.add(entered);
      break;
    }
    case 'StateRetried':
      target.transition(name);
      target.failedTasks.delete(name);
      if (isTask) {
        const spec = taskSpec();
        target.add(taskScheduled(spec.waitsForTaskToken, {}, spec.timeoutSeconds, target.region, at));
      }
      break;
    case 'StateFailed':
      if (isTask) {
        target.failedTasks.add(name);
        target.add([taskEnded(taskSpec().waitsForTaskToken, { error: String(event.Error), cause: causeText(event.Cause) }, at)]);
      }
      break;
    case 'StateExited': {
      if (parking) break; // parked: the segment ends here
      const exited: NewEvent[] = [];
      if (isTask && !target.failedTasks.has(name))
        exited.push(taskEnded(taskSpec().waitsForTaskToken, { output: target.taskResults.get(name) }, at));
      if (state.type === 'Parallel' || state.type === 'Map') exited.push(historyEvent(`${state.type}StateSucceeded`, at, {}));
      exited.push(stateExited(stateType, name, state.output, at));
      target.add(exited);
      if (Buffer.byteLength(JSON.stringify(state.output ?? null)) > MAX_PAYLOAD_BYTES) target.outputTooBig(name);
      break;
    }
  }
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? '' : JSON.stringify(cause);
}
