/**
 * How a case moves: to a handler, to a center for dispatch, up the ladder, to a joint meeting, onto the
 * through train, to verification and to feedback. Actions and workflow steps both use these, so a move
 * means the same whoever makes it. Each returns the case after the move and what to record and send.
 */
import { type TimeLimit, toLocalIso } from '../domain/calendar';
import { tierAbove } from '../domain/ladder';
import { clockLimit, handlingLimit } from '../domain/policy';
import { assigneeFor, assigneeKey, centerOf, teamCode, unitAbove } from '../domain/routing';
import type { SmsTrigger } from '../domain/sms-rules';
import type { HandoverType, TimelineType } from '../domain/timeline';
import { yearsOnPlainWeek } from '../domain/plain-week';
import type { Assignee, CaseClock, ClockKind, Case, PlainWeekCount, Tier } from '../domain/types';
import { buildChange, SYSTEM_ACTOR, type CounterEntry } from './changes';
import type { ReferenceData } from './dependencies';
import type { SmsExtras } from './lifecycle-messages';

export interface Move {
  after: Case;
  /** The timeline entry's type. */
  type: TimelineType;
  note?: string;
  data?: Record<string, unknown>;
  count?: CounterEntry[];
  countAgainst?: Assignee | null;
  /** The SMS to send once stored; `before`: about the case as it was (the late handler's head). */
  sms: { trigger: SmsTrigger; extras?: SmsExtras; before?: boolean }[];
}

/** The change a move makes, by the system (the lifecycle, or routing at intake). */
export function changeOf(theCase: Case, move: Move, now: Date) {
  return buildChange(theCase, move.after, {
    type: move.type,
    actor: SYSTEM_ACTOR,
    at: now,
    note: move.note,
    data: move.data,
    count: move.count,
    countAgainst: move.countAgainst,
  });
}

/**
 * A fresh clock of `kind`: its deadline the limit counted from now (or from `given.from`, a meeting's time), or
 * `given.deadline` as people set it. A limit counted over a year the calendar does not know is flagged (plainWeek).
 */
export function startClock(
  deps: ReferenceData,
  theCase: Case,
  kind: ClockKind,
  tier: Tier,
  now: Date,
  given: { deadline?: Date; from?: Date } = {},
): CaseClock {
  const limit =
    kind === 'handling'
      ? handlingLimit(deps.policy, tier, theCase.severity, itemOf(deps, theCase))
      : clockLimit(deps.policy, kind, theCase.severity);
  const from = given.from ?? now;
  const calendarTime = !given.deadline && ('calendarHours' in limit || 'calendarMinutes' in limit);
  const clock: CaseClock = {
    kind,
    startedAt: toLocalIso(now),
    deadlineAt: '',
    reminders: 0,
    nudges: 0,
    ...(calendarTime ? { calendarTime } : {}),
  };
  const counted = given.deadline ? undefined : { from, limit };
  return clockDue(deps, theCase, clock, now, given.deadline ?? deps.calendar.add(from, limit), counted);
}

/** The clock's deadline counted again on today's calendar (its years on a plain week are known now), and what follows from it. */
export function recountedClock(deps: ReferenceData, theCase: Case, clock: CaseClock & { plainWeek: PlainWeekCount }): CaseClock {
  const from = new Date(clock.plainWeek.from);
  const { limit } = clock.plainWeek;
  return clockDue(deps, theCase, clock, new Date(clock.startedAt), deps.calendar.add(from, limit), { from, limit });
}

/**
 * The clock with its deadline and what follows from it: a handling clock's reminder times and sign-for time (the
 * sweeper's due list is read off the case), and — for a counted limit — the years it ran on a plain week.
 */
function clockDue(
  deps: ReferenceData,
  theCase: Case,
  clock: CaseClock,
  start: Date,
  due: Date,
  counted: { from: Date; limit: TimeLimit } | undefined,
): CaseClock {
  const { plainWeek: _counted, ...rest } = clock;
  let after: CaseClock = { ...rest, deadlineAt: toLocalIso(due) };
  let latest = due;
  if (clock.kind === 'handling') {
    const acknowledgeBy = deps.calendar.add(start, deps.policy.acknowledgeLimit[theCase.severity]);
    after = { ...after, remindAt: reminderTimes(deps, start, due, clock.calendarTime), acknowledgeBy: toLocalIso(acknowledgeBy) };
    if (acknowledgeBy > latest) latest = acknowledgeBy;
  }
  if (!counted || clock.calendarTime || !deps.calendarYears) return after;
  const years = yearsOnPlainWeek(counted.from, latest, deps.calendarYears);
  return years.length ? { ...after, plainWeek: { years, from: toLocalIso(counted.from), limit: counted.limit } } : after;
}

