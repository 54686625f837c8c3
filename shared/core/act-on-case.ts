/**
 * POST /events/{id}/actions: one action on a case, checked against the who-may-do-what table, written
 * as one transaction; then the SMS it calls for, and the case's waiting workflow task is woken with
 * the next decision when the action changed what the case waits for.
 */
import { actorOf, type Caller } from '../domain/caller';
import { toLocalIso } from '../domain/calendar';
import { conflict, notFound, unprocessable } from '../domain/errors';
import { mayDo } from '../domain/operations';
import { isVerifiedOnSite } from '../domain/ladder';
import { ACTION_RULES, authorizeAction, canSeeCase } from '../domain/permissions';
import { assigneeFor, centerUnitCode } from '../domain/routing';
import type { Actor, Assignee, CaseClock, Case } from '../domain/types';
import type { CaseChange, StoredCase } from '../ports/cases';
import type { ActionInput, RatingInput } from '../schemas/events';
import { buildChange } from './changes';
import { enforceHourlyLimit } from './request-guards';
import {
  assignTo,
  escalate,
  holdForDispatch,
  itemOf,
  reminderTimes,
  startClock,
  toJointMeeting,
  toThroughTrain,
  withClock,
  type Move,
} from './case-moves';
import { decide } from './decide';
import type { CoreDependencies } from './dependencies';
import { sendMove } from './send-move';
import { updateCase } from './update-case';

export interface ActionOutcome extends Omit<Move, 'after'> {
  after: Case;
  photos?: string[];
  /** The action changes what the case's workflow waits for: wake the waiting task with the next decision. */
  wakes: boolean;
  /** A second case changed in the same transaction (the original a duplicate is linked to), read afresh. */
  related?: (now: Date, actor: Actor) => Promise<CaseChange>;
}

export async function actOnCase(deps: CoreDependencies, caller: Caller, eventId: string, input: ActionInput): Promise<Case> {
  if (input.action === 'link_duplicate') await checkLinkTarget(deps, caller, eventId, input.duplicateOf);
  return applyAction(deps, eventId, actorOf(caller), (event, now) => {
    authorizeAction(input.action, caller, event);
    return outcomeOf(deps, caller, event, input, now);
  });
}

/** The reporter's own rating, with the code from the feedback SMS (POST /events/{id}/rating). */
export async function rateAsReporter(deps: CoreDependencies, eventId: string, input: RatingInput, clientId: string): Promise<Case> {
  await enforceHourlyLimit(
    deps,
    'ratingTriesPerHour',
    `rating#${clientId}`,
    () => 'Too many rating attempts from this client; please try again later',
  );
  const reporter: Actor = { id: 'reporter', name: '反映人 reporter', role: 'citizen' };
  return applyAction(deps, eventId, reporter, (event, now) => {
    // A wrong code reads as a missing case: the code is the reporter's only proof.
    if (!event.ratingCode || event.ratingCode !== input.code) throw notFound(`Event ${eventId} has no rating open for this code`);
    const refusal = ACTION_RULES.rate.refuse?.(event);
    if (refusal || event.stage !== 'feedback')
      throw conflict(`Cannot rate event ${eventId}: ${refusal ?? `it is ${event.stage}`}`, [{ field: 'code', message: 'no rating open' }]);
    return rated(deps, event, { score: input.score, note: input.note }, 'reporter', now);
  });
}

async function applyAction(
  deps: CoreDependencies,
  eventId: string,
  actor: Actor,
  outcome: (event: Case, now: Date) => ActionOutcome,
): Promise<Case> {
  const now = deps.clock.now();
  let applied: ActionOutcome | undefined;
  const { before, change } = await updateCase(deps, eventId, async ({ event }) => {
    applied = outcome(event, now);
    const { after, type, note, photos, data, count, countAgainst, wakes } = applied;
    // The waiting task's token is spent when the action wakes it.
    const main = buildChange(event, after, {
      type,
      actor,
      at: now,
      note,
      photos,
      data,
      count,
      countAgainst,
      ...(wakes ? { waitingTask: null } : {}),
    });
    return applied.related ? [main, await applied.related(now, actor)] : main;
  });
  const event = change!.event;
  if (applied?.wakes && before.waitingTask) {
    const decision = decide(deps, event, before.waitingTask.loops ?? 0);
    const woken = await deps.workflow.sendTaskSuccess(before.waitingTask.token, { ...decision });
    if (!woken) deps.logger.warn('The waiting task was gone; the workflow picks the change up at its next check', { eventId });
  }
  if (applied) await sendMove(deps, { ...applied, after: event }, before.event);
  return event;
}

