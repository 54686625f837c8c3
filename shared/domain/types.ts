/** The domain vocabulary of GridFlow. Pure types: no AWS, no I/O. */
import type { TimeLimit } from './calendar';
import type { HandoverType, TimelineType } from './timeline';

export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SOURCES = ['grid_worker', 'citizen', 'hotline', 'patrol', 'assigned'] as const;
export type Source = (typeof SOURCES)[number];

/** Open311-style status: a case is open until it is archived or voided. */
export const STATUSES = ['open', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/** Where a case is in its closed loop (登记 → 分流 → 办理 → 核查 → 反馈 → 归档). */
export const STAGES = ['registered', 'routed', 'handling', 'verifying', 'feedback', 'archived', 'voided'] as const;
export type Stage = (typeof STAGES)[number];

/** The escalation ladder, bottom to top. */
export const TIERS = ['grid', 'community', 'town', 'district', 'joint_meeting', 'through_train'] as const;
export type Tier = (typeof TIERS)[number];

export const ROLES = [
  'grid_worker',
  'community_station',
  'town_center',
  'district_center',
  'department',
  'supervisor',
  'leader',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_LEVELS = ['district', 'town', 'community', 'grid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export interface Assignee {
  type: 'person' | 'department' | 'unit';
  id: string;
  name: string;
  /** The unit the assignee acts for: the grid of a worker, the town or district of a department. */
  unit: string;
}

export interface GeoLocation {
  lat: number;
  lng: number;
  address?: string;
}

export interface Reporter {
  name?: string;
  phone?: string;
}

/** Who did something: a signed-in user, a citizen, or the platform itself. */
export interface Actor {
  /** A signed-in user's person id (the roster's, the token's `custom:person`); `reporter` or `gridflow` otherwise. */
  id: string;
  name: string;
  role: Role | 'citizen' | 'system';
  /** A signed-in user's account subject (the token's `sub`), kept for audit: it decides nothing. */
  sub?: string;
}

/** The clocks a case runs on, one at a time (their limits: shared/domain/policy.ts; their checkpoints: shared/domain/ladder.ts). */
export const CLOCK_KINDS = ['acceptance', 'dispatch', 'handling', 'convene', 'meeting', 'verification', 'rating'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export interface CaseClock {
  kind: ClockKind;
  startedAt: string;
  deadlineAt: string;
  /** Reminders already sent on this clock (at the policy's fractions of the time). */
  reminders: number;
  /** When the reminders fall: the fractions of the working time (or of calendar time for calendar limits). */
  remindAt?: string[];
  /** The limit runs on the clock, not the business calendar (urgent levels, the through train). */
  calendarTime?: boolean;
  /** When the handler is to have signed for the case (签收), if it must (handling clocks since reminders are swept). */
  acknowledgeBy?: string;
  /** The unacknowledged handler was notified again (签收提醒). */
  acknowledgeReminded?: boolean;
  /** The deadline has passed and was acted on. */
  expired?: boolean;
  /** Nudges sent after the deadline (督办 again at each further limit, bounded). */
  nudges: number;
  /**
   * The deadline was counted over years the calendar had no holiday arrangement for, on a plain week: what it was
   * counted from, so that it is counted again, once, when those years' documents arrive (plain-week.ts).
   */
  plainWeek?: PlainWeekCount;
}

export interface PlainWeekCount {
  years: number[];
  /** The moment the limit ran from (the clock's start, or a meeting's time). */
  from: string;
  limit: TimeLimit;
}

export interface Extension {
  status: 'requested' | 'approved' | 'rejected';
  /** The deadline asked for. */
  until: string;
  reason: string;
  requestedBy: Actor;
  requestedAt: string;
  decidedAt?: string;
}

export interface JointMeeting {
  /** When the meeting sits, and who is invited (department codes). */
  at: string;
  departments: string[];
  convenedAt: string;
  decision?: { lead: string; helpers: string[]; deadlineAt: string; minutes: string; recordedAt: string };
}

export interface Rating {
  score: number;
  comment?: string;
  at: string;
  /** `reporter` (with the code from the SMS) or the id of the staff member who called the reporter back (回访). */
  by: string;
}

/** The last time the case changed hands without its handler's doing, so a late action can be told what happened. */
export interface CaseMove {
  at: string;
  type: HandoverType;
  reason: string;
  tier: Tier;
  to: string;
}

export interface Case {
  id: string;
  itemCode: string;
  classCode: string;
  gridCode: string;
  description: string;
  severity: Severity;
  location?: GeoLocation;
  photos: string[];
  reporter?: Reporter;
  source: Source;
  reportedBy: Actor;
  status: Status;
  stage: Stage;
  tier: Tier;
  assignee?: Assignee;
  /** Department teams that have handled the case (`441302:urban-management`): they keep seeing it. */
  involvedDepartments: string[];
  /** The running clock; `deadlineAt` mirrors its deadline for lists and indexes. */
  clock?: CaseClock;
  deadlineAt?: string;
  /** The case missed a deadline at some point; it stays marked. */
  overdue: boolean;
  /** Legacy bound of overdue nudges (first loop); the clock counts nudges now. */
  overdueNudges?: number;
  /** A resident's report waits for the grid's worker or station to accept (立案) or void (作废) it. */
  needsAcceptance: boolean;
  /** Stored, and its lifecycle has not yet waited on it: if it never does (its start was lost), the sweeper starts it. */
  awaitingLifecycle?: boolean;
  acceptedAt?: string;
  routedAt?: string;
  /** The current handler signed for the case (签收). */
  acknowledgedAt?: string;
  handledAt?: string;
  handledOnTime?: boolean;
  handlingNote?: string;
  handlingPhotos?: string[];
  verifiedAt?: string;
  fedBackAt?: string;
  closedAt?: string;
  voidReason?: string;
  /** 退回: how often handlers returned the case, and which teams did. */
  returns?: number;
  returnedBy?: string[];
  /** 返工: failed verifications. */
  verifyFailures?: number;
  /** Reassignments by centers, bounded. */
  reassignments?: number;
  /** Escalated because it is beyond a level (上报), not only late. */
  complex?: boolean;
  extension?: Extension;
  meeting?: JointMeeting;
  rating?: Rating;
  /** The code in the feedback SMS with which the reporter rates the result (never shown in replies). */
  ratingCode?: string;
  /**
   * New codes the reporter asked for (POST /events/{id}/rating-code) since the feedback: each code has its own tries
   * (the policy's ratingTriesPerCase), counted under this number.
   */
  ratingCodeIssue?: number;
  /** A poor rating reopened the case (once). */
  reopened?: boolean;
  /** This report is the same matter as that case (it follows it). */
  duplicateOf?: string;
  /** Reports linked to this case as duplicates, and their reporters, who are fed back too. */
  linkedReports?: string[];
  linkedReporters?: Reporter[];
  /** Open cases of the same item within the duplicate radius and window when this was reported. */
  possibleDuplicates?: string[];
  /** Handlers the case had before (assignee keys), so a late action by one of them is told what happened. */
  previousHandlers?: string[];
  lastMove?: CaseMove;
  /** Which execution of the lifecycle runs the case (a long case continues in a new one). */
  workflowGeneration?: number;
  /** When (policy time) that execution took the case over; absent: the first, started when the case was created. */
  workflowSince?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking version: every state change writes version + 1 on the condition version = n. */
  version: number;
}

export interface TimelineEntry {
  eventId: string;
  /**
   * The case version this entry produced: timeline order and uniqueness. A comment changes no version: its
   * `seq` is the version it followed, and its `id` tells it apart (see timelineOrderKey).
   */
  seq: number;
  /** A comment's own id (comments are items of their own, appended without touching the case). */
  id?: string;
  at: string;
  actor: Actor;
  /** What happened, e.g. `registered`, `routed`, `completed`, `overdue`. */
  type: TimelineType;
  stage: Stage;
  tier: Tier;
  note?: string;
  photos?: string[];
  data?: Record<string, unknown>;
}
