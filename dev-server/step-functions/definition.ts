/**
 * Preparing an ASL definition for the local engine (README.md): placeholders substituted, Task resources and
 * language checked, Task timeouts adapted to the library, and the segment machines that let a waiting
 * execution park cut from it.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The longest timer Node honours (2^31-1 ms), in whole seconds. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Extra Parameters field that carries a TimeoutSecondsPath value to where the library looks for it. */
export const TIMEOUT_PARAMETER = 'localWorkflowEngineTimeoutSeconds';

/** Where a parking Pass state puts its evaluated Parameters in the state's output (see README.md, parking). */
const PARKED_FIELD = 'localWorkflowEngineParked';
/** Added to those Parameters: which waiting task parked. */
const PARKED_STATE_PARAMETER = 'localWorkflowEngineState';

export interface TaskStateSpec {
  waitsForTaskToken: boolean;
  /** Set when the timeout is static; otherwise the handler reads it from TIMEOUT_PARAMETER. */
  timeoutSeconds?: number;
  /** The author's TimeoutSecondsPath, for error messages. */
  timeoutSecondsPath?: string;
}

/** What a parking state's output carries: the waiting task, its evaluated Parameters and its input. */
export interface ParkedTask {
  stateName: string;
  parameters: Record<string, unknown>;
  stateInput: unknown;
}

export function parkedTask(output: unknown): ParkedTask | undefined {
  if (!output || typeof output !== 'object' || !(PARKED_FIELD in output)) return undefined;
  const { [PARKED_FIELD]: parked, ...stateInput } = output as Record<string, unknown>;
  const { [PARKED_STATE_PARAMETER]: stateName, ...parameters } = parked as Record<string, unknown>;
  return { stateName: String(stateName), parameters, stateInput };
}

export function resumedStateName(stateName: string): string {
  return `${stateName} (woken)`;
}

export interface PreparedDefinition {
  definition: StateMachineDefinition;
  /** The Task states by name (the library keys its handlers by state name; ASL state names are unique across the whole machine). */
  taskStates: Map<string, TaskStateSpec>;
  executionTimeoutSeconds?: number;
  segments: { start: StateMachineDefinition; resumeAt: Map<string, StateMachineDefinition>; waitStates: Set<string> };
}

/** What a parked Wait state's parameters hold: how long it waits, or until when. */
export interface ParkedWait {
  seconds?: number;
  timestamp?: string;
}

/**
 * The definition with its placeholders filled (what AWS stores as the machine's definition), as compact
 * JSON text: a definition that differs only in layout is the same version.
 */
export function substituted(source: object | string, substitutions: Record<string, string>): string {
  let text = typeof source === 'string' ? source : JSON.stringify(source);
  for (const [name, value] of Object.entries(substitutions)) {
    // The placeholders stand inside JSON strings: insert the value JSON-escaped.
    text = text.replaceAll(`\${${name}}`, JSON.stringify(value).slice(1, -1));
  }
  const unresolved = text.match(/\$\{[A-Za-z0-9_]+\}/g);
  if (unresolved) {
    throw new Error(`State machine definition has placeholders without substitutions: ${[...new Set(unresolved)].join(', ')}`);
  }
  return JSON.stringify(JSON.parse(text));
}

/**
 * Substitutes placeholders, parses, checks that every Task is supported, adapts the Task timeouts to
 * the library and builds the segment machines (README.md, parking).
 */
export function prepareDefinition(source: object | string, substitutions: Record<string, string>): PreparedDefinition {
  const definition = JSON.parse(substituted(source, substitutions)) as StateMachineDefinition & Record<string, unknown>;
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
 * The start machine: the definition with every top-level waiting task and Wait state replaced by a parking Pass
 * state (the task's InputPath and Parameters, or the Wait's InputPath and how long it waits; its name added; the
 * result at PARKED_FIELD; End). Per parked state, a resume machine: the start machine plus a copy of the state as
 * written, named by resumedStateName, as its StartAt (a Wait's copy is run with no wait: its timer has fired). The
 * engine keeps the execution's TimeoutSeconds itself.
 */
export function segmentsOf(definition: StateMachineDefinition): PreparedDefinition['segments'] {
  type Json = Record<string, unknown>;
  const { TimeoutSeconds: _kept, ...machine } = definition as unknown as { States: Record<string, Json>; TimeoutSeconds?: number };
  const states = machine.States;
  const parked = Object.entries(states).filter(
    ([, state]) => (state.Type === 'Task' && state.Resource === LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN) || state.Type === 'Wait',
  );
  const parkingStates = { ...states };
  for (const [stateName, state] of parked) {
    parkingStates[stateName] = {
      Type: 'Pass',
      ...(state.InputPath !== undefined && { InputPath: state.InputPath }),
      Parameters: {
        ...(state.Type === 'Wait' ? waitParameters(state) : (state.Parameters as object | undefined)),
        [PARKED_STATE_PARAMETER]: stateName,
      },
      ResultPath: `$.${PARKED_FIELD}`,
      End: true,
    };
  }
  const start = { ...machine, States: parkingStates } as unknown as StateMachineDefinition;
  const resumeAt = new Map(
    parked.map(([stateName, state]) => [
      stateName,
      {
        ...machine,
        StartAt: resumedStateName(stateName),
        States: { ...parkingStates, [resumedStateName(stateName)]: state },
      } as unknown as StateMachineDefinition,
    ]),
  );
  const waitStates = new Set(parked.filter(([, state]) => state.Type === 'Wait').map(([stateName]) => stateName));
  return { start, resumeAt, waitStates };
}

/** A Wait state's length as Pass parameters: evaluated on its input as the Wait would (ParkedWait). */
function waitParameters(state: Record<string, unknown>): Record<string, unknown> {
  if (state.Seconds !== undefined) return { seconds: state.Seconds };
  if (state.SecondsPath !== undefined) return { 'seconds.$': state.SecondsPath };
  if (state.Timestamp !== undefined) return { timestamp: state.Timestamp };
  return { 'timestamp.$': state.TimestampPath };
}

/** When a parked Wait ends, in timer time (`nowMs`: the timer port's now), or undefined when its length is invalid. */
export function waitEndsAt(wait: ParkedWait, nowMs: number): number | undefined {
  if (wait.timestamp !== undefined) {
    const at = Date.parse(wait.timestamp);
    return Number.isNaN(at) ? undefined : at;
  }
  const { seconds } = wait;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0 ? nowMs + seconds * 1000 : undefined;
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
export function resolveTimeoutSeconds(spec: TaskStateSpec, parameters: Record<string, unknown>): number | undefined {
  if (spec.timeoutSeconds !== undefined) return spec.timeoutSeconds;
  const requested = parameters[TIMEOUT_PARAMETER];
  if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1) return undefined;
  const timeoutSeconds = Math.min(requested, MAX_TIMER_SECONDS);
  // The library reads the timeout from this very object right after the handler returns.
  parameters[TIMEOUT_PARAMETER] = timeoutSeconds;
  return timeoutSeconds;
}