/**
 * Reminders at the policy's fractions of the time: of the working time on the business calendar (a
 * reminder never falls on a Saturday night), or of plain time for calendar-time limits (the through train).
 */
export function reminderTimes(deps: ReferenceData, start: Date, deadline: Date, onTheClock = false): string[] {
  const workingHours = deps.calendar.workingHoursBetween(start, deadline);
  const calendarTime = onTheClock || workingHours === 0;
  return deps.policy.reminderFractions.map((fraction) =>
    toLocalIso(
      calendarTime
        ? new Date(start.getTime() + fraction * (deadline.getTime() - start.getTime()))
        : deps.calendar.addWorkingHours(start, fraction * workingHours),
    ),
  );
}

export function withClock(theCase: Case, clock: CaseClock | undefined): Case {
  return { ...theCase, clock, deadlineAt: clock?.deadlineAt };
}

/** The case goes to a handler at a tier, on a fresh handling clock (or the deadline given). */
export function assignTo(
  deps: ReferenceData,
  theCase: Case,
  tier: Tier,
  assignee: Assignee,
  now: Date,
  how: { type: HandoverType; reason?: string; deadline?: Date; stage?: 'routed' | 'handling'; count?: CounterEntry[] },
): Move {
  const after = withClock(
    handedOver(theCase, assignee, tier, now, how.type, how.reason),
    startClock(deps, theCase, 'handling', tier, now, { deadline: how.deadline }),
  );
  return {
    after: { ...after, stage: how.stage ?? 'routed', routedAt: theCase.routedAt ?? toLocalIso(now) },
    type: how.type,
    note: how.reason,
    data: { tier, assignee, deadlineAt: after.deadlineAt },
    count: how.count,
    sms: [{ trigger: 'assigned' }],
  };
}

/** The case waits for a center (the street's or the district's) to dispatch it, on the dispatch clock. */
export function holdForDispatch(
  deps: ReferenceData,
  theCase: Case,
  tier: 'town' | 'district',
  now: Date,
  how: { type: HandoverType; reason: string; count?: CounterEntry[] },
): Move {
  const center = centerOf(deps.directory, theCase.gridCode, tier);
  const after = withClock(handedOver(theCase, center, tier, now, how.type, how.reason), startClock(deps, theCase, 'dispatch', tier, now));
  return {
    after: { ...after, stage: 'routed' },
    type: how.type,
    note: how.reason,
    data: { tier, assignee: center, deadlineAt: after.deadlineAt },
    count: how.count,
    sms: [{ trigger: 'dispatch_needed', extras: { params: { reason: '需要分流交办', reasonEn: 'needs dispatching' } } }],
  };
}

/** 联席会议: the district center must convene the departments, on the convene clock. */
export function toJointMeeting(
  deps: ReferenceData,
  theCase: Case,
  now: Date,
  how: { type: HandoverType; reason: string; count?: CounterEntry[] },
): Move {
  const district = unitAbove(deps.directory, theCase.gridCode, 'district');
  const meetingHost: Assignee = { type: 'unit', id: district.code, name: `${district.name}跨部门联席会议`, unit: district.code };
  const after = withClock(
    handedOver(theCase, meetingHost, 'joint_meeting', now, how.type, how.reason),
    startClock(deps, theCase, 'convene', 'joint_meeting', now),
  );
  return {
    after: { ...after, stage: 'routed', meeting: undefined },
    type: how.type,
    note: how.reason,
    data: { tier: 'joint_meeting', assignee: meetingHost, deadlineAt: after.deadlineAt },
    count: [...(how.count ?? []), 'jointMeeting'],
    sms: [
      {
        trigger: 'dispatch_needed',
        extras: { params: { reason: '需召开跨部门联席会议', reasonEn: 'needs a joint meeting of departments' } },
      },
    ],
  };
}

