/**
 * The time-limit policy (the README's clocks section describes it): starting tier and the limits of every
 * clock by severity, tier and catalog item, and the bounds of the ladder. Every number is
 * configuration; `DEFAULT_POLICY` is the published default.
 */
import type { BusinessCalendar, TimeLimit } from './calendar';
import type { CatalogItem } from './catalog';
import type { ClockKind, Severity, Tier } from './types';

type BySeverity<T> = Record<Severity, T>;

export interface Policy {
  startingTier: BySeverity<Tier>;
  /** Time for the grid's worker or station to accept (立案) or void (作废) a resident's report. */
  acceptanceLimit: BySeverity<TimeLimit>;
  /** Time for a center to dispatch (分流/转办) a case it holds; then it goes to the catalog's department. */
  dispatchLimit: BySeverity<TimeLimit>;
  /** Time for a handler to sign for (签收) a case before it is notified again. */
  acknowledgeLimit: BySeverity<TimeLimit>;
  /** Handling limit at each tier by severity. */
  handlingLimit: Record<Tier, BySeverity<TimeLimit>>;
  /** Time for the district center to convene a joint meeting (联席会议). */
  conveneLimit: BySeverity<TimeLimit>;
  /** Time after the meeting sits for its decision to be recorded. */
  meetingDecisionLimit: TimeLimit;
  /** Verification on site (核查) of district-level cases. */
  verificationLimit: BySeverity<TimeLimit>;
  /** How long the reporter may rate the result (满意度) before the case is archived. */
  ratingLimit: BySeverity<TimeLimit>;
  /** Reminders to the handler at these fractions of the time. */
  reminderFractions: number[];
  /**
   * No phone gets more than one reminder SMS (time-limit reminders, re-notifications) per this many
   * minutes of policy time; further reminders in the window are folded into one digest at its end.
   */
  reminderWindowMinutes: number;
  /** After a deadline that does not move the case up, its head is nudged again at each further limit, this many times. */
  maxOverdueNudges: number;
  /** Returns (退回) of one case that send it to a joint meeting. */
  returnsToMeeting: number;
  /** Failed verifications (返工) of one case that send it to a joint meeting. */
  verifyFailuresToMeeting: number;
  /** Reassignments a center may make of one case before it must go to a joint meeting. */
  maxReassignments: number;
  /**
   * Loops one workflow execution may make before the case continues in a new execution: keeps every
   * execution far below Step Functions' 25,000-event history.
   */
  maxWorkflowLoops: number;
  /**
   * The longest single wait of a workflow task. AWS would wait up to a year, but the local engine's
   * timers overflow past ~24.8 days; a wait that ends early just re-checks the case and waits again.
   */
  maxWaitSeconds: number;
  /**
   * After a step of the lifecycle fails past its retries, the execution waits this long (policy time) and
   * checks the case afresh, at most MAX_RECOVERIES (5) times per execution (lifecycle.ts); then it fails and the sweeper starts the
   * case again in a new execution. The count is the state machine's (workflows/event-lifecycle.asl.json).
   */
  recoveryWaitSeconds: number;
  /**
   * Policy days after which an execution hands its case over to a new one even if it has not looped its
   * bound: Step Functions Standard stops an execution after a year.
   */
  maxExecutionDays: number;
  /** Reports of the same item within this distance and time of an open case are offered as duplicates. */
  duplicateRadiusMeters: number;
  duplicateWindowHours: number;
  /** Reports a client without a token may make per (wall-clock) hour; every hourly limit counts wall-clock hours. */
  citizenReportsPerHour: number;
  /** Rating attempts (each with the code from the feedback SMS) a client may make per hour: guessing a 6-digit code is hopeless at this rate. */
  ratingTriesPerHour: number;
  /**
   * Tries at one case's rating code, from any clients, after which the code is void (the grid worker can still
   * record the rating, 回访): 5 of a 6-digit code's 1,000,000 values is a 1-in-200,000 chance of guessing it.
   */
  ratingTriesPerCase: number;
  /**
   * Verification codes (POST /verifications) one phone number may be sent per wall-clock day: nobody can make GridFlow
   * text a number over and over.
   */
  verificationCodesPerDay: number;
  /** Verification codes one client address may ask for per wall-clock hour (to any numbers). */
  verificationRequestsPerHour: number;
  /** Wrong tries at a verification code after which it is void (a new one must be asked for). */
  verificationTries: number;
  /** Wall-clock minutes a verification code stays good. */
  verificationCodeMinutes: number;
  /** Wall-clock hours a reporter token (what a confirmed code gives) stays good. */
  reporterTokenHours: number;
  /**
   * SMS one phone may be sent per day (Asia/Shanghai, policy time), whatever they are: past it, messages about cases
   * fold into one digest sent when the next day begins; others are not sent (shared/core/sms-cap.ts).
   */
  smsPerPhonePerDay: number;
  /** New rating codes the verified reporter may ask for, per case and wall-clock day (each is an SMS). */
  ratingCodesPerCasePerDay: number;
  /** Comments one person may post on one case per hour (a clock hour): a busy case's timeline stays readable. */
  commentsPerHour: number;
  /** How long an idempotency key keeps its case. */
  idempotencyHours: number;
}

