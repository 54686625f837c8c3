/**
 * Building one state change of an event: the new event, its timeline entry and the day's counters,
 * which the store writes as one transaction.
 */
import { localDate, toLocalIso } from '../domain/calendar';
import { ancestorCodes } from '../domain/units';
import type { Actor, GridEvent, TimelineEntry } from '../domain/types';
import type { CounterIncrement, EventChange, WaitingTask } from '../ports';

export const SYSTEM_ACTOR: Actor = { id: 'gridflow', name: '网格通 GridFlow', role: 'system' };

/** Counter names kept per unit and department per day; reports read these. */
export type CounterName =
  | 'reported'
  | 'accepted'
  | 'voided'
  | 'routed'
  | 'handled'
  | 'handledOnTime'
  | 'closed'
  | 'closedOnTime'
  | 'overdue'
  | 'fedBack'
  | 'smsFailed';

export interface ChangeSpec {
  /** What happened, for the timeline: `registered`, `routed`, `completed`, … */
  type: string;
  actor: Actor;
  at: Date;
  note?: string;
  photos?: string[];
  data?: Record<string, unknown>;
  /** Counters this change adds one to. */
  count?: CounterName[];
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
    counters: countersFor(event, spec.count ?? [], spec.at),
    waitingTask: spec.waitingTask,
  };
}

export function countersFor(event: GridEvent, names: CounterName[], at: Date): CounterIncrement[] {
  if (names.length === 0) return [];
  const counts: Record<string, number> = {};
  for (const name of names) {
    counts[name] = 1;
    counts[`${name}@${event.classCode}`] = 1;
    counts[`${name}@${event.itemCode}`] = 1;
  }
  const day = localDate(at);
  const increments: CounterIncrement[] = ancestorCodes(event.gridCode).map((code) => ({ scope: { kind: 'unit', code }, day, counts }));
  if (event.assignee?.type === 'department') {
    increments.push({ scope: { kind: 'department', code: departmentCounterCode(event.assignee.unit, event.assignee.id) }, day, counts });
  }
  return increments;
}

/** `441302:urban-management`: the district bureau; `441302010:urban-management`: the street's team. */
export function departmentCounterCode(unit: string, department: string): string {
  return `${unit}:${department}`;
}
