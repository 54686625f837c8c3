/**
 * The lifecycle contract: what the state machine (workflows/event-lifecycle.asl.json), the
 * workflow-step function, the core (shared/core/decide.ts, workflow-steps.ts) and the workflow
 * adapters (Step Functions, local engine) agree on. The ASL test checks the definition against it.
 */

/** The core's decisions: each is a branch of the state machine's "What next?" choice. */
export const NEXT_STEPS = [
  'await_acceptance',
  'route',
  'await_dispatch',
  'handle',
  'await_meeting',
  'verify',
  'feedback',
  'await_rating',
  'archive',
  'continue',
  'done',
] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

/** What a waiting task of the state machine waits for. */
export const WAITS = ['acceptance', 'dispatch', 'handling', 'meeting', 'verification', 'rating'] as const;
export type WaitingFor = (typeof WAITS)[number];

/** The decision that leads to each wait. */
export const WAIT_STEP: Record<WaitingFor, NextStep> = {
  acceptance: 'await_acceptance',
  dispatch: 'await_dispatch',
  handling: 'handle',
  meeting: 'await_meeting',
  verification: 'verify',
  rating: 'await_rating',
};

/**
 * The state machine's next step. `timeoutSeconds` (wall-clock, ≥ 1) bounds the next wait; `loops`
 * counts the execution's rounds so it can hand over to a new execution long before Step Functions'
 * history limit.
 */
export interface Decision {
  next: NextStep;
  timeoutSeconds: number;
  loops: number;
  /** The case's version this was decided on (0: unknown): a wait stores its token on that version without reading the case again. */
  version: number;
}

/** The steps a Task of the state machine calls that answer with a decision. */
export const DECIDING_STEPS = ['register', 'route', 'advance', 'feedback', 'archive', 'continue'] as const;
export type DecidingStep = (typeof DECIDING_STEPS)[number];

/** What the workflow-step function is called with: a deciding step, or a wait handing over its task token. */
export type StepInput =
  | { step: DecidingStep; eventId: string; loops: number; execution?: string }
  | { step: 'await'; eventId: string; waitingFor: WaitingFor; taskToken: string; loops: number; version?: number };

/** The generation an execution's name says: `<id>` is 1, `<id>-<n>` is n. */
export function generationOf(eventId: string, name: string): number {
  const suffix = name.startsWith(`${eventId}-`) ? Number(name.slice(eventId.length + 1)) : 1;
  return Number.isInteger(suffix) && suffix > 1 ? suffix : 1;
}

/** `E20261126-7K3M9Q` for a case's first execution, `E20261126-7K3M9Q-2` when a long case continues in a second. */
export function executionName(eventId: string, generation = 1): string {
  return generation > 1 ? `${eventId}-${generation}` : eventId;
}

/** How many times one execution recovers from a step that failed past its retries before it fails (the ASL's "Recover again?"). */
export const MAX_RECOVERIES = 5;

/**
 * What an execution starts with (the same in the cloud and locally): the state machine starts at Register with
 * no rounds counted and no recovery yet; `recovery.waitSeconds` is the wall-clock wait before a recovery's
 * fresh check of the case (the policy's `recoveryWaitSeconds`, time scale applied). The same case and
 * settings give the same input: starting a running execution again is idempotent.
 */
export function executionInput(eventId: string, recoveryWaitSeconds = 300) {
  return {
    eventId,
    decision: { next: 'register', timeoutSeconds: 1, loops: 0, version: 0 },
    recovery: { count: 0, waitSeconds: recoveryWaitSeconds },
  };
}