/** 直通车: straight to district leadership, on the shortest clock; everyone who must act is alerted. */
export function toThroughTrain(
  deps: ReferenceData,
  theCase: Case,
  now: Date,
  how: { type: HandoverType; reason: string; count?: CounterEntry[] },
): Move {
  const district = unitAbove(deps.directory, theCase.gridCode, 'district');
  const leadership = assigneeFor(deps.directory, 'through_train', theCase.gridCode, itemOf(deps, theCase));
  const after = withClock(
    handedOver(theCase, leadership, 'through_train', now, how.type, how.reason),
    startClock(deps, theCase, 'handling', 'through_train', now),
  );
  return {
    after: { ...after, stage: 'routed', routedAt: theCase.routedAt ?? toLocalIso(now) },
    type: how.type,
    note: how.reason,
    data: { tier: 'through_train', assignee: leadership, deadlineAt: after.deadlineAt, district: district.code },
    count: [...(how.count ?? []), 'throughTrain'],
    sms: [{ trigger: 'level1_alert' }],
  };
}

/**
 * One tier up: grid → community station → the street's team for the item → the district center (to
 * dispatch) → a joint meeting → the through train. Undefined at the top.
 */
export function escalate(
  deps: ReferenceData,
  theCase: Case,
  now: Date,
  how: { type: HandoverType; reason: string; count?: CounterEntry[] },
): Move | undefined {
  const next = tierAbove(theCase.tier);
  const count: CounterEntry[] = [...(how.count ?? []), 'escalated'];
  switch (next) {
    case undefined:
      return undefined;
    case 'community':
    case 'town':
      return assignTo(deps, theCase, next, assigneeFor(deps.directory, next, theCase.gridCode, itemOf(deps, theCase)), now, {
        ...how,
        count,
      });
    case 'district':
      return holdForDispatch(deps, theCase, 'district', now, { ...how, count });
    case 'joint_meeting':
      return toJointMeeting(deps, theCase, now, { ...how, count });
    case 'through_train':
      return toThroughTrain(deps, theCase, now, { ...how, count });
    case 'grid':
      throw new Error('No tier is below the grid');
  }
}

/** The first routing (分流) of a registered case. */
export function firstRoute(deps: ReferenceData, theCase: Case, tier: Tier, now: Date): Move {
  const move =
    tier === 'through_train'
      ? toThroughTrain(deps, theCase, now, { type: 'routed', reason: '一级事件直通车 level 1: the through train', count: ['routed'] })
      : assignTo(deps, theCase, tier, assigneeFor(deps.directory, tier, theCase.gridCode, itemOf(deps, theCase)), now, {
          type: 'routed',
          count: ['routed'],
        });
  // Under which units, people and catalog it was routed: a routing under an older roster can be told apart.
  const { referenceVersion } = deps;
  return referenceVersion === undefined ? move : { ...move, data: { ...move.data, referenceVersion } };
}

export function itemOf(deps: ReferenceData, theCase: Case) {
  const item = deps.catalog.item(theCase.itemCode);
  if (!item) throw new Error(`Event ${theCase.id} has item ${theCase.itemCode}, which the catalog no longer has`);
  return item;
}

/** The case changes hands: remembers who had it (a late action by them is told what happened). */
function handedOver(theCase: Case, assignee: Assignee, tier: Tier, now: Date, type: HandoverType, reason?: string): Case {
  const previous = theCase.assignee && assigneeKey(theCase.assignee) !== assigneeKey(assignee) ? [assigneeKey(theCase.assignee)] : [];
  const involvedDepartments =
    assignee.type === 'department'
      ? [...new Set([...theCase.involvedDepartments, teamCode(assignee.unit, assignee.id)])]
      : theCase.involvedDepartments;
  return {
    ...theCase,
    tier,
    assignee,
    acknowledgedAt: undefined,
    // An extension belongs to an assignment: a new handler starts on a fresh clock.
    extension: undefined,
    involvedDepartments,
    previousHandlers: [...new Set([...(theCase.previousHandlers ?? []), ...previous])],
    lastMove: { at: toLocalIso(now), type, reason: reason ?? type, tier, to: assignee.name },
  };
}
