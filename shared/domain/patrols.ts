/**
 * 三查: every grid is patrolled daily by its grid worker (每日一巡查), every community checked weekly by its
 * station (每周一排查), every town inspected monthly by its center (每月一检查). Pure rules and shapes.
 */
import type { Actor, GeoLocation, Severity, UnitLevel } from './types';
import type { Operation } from './operations';

export const PATROL_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type PatrolKind = (typeof PATROL_KINDS)[number];

/** Each kind of patrol: of which level of unit, and the operation (who may log it: OPERATION_RULES). */
export const PATROL_RULES: Record<PatrolKind, { operation: Operation; level: UnitLevel; name: string }> = {
  daily: { operation: 'patrol_daily', level: 'grid', name: '每日一巡查 (a grid worker patrols a grid)' },
  weekly: { operation: 'patrol_weekly', level: 'community', name: '每周一排查 (a community station checks its community)' },
  monthly: { operation: 'patrol_monthly', level: 'town', name: '每月一检查 (a town center inspects its town)' },
};

export interface PatrolPoint {
  lat: number;
  lng: number;
  at?: string;
}

export interface PatrolFinding {
  itemCode: string;
  description: string;
  severity?: Severity;
  location?: GeoLocation;
  photos: string[];
  /** The grid the finding is in (a daily patrol's own grid unless given). */
  gridCode?: string;
  /** Reported as a case in the same call (source `patrol`). */
  report: boolean;
  /** The case the finding became, when reported. */
  eventId?: string;
}

export interface Patrol {
  id: string;
  kind: PatrolKind;
  /** The grid (daily), community (weekly) or town (monthly) patrolled. */
  unitCode: string;
  unitName: string;
  /** When the patrol was made (Asia/Shanghai ISO) and its local day, which it counts on. */
  at: string;
  day: string;
  by: Actor;
  points: PatrolPoint[];
  note?: string;
  findings: PatrolFinding[];
  /** The cases the findings became. */
  reportedEvents: string[];
  /** Daily patrols: true when this was the grid's first patrol of the day (it counted the grid as patrolled). */
  firstOfDay?: boolean;
  createdAt: string;
}

/** 11月24日: how a day reads in an SMS. */
export function smsDay(day: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  return match ? `${Number(match[1])}月${Number(match[2])}日` : day;
}
