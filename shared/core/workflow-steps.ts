/**
 * The steps the lifecycle state machine calls (workflows/event-lifecycle.asl.json). The database holds
 * the case; each step reads it, decides, writes one change and tells the state machine what comes next
 * and how long to wait. The ASL holds no policy.
 */
import { toLocalIso } from '../domain/calendar';
import { acceptanceDeadline, handlingDeadline, startingTier } from '../domain/policy';
import { assigneeFor } from '../domain/routing';
import type { GridEvent } from '../domain/types';
import type { StoredEvent } from '../ports';
import { buildChange, departmentCounterCode, SYSTEM_ACTOR } from './changes';
import type { CoreDependencies } from './dependencies';
import { acceptanceRequestMessages, assignmentMessages, overdueMessages, reporterMessage } from './lifecycle-messages';
import { sendMessages, type MessageRequest } from './notify';
import { updateEvent } from './update-event';

export const NEXT_STEPS = ['await_acceptance', 'route', 'handle', 'feedback', 'archive', 'done'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

/** What the state machine does next; `timeoutSeconds` (wall-clock) bounds the next wait and is always ≥ 1. */
export interface Decision {
  next: NextStep;
  timeoutSeconds: number;
}

export type WaitingFor = 'acceptance' | 'handling';

export type StepInput =
  | { step: 'register' | 'route' | 'advance' | 'feedback' | 'archive'; eventId: string }
  | { step: 'await'; eventId: string; waitingFor: WaitingFor; taskToken: string };

export async function runWorkflowStep(deps: CoreDependencies, input: StepInput): Promise<Decision | Record<string, never>> {
  switch (input.step) {
    case 'register':
      return register(deps, input.eventId);
    case 'route':
      return route(deps, input.eventId);
    case 'advance':
      return advance(deps, input.eventId);
    case 'await':
      await awaitEvent(deps, input.eventId, input.waitingFor, input.taskToken);
      return {};
    case 'feedback':
      return feedBack(deps, input.eventId);
    case 'archive':
      return archive(deps, input.eventId);
  }
}

/** 登记: a resident's report first goes to the grid's worker for acceptance; everything else is routed. */
async function register(deps: CoreDependencies, eventId: string): Promise<Decision> {
  const now = deps.clock.now();
  const { change } = await updateEvent(deps, eventId, ({ event }) => {
    if (event.stage !== 'registered' || !event.needsAcceptance || event.acceptedAt || event.deadlineAt) return undefined;
    const deadlineAt = toLocalIso(acceptanceDeadline(deps.policy, deps.calendar, event.severity, now));
    return buildChange(event, { ...event, deadlineAt }, { type: 'awaiting_acceptance', actor: SYSTEM_ACTOR, at: now, data: { deadlineAt } });
  });
  if (change) await sendMessages(deps, change.event, acceptanceRequestMessages(deps, change.event));
  return advance(deps, eventId);
}

/** 分流: the core picks the tier, the handler and the deadline. */
async function route(deps: CoreDependencies, eventId: string): Promise<Decision> {
  const now = deps.clock.now();
  const { change } = await updateEvent(deps, eventId, ({ event }) => {
    if (!readyToRoute(event)) return undefined;
    const item = deps.catalog.item(event.itemCode);
    if (!item) throw new Error(`Event ${eventId} has item ${event.itemCode}, which the catalog no longer has`);
    const tier = startingTier(deps.policy, event.severity);
    const assignee = assigneeFor(deps.directory, tier, event.gridCode, item);
    const deadlineAt = toLocalIso(handlingDeadline(deps.policy, deps.calendar, tier, event.severity, item, now));
    const involvedDepartments =
      assignee.type === 'department' ? [...new Set([...event.involvedDepartments, departmentCounterCode(assignee.unit, assignee.id)])] : event.involvedDepartments;
    const after: GridEvent = { ...event, stage: 'routed', tier, assignee, deadlineAt, routedAt: toLocalIso(now), overdueNudges: 0, involvedDepartments };
    return buildChange(event, after, { type: 'routed', actor: SYSTEM_ACTOR, at: now, data: { tier, assignee, deadlineAt }, count: ['routed'] });
  });
  if (change) await sendMessages(deps, change.event, assignmentMessages(deps, change.event));
  return advance(deps, eventId);
}

function readyToRoute(event: GridEvent): boolean {
  return event.stage === 'registered' && (!event.needsAcceptance || Boolean(event.acceptedAt));
}

/**
 * 推进: after an action or a timeout (or on resume after a restart), read the case and decide. A passed
 * deadline marks the case overdue and sends 督办 to the handler's head, again at each further limit up
 * to the policy's bound.
 */
async function advance(deps: CoreDependencies, eventId: string): Promise<Decision> {
  const now = deps.clock.now();
  let messages: MessageRequest[] = [];
  const { before, change } = await updateEvent(deps, eventId, ({ event }) => {
    messages = [];
    const checkAt = nextCheckAt(deps, event);
    if (!checkAt || now < checkAt || !isWaitingOnDeadline(event)) return undefined;
    // The first miss of this step's deadline counts (against the unit and the handling department).
    const first = event.overdueNudges === 0;
    const after: GridEvent = { ...event, overdue: true, overdueNudges: event.overdueNudges + 1 };
    messages = overdueMessages(deps, after);
    return buildChange(event, after, {
      type: first ? 'overdue' : 'overdue_nudge',
      actor: SYSTEM_ACTOR,
      at: now,
      data: { deadlineAt: event.deadlineAt, nudge: after.overdueNudges },
      count: first ? ['overdue'] : [],
    });
  });
  const event = change?.event ?? before.event;
  if (messages.length > 0) await sendMessages(deps, event, messages);
  return decide(deps, event, now);
}

function isWaitingOnDeadline(event: GridEvent): boolean {
  return (event.stage === 'registered' && event.needsAcceptance && !event.acceptedAt) || event.stage === 'routed' || event.stage === 'handling';
}

/**
 * When the clock of the current step next needs attention: the deadline, then each further limit after
 * it while nudges remain; undefined when nudges are used up.
 */
function nextCheckAt(deps: CoreDependencies, event: GridEvent): Date | undefined {
  if (!event.deadlineAt) return undefined;
  const deadline = Date.parse(event.deadlineAt);
  if (event.overdueNudges >= deps.policy.maxOverdueNudges) return undefined;
  const startedAt = Date.parse(event.routedAt ?? event.createdAt);
  const limitMs = Math.max(deadline - startedAt, 60_000);
  return new Date(deadline + event.overdueNudges * limitMs);
}

function decide(deps: CoreDependencies, event: GridEvent, now: Date): Decision {
  const waitUntil = (next: NextStep, at: Date | undefined): Decision => ({ next, timeoutSeconds: wallSecondsUntil(deps, at, now) });
  switch (event.stage) {
    case 'registered':
      if (event.needsAcceptance && !event.acceptedAt) return waitUntil('await_acceptance', nextCheckAt(deps, event));
      return waitUntil('route', undefined);
    case 'routed':
    case 'handling':
    case 'verifying':
      return waitUntil('handle', nextCheckAt(deps, event));
    case 'feedback':
      return waitUntil(event.fedBackAt ? 'archive' : 'feedback', undefined);
    case 'archived':
    case 'voided':
      return waitUntil('done', undefined);
  }
}

/** Policy time until `at`, as wall-clock seconds for the state machine's timer (time scale applied, capped). */
function wallSecondsUntil(deps: CoreDependencies, at: Date | undefined, now: Date): number {
  const cap = deps.policy.maxWaitSeconds;
  if (!at) return cap;
  const seconds = Math.ceil((at.getTime() - now.getTime()) / 1000 / deps.clock.scale);
  return Math.min(Math.max(seconds, 1), cap);
}

/**
 * The wait task's dispatch: store the task token on the case so an action can wake it — unless the case
 * already moved on, in which case wake it at once (the action came before the token was stored).
 */
async function awaitEvent(deps: CoreDependencies, eventId: string, waitingFor: WaitingFor, token: string): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const stored = await deps.store.get(eventId);
    if (!stored || !stillWaiting(stored, waitingFor)) {
      await deps.workflow.sendTaskSuccess(token, { movedOn: stored?.event.stage ?? 'missing' });
      return;
    }
    const saved = await deps.store.saveWaitingTask(eventId, stored.event.version, { token, waitingFor, since: toLocalIso(deps.clock.now()) });
    if (saved) return;
  }
  throw new Error(`Event ${eventId} kept changing while its workflow tried to wait on it`);
}

