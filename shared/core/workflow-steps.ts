/**
 * The steps the lifecycle state machine calls (workflows/event-lifecycle.asl.json). The database holds
 * the case; each step reads it, decides, writes one change and tells the state machine what comes next
 * and how long to wait. The ASL holds no policy.
 */
import { randomInt } from 'node:crypto';
import { toLocalIso } from '../domain/calendar';
import { clockStatus, deadlineMovesCase, type Checkpoint } from '../domain/ladder';
import { startingTier } from '../domain/policy';
import { assigneeFor } from '../domain/routing';
import { executionName, generationOf, type Decision, type StepInput, type WaitingFor } from '../domain/lifecycle';
import type { Case, CaseClock } from '../domain/types';
import { reminderMove } from './case-reminders';
import { buildChange, SYSTEM_ACTOR } from './changes';
import { changeOf, escalate, firstRoute, itemOf, startClock, toThroughTrain, withClock, type Move, assignTo } from './case-moves';
import { clockContext, type DecisionData, decide, waitingFor } from './decide';
import type { CoreDependencies, ReferenceData } from './dependencies';
import type { NotifyDeps } from './lifecycle-messages';
import { sendMoveReminders, withMoveMessages } from './send-move';
import { updateCase } from './update-case';

/** A step that moves the case: reads it, computes the move from the reference data, stores it with its SMS, decides. */
type MovingDeps = ReferenceData & DecisionData & Pick<CoreDependencies, 'cases'>;
/** A step whose move may be due a reminder, sent (or folded into a digest) once the change is stored. */
type RemindingDeps = MovingDeps & NotifyDeps;
/** A step that deals with the execution itself: wakes or parks its wait task, starts the next generation. */
type ExecutionDeps = DecisionData & Pick<CoreDependencies, 'cases' | 'workflow' | 'logger'>;
/** Everything the lifecycle's steps touch, and nothing else (no reports, counters, guards or field work). */
export type WorkflowStepDeps = RemindingDeps & ExecutionDeps;

export async function runWorkflowStep(deps: WorkflowStepDeps, input: StepInput): Promise<Decision | Record<string, never>> {
  switch (input.step) {
    case 'register':
      return register(deps, input.eventId, input.loops);
    case 'route':
      return route(deps, input.eventId, input.loops);
    case 'advance':
      return advance(deps, input.eventId, input.loops);
    case 'await':
      await awaitEvent(deps, input.eventId, input.waitingFor, input.taskToken, input.loops, input.version);
      return {};
    case 'feedback':
      return feedBack(deps, input.eventId, input.loops);
    case 'archive':
      return archive(deps, input.eventId, input.loops, input.execution);
    case 'continue':
      return continueInNewExecution(deps, input.eventId, input.loops, input.execution);
  }
}

/**
 * 登记: a resident's report first goes to the grid's worker for acceptance (on its clock). Any other
 * report is routed when it is stored (report-case.ts); one stored as registered only is routed here
 * (分流, as the route step does). A case already past registration (the usual case, or a resumed
 * lifecycle) is checked against its clock, as the advance step does, in the same read.
 */
async function register(deps: RemindingDeps, eventId: string, loops: number): Promise<Decision> {
  const now = deps.clock.now();
  let move: Move | undefined;
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    move = undefined;
    if (theCase.stage !== 'registered' || theCase.clock) return checkpointChange(deps, theCase, now, (due) => (move = due));
    if (theCase.needsAcceptance && !theCase.acceptedAt) {
      const after = withClock(theCase, startClock(deps, theCase, 'acceptance', theCase.tier, now));
      move = { after, type: 'awaiting_acceptance', data: { deadlineAt: after.deadlineAt }, sms: [{ trigger: 'report_to_accept' }] };
    } else {
      move = firstRoute(deps, theCase, startingTier(deps.policy, theCase.severity), now);
    }
    return withMoveMessages(deps, changeOf(theCase, move, now), move, theCase);
  });
  // Reminders fold per phone (reminders.ts): sent, or folded into a digest, once the change is stored.
  if (change && move) await sendMoveReminders(deps, move, change.case);
  return decide(deps, change?.case ?? before.case, loops);
}

/** 分流: the core picks the tier, the handler and the deadline (level 1 boards the through train). */
async function route(deps: MovingDeps, eventId: string, loops: number): Promise<Decision> {
  const now = deps.clock.now();
  let move: Move | undefined;
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    if (theCase.stage !== 'registered' || (theCase.needsAcceptance && !theCase.acceptedAt)) return undefined;
    move = firstRoute(deps, theCase, startingTier(deps.policy, theCase.severity), now);
    return withMoveMessages(deps, changeOf(theCase, move, now), move, theCase);
  });
  return decide(deps, change?.case ?? before.case, loops);
}

/**
 * 推进: after a timeout (or on resume), read the case and act on what its clock says is due: a
 * reminder, a second notice to sign for it, the deadline (督办 and up the ladder), a further nudge.
 * Also after a decision the state machine's definition does not know (made by newer code: "Unknown
 * step: wait"): nothing is due early, so it only decides again, in the steps this version knows.
 */