function outcomeOf(deps: CoreDependencies, caller: Caller, event: Case, input: ActionInput, now: Date): ActionOutcome {
  const at = toLocalIso(now);
  const wakes = ACTION_RULES[input.action].wakes;
  const simple = (after: Case, type: string, extra: Partial<ActionOutcome> = {}) => ({
    after,
    type,
    note: 'note' in input ? input.note : undefined,
    sms: [],
    wakes,
    ...extra,
  });
  switch (input.action) {
    case 'accept_report':
      return simple({ ...withClock(event, undefined), acceptedAt: at }, 'accepted', { count: ['accepted'] });
    case 'void_report':
      return simple({ ...withClock(event, undefined), stage: 'voided', status: 'closed', closedAt: at, voidReason: input.note }, 'voided', {
        count: ['voided'],
        sms: [{ trigger: 'voided', extras: { params: { result: input.note } } }],
      });
    case 'acknowledge':
      return simple({ ...event, stage: 'handling', acknowledgedAt: at }, 'acknowledged', { count: ['acknowledged'] });
    case 'complete': {
      const onTime = !event.deadlineAt || now.getTime() <= Date.parse(event.deadlineAt);
      const handled: Case = { ...event, handledAt: at, handledOnTime: onTime, handlingNote: input.note, handlingPhotos: input.photos };
      const next = isVerifiedOnSite(event.tier)
        ? withClock({ ...handled, stage: 'verifying' }, startClock(deps, event, 'verification', event.tier, now))
        : withClock({ ...handled, stage: 'feedback' }, undefined);
      return simple(next, 'completed', {
        photos: input.photos,
        data: { onTime },
        count: onTime ? ['handled', 'handledOnTime'] : ['handled'],
      });
    }
    case 'assign':
      return { ...assignment(deps, caller, event, input, now), wakes };
    case 'return':
      return { ...returned(deps, event, input.note, now), wakes };
    case 'escalate': {
      const moved = escalateByHandler(deps, event, input.note, now);
      return { ...moved, after: { ...moved.after, complex: true }, wakes };
    }
    case 'request_extension': {
      const latest = latestExtension(deps, event.clock!);
      const until = Date.parse(input.until);
      if (until <= Date.parse(event.deadlineAt!))
        throw unprocessable('until must be after the current deadline', [{ field: 'until', message: `after ${event.deadlineAt}` }]);
      if (until > latest.getTime())
        throw unprocessable('An extension moves the deadline by at most the original limit', [
          { field: 'until', message: `at the latest ${toLocalIso(latest)}` },
        ]);
      const extension = {
        status: 'requested' as const,
        until: toLocalIso(new Date(until)),
        reason: input.note,
        requestedBy: actorOf(caller),
        requestedAt: at,
      };
      return simple({ ...event, extension }, 'extension_requested', {
        data: { until: extension.until },
        sms: [
          {
            trigger: 'extension_requested',
            extras: { params: { until: extension.until.slice(0, 16).replace('T', ' '), reason: input.note } },
          },
        ],
      });
    }
    case 'approve_extension': {
      const extension = { ...event.extension!, status: 'approved' as const, decidedAt: at };
      // The deadline moves once; the reminders not yet sent move with it.
      const remindAt = reminderTimes(deps, new Date(event.clock!.startedAt), new Date(extension.until), event.clock!.calendarTime);
      const clock = { ...event.clock!, deadlineAt: extension.until, expired: false, remindAt };
      return simple({ ...withClock(event, clock), extension }, 'extension_approved', {
        data: { deadlineAt: extension.until },
        count: ['extended'],
        sms: [{ trigger: 'extension_decided', extras: { params: { decision: '已批准', decisionEn: 'approved' } } }],
      });
    }
    case 'reject_extension': {
      const extension = { ...event.extension!, status: 'rejected' as const, decidedAt: at };
      return simple({ ...event, extension }, 'extension_rejected', {
        sms: [{ trigger: 'extension_decided', extras: { params: { decision: '未批准', decisionEn: 'rejected' } } }],
      });
    }
    case 'verify_pass':
      return simple({ ...withClock(event, undefined), stage: 'feedback', verifiedAt: at }, 'verified', {
        photos: input.photos,
        count: ['verifiedPassed'],
      });
    case 'verify_fail': {
      const failures = (event.verifyFailures ?? 0) + 1;
      const failed = { ...event, verifyFailures: failures };
      if (failures >= deps.policy.verifyFailuresToMeeting) {
        const moved = toJointMeeting(deps, failed, now, {
          type: 'verification_failed',
          reason: `第${failures}次核查不通过 verification failed ${failures} times: ${input.note}`,
          count: ['reworked'],
        });
        return { ...moved, photos: input.photos, wakes };
      }
      // 返工: back to the same handler, on a fresh clock at its tier.
      const rework = assignTo(deps, failed, event.tier, event.assignee!, now, {
        type: 'verification_failed',
        reason: `核查不通过，返工 rework: ${input.note}`,
        stage: 'handling',
        count: ['reworked'],
      });
      return { ...rework, after: { ...rework.after, acknowledgedAt: at }, photos: input.photos, wakes };
    }
    case 'convene_meeting': {
      for (const [index, code] of input.departments.entries()) {
        if (!deps.directory.department(code))
          throw unprocessable(`Department ${code} does not exist`, [{ field: `departments.${index}`, message: 'unknown department' }]);
      }
      const meetingAt = new Date(input.at);
      const meeting = { at: toLocalIso(meetingAt), departments: input.departments, convenedAt: at };
      const clock = startClock(deps, event, 'meeting', event.tier, now, deps.calendar.add(meetingAt, deps.policy.meetingDecisionLimit));
      return simple({ ...withClock(event, clock), meeting }, 'meeting_convened', {
        data: { meeting },
        sms: [
          {
            trigger: 'meeting_invitation',
            extras: { departments: input.departments, params: { meetingAt: meeting.at.slice(0, 16).replace('T', ' ') } },
          },
        ],
      });
    }
    case 'record_meeting_decision': {
      for (const [field, code] of [['lead', input.lead], ...input.helpers.map((code, index) => [`helpers.${index}`, code])]) {
        if (!deps.directory.department(code))
          throw unprocessable(`Department ${code} does not exist`, [{ field, message: 'unknown department' }]);
      }
      const deadline = new Date(input.deadlineAt);
      if (deadline <= now) throw unprocessable('deadlineAt must be in the future', [{ field: 'deadlineAt', message: 'in the past' }]);
      const decision = {
        lead: input.lead,
        helpers: input.helpers,
        deadlineAt: toLocalIso(deadline),
        minutes: input.minutes,
        recordedAt: at,
      };
      const lead = districtDepartment(deps, event, input.lead);
      const moved = assignTo(deps, { ...event, meeting: { ...event.meeting!, decision } }, 'joint_meeting', lead, now, {
        type: 'meeting_decided',
        reason: input.minutes,
        deadline,
      });
      return {
        ...moved,
        data: { ...moved.data, decision },
        sms: [...moved.sms, { trigger: 'meeting_helpers', extras: { departments: input.helpers, params: { lead: lead.name } } }],
        wakes,
      };
    }
    case 'through_train': {
      const moved = toThroughTrain(deps, event.stage === 'registered' ? { ...event, acceptedAt: event.acceptedAt ?? at } : event, now, {
        type: 'through_train',
        reason: input.note,
      });
      return { ...moved, after: { ...moved.after, stage: 'routed' }, wakes };
    }
    case 'nudge':
      return simple(event, 'nudged', { count: ['nudged'], sms: [{ trigger: 'nudge', extras: { params: { by: caller.name } } }] });
    case 'invite_department': {
      if (!deps.directory.department(input.department))
        throw unprocessable(`Department ${input.department} does not exist`, [{ field: 'department', message: 'unknown department' }]);
      return simple(event, 'department_invited', {
        data: { department: input.department },
        count: ['nudged'],
        sms: [{ trigger: 'invitation_to_act', extras: { departments: [input.department], params: { by: caller.name, note: input.note } } }],
      });
    }
    case 'evaluate':
      return simple(event, 'evaluated', { data: { score: input.score } });
    case 'rate':
      return { ...rated(deps, event, { score: input.score, note: input.note }, caller.sub, now), wakes };
    case 'comment':
      return simple(event, 'commented');
    case 'link_duplicate':
      return { ...duplicateOf(deps, caller, event, input.duplicateOf, input.note, now), wakes };
  }
}