const days = (workingDays: number): TimeLimit => ({ workingDays });
const hours = (workingHours: number): TimeLimit => ({ workingHours });
const calendarHours = (value: number): TimeLimit => ({ calendarHours: value });
const minutes = (calendarMinutes: number): TimeLimit => ({ calendarMinutes });

export const DEFAULT_POLICY: Policy = {
  startingTier: { 1: 'through_train', 2: 'town', 3: 'community', 4: 'grid' },
  acceptanceLimit: { 1: minutes(10), 2: minutes(30), 3: hours(2), 4: hours(2) },
  // Taiyuan's rule: urgent cases dispatched within 10 minutes, others within 30.
  dispatchLimit: { 1: minutes(10), 2: minutes(30), 3: hours(2), 4: hours(2) },
  acknowledgeLimit: { 1: minutes(10), 2: minutes(30), 3: hours(2), 4: hours(2) },
  handlingLimit: {
    // "—" in the published table: a level never starts there; if a case reaches it, the nearest sensible limit applies.
    grid: { 1: calendarHours(2), 2: hours(8), 3: days(1), 4: days(1) },
    community: { 1: calendarHours(2), 2: hours(8), 3: days(2), 4: days(2) },
    town: { 1: calendarHours(2), 2: hours(8), 3: days(3), 4: days(3) },
    district: { 1: calendarHours(2), 2: days(1), 3: days(5), 4: days(5) },
    joint_meeting: { 1: calendarHours(2), 2: days(1), 3: days(3), 4: days(3) },
    through_train: { 1: calendarHours(2), 2: calendarHours(24), 3: calendarHours(24), 4: calendarHours(24) },
  },
  conveneLimit: { 1: calendarHours(2), 2: days(1), 3: days(3), 4: days(3) },
  meetingDecisionLimit: days(1),
  verificationLimit: { 1: calendarHours(1), 2: days(1), 3: days(1), 4: days(1) },
  ratingLimit: { 1: calendarHours(1), 2: days(1), 3: days(1), 4: days(1) },
  reminderFractions: [0.5, 0.75],
  reminderWindowMinutes: 30,
  maxOverdueNudges: 3,
  returnsToMeeting: 2,
  verifyFailuresToMeeting: 2,
  maxReassignments: 10,
  maxWorkflowLoops: 300,
  maxWaitSeconds: 20 * 24 * 3600,
  recoveryWaitSeconds: 300,
  maxExecutionDays: 300,
  duplicateRadiusMeters: 100,
  duplicateWindowHours: 6,
  citizenReportsPerHour: 20,
  ratingTriesPerHour: 10,
  ratingTriesPerCase: 5,
  verificationCodesPerDay: 5,
  verificationRequestsPerHour: 20,
  verificationTries: 5,
  verificationCodeMinutes: 10,
  reporterTokenHours: 24,
  ratingCodesPerCasePerDay: 3,
  smsPerPhonePerDay: 100,
  commentsPerHour: 30,
  idempotencyHours: 24,
};

export function startingTier(policy: Policy, severity: Severity): Tier {
  return policy.startingTier[severity];
}

/**
 * The handling limit of a case at a tier. The catalog item's own limit is for the item at its usual
 * severity, where such a case starts; a case reported more severe (a drain with people trapped, level 1)
 * keeps that level's clock.
 */
export function handlingLimit(policy: Policy, tier: Tier, severity: Severity, item: CatalogItem): TimeLimit {
  if (item.handlingLimit && severity === item.severity && tier === startingTier(policy, severity)) return item.handlingLimit;
  return policy.handlingLimit[tier][severity];
}

export function handlingDeadline(
  policy: Policy,
  calendar: BusinessCalendar,
  tier: Tier,
  severity: Severity,
  item: CatalogItem,
  from: Date,
): Date {
  return calendar.add(from, handlingLimit(policy, tier, severity, item));
}

export function acceptanceDeadline(policy: Policy, calendar: BusinessCalendar, severity: Severity, from: Date): Date {
  return calendar.add(from, policy.acceptanceLimit[severity]);
}

/** The limit of a clock other than handling (whose limit depends on tier and item). */
export function clockLimit(policy: Policy, kind: Exclude<ClockKind, 'handling'>, severity: Severity): TimeLimit {
  switch (kind) {
    case 'acceptance':
      return policy.acceptanceLimit[severity];
    case 'dispatch':
      return policy.dispatchLimit[severity];
    case 'convene':
      return policy.conveneLimit[severity];
    case 'meeting':
      return policy.meetingDecisionLimit;
    case 'verification':
      return policy.verificationLimit[severity];
    case 'rating':
      return policy.ratingLimit[severity];
  }
}