async function advance(deps: RemindingDeps, eventId: string, loops: number): Promise<Decision> {
  const now = deps.clock.now();
  let move: Move | undefined;
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    move = undefined;
    return checkpointChange(deps, theCase, now, (due) => (move = due));
  });
  // Reminders fold per phone (reminders.ts): sent, or folded into a digest, once the change is stored.
  if (change && move) await sendMoveReminders(deps, move, change.case);
  return decide(deps, change?.case ?? before.case, loops);
}

/** The change a due checkpoint of the case's running clock makes, if one is due (its move handed to `moved`). */
function checkpointChange(deps: RemindingDeps, theCase: Case, now: Date, moved: (move: Move) => void) {
  if (!theCase.clock || !waitingFor(theCase)) return undefined;
  const { due } = clockStatus(theCase.clock, clockContext(deps, theCase), now, 'lifecycle');
  if (!due) return undefined;
  const move = checkpointMove(deps, theCase, theCase.clock, due, now);
  if (!move) return undefined;
  moved(move);
  return withMoveMessages(deps, changeOf(theCase, move, now), move, theCase);
}

/** What a due checkpoint of the case's running clock (`clock`, the case's own) does to the case. */
function checkpointMove(deps: ReferenceData, theCase: Case, clock: CaseClock, due: Checkpoint, now: Date): Move | undefined {
  switch (due.type) {
    case 'reminder':
    case 'acknowledge_reminder':
      // The sweeper's (case-reminders.ts); here only if a clock's checkpoints are ever all the execution's.
      return reminderMove(deps, theCase, clock, due);
    case 'nudge': {
      const after = { ...theCase, clock: { ...clock, nudges: clock.nudges + 1 } };
      return {
        after,
        type: 'overdue_nudge',
        data: { nudge: clock.nudges + 1, deadlineAt: clock.deadlineAt },
        sms: [{ trigger: nudgeTrigger(theCase) }],
      };
    }
    case 'deadline':
      return deadlineMove(deps, theCase, clock, now);
  }
}

/**
 * Who hears of a passed deadline: the grid chief for an unaccepted report; the district's leaders and
 * center for the district center's own clocks (verification, a meeting's decision) and for the through
 * train; otherwise the head of the late handler.
 */
function nudgeTrigger(theCase: Case) {
  if (theCase.clock?.kind === 'acceptance') return 'acceptance_overdue' as const;
  if (theCase.clock?.kind === 'verification' || theCase.clock?.kind === 'meeting' || theCase.tier === 'through_train')
    return 'top_overdue' as const;
  return 'overdue' as const;
}

/** The late handler a missed deadline counts against: not the department when the district center's own clock ran out. */
function lateHandler(theCase: Case) {
  return theCase.clock?.kind === 'verification' || theCase.clock?.kind === 'meeting' || theCase.clock?.kind === 'acceptance'
    ? null
    : theCase.assignee;
}

/** A deadline passed: the case is marked and counted overdue, the head is told (督办), and the case moves on where the clock says so. */
function deadlineMove(deps: ReferenceData, theCase: Case, clock: CaseClock, now: Date): Move | undefined {
  const missed = { ...theCase, overdue: true, clock: { ...clock, expired: true } };
  const reason = `超过时限 ${clock.deadlineAt} missed the ${clock.kind} deadline`;
  const overdue: Move = {
    after: missed,
    type: 'overdue',
    note: reason,
    data: { clock: clock.kind, deadlineAt: clock.deadlineAt },
    count: ['overdue'],
    countAgainst: lateHandler(theCase),
    sms: [{ trigger: nudgeTrigger(theCase) }],
  };
  if (!deadlineMovesCase(clock.kind, theCase.tier)) return overdue;
  switch (clock.kind) {
    case 'rating':
      return undefined;
    case 'dispatch': {
      // The center did not dispatch in time: the case goes to the catalog's department, and the center's head hears of it.
      const tier = theCase.tier === 'district' ? 'district' : 'town';
      const moved = assignTo(deps, missed, tier, assigneeFor(deps.directory, tier, theCase.gridCode, itemOf(deps, theCase)), now, {
        type: 'auto_dispatched',
        reason,
      });
      return withOverdue(moved, overdue);
    }
    case 'convene': {
      const moved = toThroughTrain(deps, missed, now, {
        type: 'escalated',
        reason: `未按时召开联席会议 the joint meeting was not convened in time`,
      });
      return withOverdue(moved, overdue);
    }
    default: {
      const moved = escalate(deps, missed, now, { type: 'escalated', reason });
      return moved ? withOverdue(moved, overdue) : overdue;
    }
  }
}

/** A move caused by a missed deadline: the overdue mark and the 督办 to the late handler's head come with it. */
function withOverdue(moved: Move, overdue: Move): Move {
  return {
    ...moved,
    after: { ...moved.after, overdue: true },
    type: moved.type,
    note: overdue.note,
    count: [...(overdue.count ?? []), ...(moved.count ?? [])],
    countAgainst: overdue.countAgainst,
    data: { ...moved.data, missed: overdue.data },
    sms: [...overdue.sms.map((sms) => ({ ...sms, before: true })), ...moved.sms],
  };
}

