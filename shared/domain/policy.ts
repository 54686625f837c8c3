/**
 * The time-limit policy (../shared/reference/time-limits.md): starting tier and deadlines by severity,
 * tier and catalog item. Every number is configuration; `DEFAULT_POLICY` is the published default.
 */
import type { BusinessCalendar, TimeLimit } from './calendar';
import type { CatalogItem } from './catalog';
import type { Severity, Tier } from './types';

type BySeverity<T> = Record<Severity, T>;

export interface Policy {
  startingTier: BySeverity<Tier>;
  /** Time for the grid's worker or station to accept (立案) or void (作废) a resident's report. */
  acceptanceLimit: BySeverity<TimeLimit>;
  /** Handling limit at each tier by severity. */
  handlingLimit: Record<Tier, BySeverity<TimeLimit>>;
  /** After the deadline the handler's head is nudged again at each further limit, this many times in all. */
  maxOverdueNudges: number;
  /**
   * The longest single wait of a workflow task. AWS would wait up to a year, but the local engine's
   * timers overflow past ~24.8 days; a wait that ends early just re-checks the case and waits again.
   */
  maxWaitSeconds: number;
  /** Reports a client without a token may make per hour. */
  citizenReportsPerHour: number;
  /** How long an idempotency key keeps its event. */
  idempotencyHours: number;
}

const days = (workingDays: number): TimeLimit => ({ workingDays });
const hours = (workingHours: number): TimeLimit => ({ workingHours });
const calendarHours = (value: number): TimeLimit => ({ calendarHours: value });

export const DEFAULT_POLICY: Policy = {
  startingTier: { 1: 'through_train', 2: 'town', 3: 'community', 4: 'grid' },
  acceptanceLimit: { 1: { calendarMinutes: 10 }, 2: { calendarMinutes: 30 }, 3: hours(2), 4: hours(2) },
  handlingLimit: {
    // "—" in the published table: a level never starts there; if a case reaches it, the nearest sensible limit applies.
    grid: { 1: calendarHours(2), 2: hours(8), 3: days(1), 4: days(1) },
    community: { 1: calendarHours(2), 2: hours(8), 3: days(2), 4: days(2) },
    town: { 1: calendarHours(2), 2: hours(8), 3: days(3), 4: days(3) },
    district: { 1: calendarHours(2), 2: days(1), 3: days(5), 4: days(5) },
    joint_meeting: { 1: calendarHours(2), 2: days(1), 3: days(3), 4: days(3) },
    through_train: { 1: calendarHours(2), 2: calendarHours(24), 3: calendarHours(24), 4: calendarHours(24) },
  },
  maxOverdueNudges: 3,
  maxWaitSeconds: 20 * 24 * 3600,
  citizenReportsPerHour: 20,
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

export function handlingDeadline(policy: Policy, calendar: BusinessCalendar, tier: Tier, severity: Severity, item: CatalogItem, from: Date): Date {
  return calendar.add(from, handlingLimit(policy, tier, severity, item));
}

export function acceptanceDeadline(policy: Policy, calendar: BusinessCalendar, severity: Severity, from: Date): Date {
  return calendar.add(from, policy.acceptanceLimit[severity]);
}
