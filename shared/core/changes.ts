/**
 * Building one state change of an event: the new event, its timeline entry and the day's counters,
 * which the store writes as one transaction.
 */
import { localDate, toLocalIso } from '../domain/calendar';
import { ancestorCodes } from '../domain/units';
import type { Actor, Assignee, GridEvent, TimelineEntry } from '../domain/types';
import type { CounterIncrement, EventChange, WaitingTask } from '../ports';

export const SYSTEM_ACTOR: Actor = { id: 'gridflow', name: '网格通 GridFlow', role: 'system' };

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

/** A counter and the amount to add (1 unless given, e.g. a rating's score). */
export type CounterEntry = CounterName | [CounterName, number];

export interface ChangeSpec {
  /** What happened, for the timeline: `registered`, `routed`, `completed`, … */
  type: string;
  actor: Actor;
  at: Date;
  note?: string;
  photos?: string[];
  data?: Record<string, unknown>;
  /** Counters this change adds to. */
  count?: CounterEntry[];
  /** The handler the counters are charged to, when not the handler after the change (a return, a missed deadline); null: no handler. */
  countAgainst?: Assignee | null;
  waitingTask?: WaitingTask | null;
}

/**
 * The change that turns `before` into `after`: version + 1, a timeline entry, the counters.
 * Counters go to every unit above the grid (so a town's report reads one item per day) and to the
 * department team handling the case (a street team and the district bureau are counted apart); each count is also kept per class and item (`reported@01`, `reported@01-01`).
 */
export function buildChange(before: GridEvent | undefined, after: Omit<GridEvent, 'version' | 'updatedAt'>, spec: ChangeSpec): EventChange {
  const version = (before?.version ?? 0) + 1;
  const event: GridEvent = { ...after, version, updatedAt: toLocalIso(spec.at) };
  const entry: TimelineEntry = {
    eventId: event.id,
    seq: version,
    at: toLocalIso(spec.at),
    actor: spec.actor,
    type: spec.type,
    stage: event.stage,
    tier: event.tier,
    ...(spec.note ? { note: spec.note } : {}),
    ...(spec.photos?.length ? { photos: spec.photos } : {}),
    ...(spec.data ? { data: spec.data } : {}),
  };
  return {
    event,
    expectedVersion: before?.version,
    timeline: [entry],
    counters: countersFor(event, spec.count ?? [], spec.at, spec.countAgainst),
    waitingTask: spec.waitingTask,
  };
}

export function countersFor(event: GridEvent, entries: CounterEntry[], at: Date, against: Assignee | null | undefined = event.assignee): CounterIncrement[] {
  if (entries.length === 0) return [];
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const [name, amount] = typeof entry === 'string' ? [entry, 1] : entry;
    for (const key of [name, `${name}@${event.classCode}`, `${name}@${event.itemCode}`]) counts[key] = (counts[key] ?? 0) + amount;
  }
  const day = localDate(at);
  const increments: CounterIncrement[] = ancestorCodes(event.gridCode).map((code) => ({ scope: { kind: 'unit', code }, day, counts }));
  if (against?.type === 'department') {
    increments.push({ scope: { kind: 'department', code: departmentCounterCode(against.unit, against.id) }, day, counts });
  }
  return increments;
}

/** `441302:urban-management`: the district bureau; `441302010:urban-management`: the street's team. */
export function departmentCounterCode(unit: string, department: string): string {
  return `${unit}:${department}`;
}