function stillWaiting({ event }: StoredEvent, waitingFor: WaitingFor): boolean {
  if (waitingFor === 'acceptance') return event.stage === 'registered' && event.needsAcceptance && !event.acceptedAt;
  return event.stage === 'routed' || event.stage === 'handling' || event.stage === 'verifying';
}

/** 反馈: tell the reporter the result. */
async function feedBack(deps: CoreDependencies, eventId: string): Promise<Decision> {
  const now = deps.clock.now();
  const { change } = await updateEvent(deps, eventId, ({ event }) => {
    if (event.stage !== 'feedback' || event.fedBackAt) return undefined;
    const hasPhone = Boolean(event.reporter?.phone);
    return buildChange(event, { ...event, fedBackAt: toLocalIso(now) }, {
      type: 'fed_back',
      actor: SYSTEM_ACTOR,
      at: now,
      note: hasPhone ? 'SMS sent to the reporter' : 'No phone on file: the result is recorded here only',
      count: ['fedBack'],
    });
  });
  if (change) {
    const message = reporterMessage(deps, change.event, 'feedback_to_reporter', change.event.handlingNote ?? '已处理');
    if (message) await sendMessages(deps, change.event, [message]);
  }
  return { next: 'archive', timeoutSeconds: deps.policy.maxWaitSeconds };
}

/** 归档: close the case. */
async function archive(deps: CoreDependencies, eventId: string): Promise<Decision> {
  const now = deps.clock.now();
  await updateEvent(deps, eventId, ({ event }) => {
    if (event.stage !== 'feedback') return undefined;
    const after: GridEvent = { ...event, stage: 'archived', status: 'closed', closedAt: toLocalIso(now) };
    return buildChange(event, after, {
      type: 'archived',
      actor: SYSTEM_ACTOR,
      at: now,
      count: event.handledOnTime ? ['closed', 'closedOnTime'] : ['closed'],
      waitingTask: null,
    });
  });
  return { next: 'done', timeoutSeconds: deps.policy.maxWaitSeconds };
}