function assignment(
  deps: CoreDependencies,
  caller: Caller,
  event: Case,
  input: Extract<ActionInput, { action: 'assign' }>,
  now: Date,
): Move {
  // Dispatching a case the center holds is not a reassignment; moving it from one handler to another is.
  const firstDispatch = event.clock?.kind === 'dispatch' || event.assignee?.type === 'unit';
  const reassignments = (event.reassignments ?? 0) + (firstDispatch ? 0 : 1);
  if (reassignments > deps.policy.maxReassignments) {
    throw conflict(`Event ${event.id} was reassigned ${deps.policy.maxReassignments} times; escalate it to a joint meeting instead`, [
      { field: 'action', message: 'too many reassignments' },
    ]);
  }
  // The center's own unit: its teams and people are the ones it may send the case to.
  const unit = centerUnitCode(event.gridCode, event.tier === 'district' ? 'district' : 'town');
  let assignee: Assignee;
  if (input.department) {
    const team = deps.directory.departmentTeam(input.department, unit);
    if (team.length === 0)
      throw unprocessable(`Department ${input.department} has no team at unit ${unit}`, [{ field: 'department', message: 'no team here' }]);
    assignee =
      event.tier === 'district'
        ? districtDepartment(deps, event, input.department)
        : assigneeFor(deps.directory, 'town', event.gridCode, { ...itemOf(deps, event), department: input.department });
  } else {
    const person = deps.directory.person(input.person!);
    if (!person?.unit.startsWith(unit) || !mayDo(person.role, 'be_assigned_by_name')) {
      throw unprocessable(`Person ${input.person} is not someone who handles cases in unit ${unit}`, [
        { field: 'person', message: 'unknown here' },
      ]);
    }
    assignee = { type: 'person', id: person.id, name: person.name, unit: person.unit };
  }
  if (!caller.units.some((scope) => unit.startsWith(scope)))
    throw unprocessable(`Unit ${unit} is outside your units`, [{ field: 'department', message: 'out of scope' }]);
  const moved = assignTo(deps, { ...event, reassignments }, event.tier, assignee, now, {
    type: 'assigned',
    reason: input.note ?? `交办 ${assignee.name}`,
    count: firstDispatch ? [] : ['reassigned'],
  });
  return moved;
}