/**
 * The wait task's dispatch: store the task token on the case so an action can wake it — unless the case
 * no longer waits for this, in which case wake it at once with the decision (the action came first).
 * The decision's version saves the read: unchanged since, the case still waits for this.
 */
async function awaitEvent(
  deps: ExecutionDeps,
  eventId: string,
  waiting: WaitingFor,
  token: string,
  loops: number,
  decidedOn = 0,
): Promise<void> {
  const task = () => ({ token, waitingFor: waiting, since: toLocalIso(deps.clock.now()), loops });
  if (decidedOn > 0 && (await deps.cases.saveWaitingTask(eventId, decidedOn, task()))) return;
  for (let attempt = 0; attempt < 8; attempt++) {
    const stored = await deps.cases.get(eventId);
    if (!stored || waitingFor(stored.case) !== waiting) {
      const decision = stored
        ? decide(deps, stored.case, loops)
        : { next: 'done' as const, timeoutSeconds: 1, loops: loops + 1, version: 0 };
      await deps.workflow.sendTaskSuccess(token, { ...decision });
      return;
    }
    if (await deps.cases.saveWaitingTask(eventId, stored.case.version, task())) return;
  }
  throw new Error(`Event ${eventId} kept changing while its workflow tried to wait on it`);
}

/** 反馈: tell the reporters the result, with a code to rate it; then the rating window runs. */
async function feedBack(deps: MovingDeps, eventId: string, loops: number): Promise<Decision> {
  const now = deps.clock.now();
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    if (theCase.stage !== 'feedback' || theCase.fedBackAt) return undefined;
    const hasPhone = Boolean(theCase.reporter?.phone || theCase.linkedReporters?.some((reporter) => reporter.phone));
    const after: Case = {
      ...withClock(theCase, hasPhone ? startClock(deps, theCase, 'rating', theCase.tier, now) : undefined),
      fedBackAt: toLocalIso(now),
      ratingCode: hasPhone ? String(randomInt(100000, 1000000)) : undefined,
    };
    const change = buildChange(theCase, after, {
      type: 'fed_back',
      actor: SYSTEM_ACTOR,
      at: now,
      note: hasPhone ? 'SMS sent to the reporter(s), who may rate the result' : 'No phone on file: the result is recorded here only',
      count: ['fedBack'],
    });
    const result = { result: after.handlingNote ?? '已处理', ratingCode: after.ratingCode ?? '' };
    return withMoveMessages(deps, change, { sms: [{ trigger: 'feedback', extras: { params: result } }] });
  });
  return decide(deps, change?.case ?? before.case, loops);
}

/** 归档: close the case. */
async function archive(deps: ExecutionDeps, eventId: string, loops: number, execution?: string): Promise<Decision> {
  const now = deps.clock.now();
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    if (theCase.stage !== 'feedback') return undefined;
    const after: Case = {
      ...withClock(theCase, undefined),
      stage: 'archived',
      status: 'closed',
      closedAt: toLocalIso(now),
      ratingCode: undefined,
    };
    return buildChange(theCase, after, {
      type: 'archived',
      actor: SYSTEM_ACTOR,
      at: now,
      // Closed on time: handled within the last deadline and never overdue on the way.
      count: theCase.handledOnTime && !theCase.overdue ? ['closed', 'closedOnTime'] : ['closed'],
      waitingTask: null,
    });
  });
  const theCase = change?.case ?? before.case;
  // A poor rating reopened the case just before this step: it goes on in a new execution.
  if (theCase.status === 'open') return continueInNewExecution(deps, eventId, loops, execution);
  return decide(deps, theCase, loops);
}

/**
 * The execution has looped its bound (or reached its age): a new execution of the lifecycle takes the case
 * over. Idempotent: the next generation follows from this execution's own name, so a retried step, or one
 * run again after a recovery, records it once and starts the same execution (same name and input: Step
 * Functions answers with the running one).
 */
async function continueInNewExecution(deps: ExecutionDeps, eventId: string, loops: number, execution?: string): Promise<Decision> {
  const now = deps.clock.now();
  let next = 0;
  const { before, change } = await updateCase(deps, eventId, ({ case: theCase }) => {
    const stored = theCase.workflowGeneration ?? 1;
    next = execution ? generationOf(eventId, execution) + 1 : stored + 1;
    if (stored >= next) return undefined;
    return buildChange(
      theCase,
      { ...theCase, workflowGeneration: next, workflowSince: toLocalIso(now) },
      { type: 'workflow_continued', actor: SYSTEM_ACTOR, at: now, data: { generation: next, loops }, waitingTask: null },
    );
  });
  const theCase = change?.case ?? before.case;
  // A later generation already has the case (the sweeper restarted it): this execution just ends.
  if ((theCase.workflowGeneration ?? 1) === next) {
    const outcome = await deps.workflow.start(eventId, next);
    if (outcome === 'exists')
      deps.logger.warn('The next execution was not started: its name is taken by another execution', {
        eventId,
        execution: executionName(eventId, next),
      });
  }
  return { next: 'done', timeoutSeconds: 1, loops, version: 0 };
}
