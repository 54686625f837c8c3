/** The per-day counters kept for units, department teams and people: what reports total instead of reading cases. */

/** Counter names kept per unit and department per day; reports read these. */
export const COUNTER_NAMES = [
  'reported',
  'accepted',
  'voided',
  'routed',
  'acknowledged',
  'notAcknowledged',
  'handled',
  'handledOnTime',
  'verifiedPassed',
  'reworked',
  'closed',
  'closedOnTime',
  'overdue',
  'escalated',
  'returned',
  'reassigned',
  'extended',
  'jointMeeting',
  'throughTrain',
  'nudged',
  'fedBack',
  'rated',
  'ratingTotal',
  'reopened',
  'duplicates',
  'smsFailed',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/** Per-day counters kept for a unit, a department team or a person; reports read these instead of cases. */
export interface CounterIncrement {
  /** A unit (and every unit above the grid), a department team (`<unit>:<department>`), or a person (a grid worker's scorecard). */
  scope: CounterScope;
  /** 'YYYY-MM-DD' in Asia/Shanghai; or STANDING for a count that stands instead of adding up by day. */
  day: string;
  counts: Record<string, number>;
}

export interface CounterScope {
  kind: 'unit' | 'department' | 'person';
  code: string;
}

export interface DayCounts {
  day: string;
  counts: Record<string, number>;
}

/**
 * The `day` of counts that stand rather than add up per day: `open`, the cases of a unit open now (every open
 * and close of a case moves it, in the change's own transaction), so a report reads a count instead of the cases.
 */
export const STANDING = 'standing';
