/**
 * What the lifecycle state machine does next for a case, and how long it may wait: read from the case
 * alone, so the workflow steps, the actions (which wake a waiting task with the decision) and a resumed
 * execution all decide alike.
 */
import { clockStatus, type ClockContext } from '../domain/ladder';
import { WAIT_STEP, type Decision, type NextStep, type WaitingFor } from '../domain/lifecycle';
import type { Case } from '../domain/types';
import type { CoreDependencies } from './dependencies';

/** What a decision is computed from: the calendar and policy, and the clock for now. */
export type DecisionData = Pick<CoreDependencies, 'calendar' | 'clock' | 'policy'>;

/** What the case waits for now, if it waits at all. */
export function waitingFor(theCase: Case): WaitingFor | undefined {
  switch (theCase.stage) {
    case 'registered':
      return theCase.needsAcceptance && !theCase.acceptedAt ? 'acceptance' : undefined;
    case 'routed':
    case 'handling':
      if (theCase.clock?.kind === 'dispatch') return 'dispatch';
      if (theCase.clock?.kind === 'convene' || theCase.clock?.kind === 'meeting') return 'meeting';
      return 'handling';
    case 'verifying':
      return 'verification';
    case 'feedback':
      return theCase.fedBackAt && theCase.clock?.kind === 'rating' && !theCase.rating ? 'rating' : undefined;
    default:
      return undefined;
  }
}

export function clockContext(deps: DecisionData, theCase: Case): ClockContext {
  const clock = theCase.clock;
  return {
    tier: theCase.tier,
    acknowledged: Boolean(theCase.acknowledgedAt),
    acknowledgeBy:
      clock?.kind === 'handling' ? deps.calendar.add(new Date(clock.startedAt), deps.policy.acknowledgeLimit[theCase.severity]) : undefined,
    reminderFractions: deps.policy.reminderFractions,
    maxNudges: deps.policy.maxOverdueNudges,
  };
}

export function decide(deps: DecisionData, theCase: Case, loops: number): Decision {
  const now = deps.clock.now();
  const go = (next: NextStep, until?: Date): Decision => ({
    next,
    timeoutSeconds: wallSecondsUntil(deps, until, now),
    loops: loops + 1,
    version: theCase.version,
  });
  const waiting = waitingFor(theCase);
  if (waiting) {
    // Rounds and an execution's age are bounded: past either bound, a fresh execution takes over the waiting case.
    if (loops >= deps.policy.maxWorkflowLoops || executionDays(theCase, now) >= deps.policy.maxExecutionDays) return go('continue');
    if (waiting === 'rating' && theCase.clock && now >= new Date(theCase.clock.deadlineAt)) return go('archive');
    // Something still due (two checkpoints fell together): check again at once.
    // The reminders are the sweeper's (remindersDueAt): the execution waits for the deadline or an action.
    const status = theCase.clock ? clockStatus(theCase.clock, clockContext(deps, theCase), now, 'lifecycle') : undefined;
    return go(WAIT_STEP[waiting], status?.due ? now : status?.nextAt);
  }
  switch (theCase.stage) {
    case 'registered':
      return go('route');
    case 'feedback':
      return go(theCase.fedBackAt ? 'archive' : 'feedback');
    default:
      return go('done');
  }
}

/** Policy days since the case's current execution took it over (Step Functions Standard stops an execution after a year). */
function executionDays(theCase: Case, now: Date): number {
  return (now.getTime() - Date.parse(theCase.workflowSince ?? theCase.createdAt)) / 86_400_000;
}

/** Policy time until `at`, as wall-clock seconds for the state machine's timer (time scale applied, capped). */
function wallSecondsUntil(deps: DecisionData, at: Date | undefined, now: Date): number {
  const cap = deps.policy.maxWaitSeconds;
  if (!at) return cap;
  const seconds = Math.ceil((at.getTime() - now.getTime()) / 1000 / deps.clock.scale);
  return Math.min(Math.max(seconds, 1), cap);
}