/** An extension moves the deadline by at most the original limit: in working time, or on the clock for calendar-time limits. */
function latestExtension(deps: CoreDependencies, clock: CaseClock): Date {
  const start = new Date(clock.startedAt);
  const deadline = new Date(clock.deadlineAt);
  if (clock.calendarTime) return new Date(deadline.getTime() + (deadline.getTime() - start.getTime()));
  return deps.calendar.addWorkingHours(deadline, deps.calendar.workingHoursBetween(start, deadline));
}

function districtDepartment(deps: CoreDependencies, event: Case, code: string): Assignee {
  return assigneeFor(deps.directory, 'district', event.gridCode, { ...itemOf(deps, event), department: code });
}

/** 退回: the team says it is not theirs; counted against it; the second return goes to a joint meeting. */
function returned(deps: CoreDependencies, event: Case, reason: string, now: Date): Move {
  const returns = (event.returns ?? 0) + 1;
  const team = event.assignee!;
  const marked: Case = { ...event, returns, returnedBy: [...(event.returnedBy ?? []), `${team.unit}:${team.id}`] };
  const how = { type: 'returned', reason: `退回 returned by ${team.name}: ${reason}`, count: ['returned' as const] };
  const moved =
    returns >= deps.policy.returnsToMeeting
      ? toJointMeeting(deps, marked, now, how)
      : holdForDispatch(deps, marked, event.tier === 'district' ? 'district' : 'town', now, how);
  return { ...moved, countAgainst: team };
}

