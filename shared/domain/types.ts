/** The domain vocabulary of GridFlow. Pure types: no AWS, no I/O. */

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
  id: string;
  name: string;
  role: Role | 'citizen' | 'system';
}

export interface GridEvent {
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
  /** When the current step (acceptance or handling) is due. ISO 8601 with +08:00. */
  deadlineAt?: string;
  /** The case missed a deadline at some tier; it stays marked. */
  overdue: boolean;
  /** How many times the current assignment's deadline has passed (bounded nudges). */
  overdueNudges: number;
  /** A resident's report waits for the grid's worker or station to accept (立案) or void (作废) it. */
  needsAcceptance: boolean;
  acceptedAt?: string;
  routedAt?: string;
  handledAt?: string;
  handledOnTime?: boolean;
  handlingNote?: string;
  handlingPhotos?: string[];
  fedBackAt?: string;
  closedAt?: string;
  voidReason?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking version: every state change writes version + 1 on the condition version = n. */
  version: number;
}

export interface TimelineEntry {
  eventId: string;
  /** The event version this entry produced: timeline order and uniqueness. */
  seq: number;
  at: string;
  actor: Actor;
  /** What happened, e.g. `registered`, `routed`, `completed`, `overdue`. */
  type: string;
  stage: Stage;
  tier: Tier;
  note?: string;
  photos?: string[];
  data?: Record<string, unknown>;
}