/** 上报: the handler sends the case one tier up, the same move (and count) as a missed deadline's escalation. */
function escalateByHandler(deps: CoreDependencies, event: Case, reason: string, now: Date): Move {
  const moved = escalate(deps, event, now, { type: 'escalated', reason: `上报 reported up: ${reason}` });
  if (!moved) throw conflict(`Cannot escalate event ${event.id}: it is already at the top of the ladder`);
  return moved;
}

/** 满意度: 3–5 archives the case; 1 or 2 reopens it once, back to its last handler. */
function rated(deps: CoreDependencies, event: Case, input: { score: number; note?: string }, by: string, now: Date): ActionOutcome {
  if (event.clock?.kind === 'rating' && now >= new Date(event.clock.deadlineAt)) {
    throw conflict(`The rating of event ${event.id} closed at ${event.clock.deadlineAt}`, [{ field: 'score', message: 'rating closed' }]);
  }
  const rating = { score: input.score, ...(input.note ? { comment: input.note } : {}), at: toLocalIso(now), by };
  const count = ['rated', ['ratingTotal', input.score]] as ActionOutcome['count'];
  if (input.score <= 2 && !event.reopened && event.assignee) {
    const reopened = assignTo(
      deps,
      { ...event, rating: undefined, reopened: true, fedBackAt: undefined, handledAt: undefined },
      event.tier,
      event.assignee,
      now,
      {
        type: 'reopened',
        reason: `满意度${input.score}分，重新办理 rated ${input.score}: reopened${input.note ? ` — ${input.note}` : ''}`,
        count: [...(count ?? []), 'reopened'],
      },
    );
    return { ...reopened, after: { ...reopened.after, ratingCode: undefined }, data: { ...reopened.data, rating }, wakes: true };
  }
  return { after: { ...event, rating }, type: 'rated', note: input.note, data: { score: input.score }, count, sms: [], wakes: true };
}

/** This report is the same matter as the original: it closes here and follows the original, whose reporters grow. */
function duplicateOf(
  deps: CoreDependencies,
  caller: Caller,
  event: Case,
  originalId: string,
  note: string | undefined,
  now: Date,
): Omit<ActionOutcome, 'wakes'> {
  const at = toLocalIso(now);
  return {
    after: {
      ...withClock(event, undefined),
      stage: 'voided',
      status: 'closed',
      closedAt: at,
      duplicateOf: originalId,
      voidReason: `重复反映，并入 ${originalId} duplicate of ${originalId}`,
    },
    type: 'linked_as_duplicate',
    note,
    data: { duplicateOf: originalId },
    count: ['duplicates'],
    sms: [],
    related: async (when, actor) => {
      const stored = await checkLinkTarget(deps, caller, event.id, originalId);
      const original = stored.event;
      const after: Case = {
        ...original,
        linkedReports: [...new Set([...(original.linkedReports ?? []), event.id])],
        linkedReporters: [...(original.linkedReporters ?? []), ...(event.reporter?.phone ? [event.reporter] : [])],
      };
      // The original's own waiting task stays as it is.
      return buildChange(original, after, {
        type: 'duplicate_linked',
        actor,
        at: when,
        data: { report: event.id },
        note,
        waitingTask: stored.waitingTask ?? null,
      });
    },
  };
}

/** The case a report is linked to: open, visible to the caller, the same item, not itself. */
async function checkLinkTarget(deps: CoreDependencies, caller: Caller, eventId: string, originalId: string): Promise<StoredCase> {
  if (originalId === eventId)
    throw unprocessable('A report cannot be a duplicate of itself', [{ field: 'duplicateOf', message: 'same event' }]);
  const [original, report] = await Promise.all([deps.cases.get(originalId), deps.cases.get(eventId)]);
  if (!original || !canSeeCase(caller, original.event))
    throw unprocessable(`Event ${originalId} does not exist or is outside your units`, [
      { field: 'duplicateOf', message: 'unknown event' },
    ]);
  if (original.event.status !== 'open')
    throw unprocessable(`Event ${originalId} is closed; link reports to an open case`, [{ field: 'duplicateOf', message: 'closed' }]);
  if (report && original.event.itemCode !== report.event.itemCode)
    throw unprocessable(`Event ${originalId} is a different matter`, [{ field: 'duplicateOf', message: 'different item' }]);
  return original;
}
