/**
 * Building one state change of a case: the new case, its timeline entry and the day's counters,
 * which the store writes as one transaction.
 */
import { localDate, toLocalIso } from '../domain/calendar';
import { geohash } from '../domain/geohash';
import type { TimelineType } from '../domain/timeline';
import { teamCode } from '../domain/routing';
import { ancestorCodes } from '../domain/unit-codes';
import type { Actor, Assignee, Case, TimelineEntry } from '../domain/types';
import { STANDING, type CounterIncrement, type CounterName } from '../domain/counters';
import { isOpenCase } from '../domain/case-lists';
import type { CaseChange, WaitingTask } from '../ports/cases';

export const SYSTEM_ACTOR: Actor = { id: 'gridflow', name: '网格通 GridFlow', role: 'system' };

/** A counter and the amount to add (1 unless given, e.g. a rating's score). */
export type CounterEntry = CounterName | [CounterName, number];

export interface ChangeSpec {
  /** What happened, for the timeline: `registered`, `routed`, `completed`, … */
  type: TimelineType;
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
export function buildChange(before: Case | undefined, after: Omit<Case, 'version' | 'updatedAt'>, spec: ChangeSpec): CaseChange {
  const version = (before?.version ?? 0) + 1;
  const theCase: Case = { ...after, version, updatedAt: toLocalIso(spec.at) };
  const entry: TimelineEntry = {
    eventId: theCase.id,
    seq: version,
    at: toLocalIso(spec.at),
    actor: spec.actor,
    type: spec.type,
    stage: theCase.stage,
    tier: theCase.tier,
    ...(spec.note ? { note: spec.note } : {}),
    ...(spec.photos?.length ? { photos: spec.photos } : {}),
    ...(spec.data ? { data: spec.data } : {}),
  };
  return {
    case: theCase,
    expectedVersion: before?.version,
    timeline: [entry],
    counters: [...countersFor(theCase, spec.count ?? [], spec.at, spec.countAgainst), ...openCounts(before, theCase)],
    waitingTask: spec.waitingTask,
  };
}

export function countersFor(
  theCase: Case,
  entries: CounterEntry[],
  at: Date,
  against: Assignee | null | undefined = theCase.assignee,
): CounterIncrement[] {
  if (entries.length === 0) return [];
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const [name, amount] = typeof entry === 'string' ? [entry, 1] : entry;
    for (const key of [name, `${name}@${theCase.classCode}`, `${name}@${theCase.itemCode}`]) counts[key] = (counts[key] ?? 0) + amount;
  }
  const day = localDate(at);
  const names = entries.map((entry) => (typeof entry === 'string' ? entry : entry[0]));
  const unitCounts = { ...counts, ...placeCounts(theCase, names) };
  const increments = unitCounters(theCase.gridCode, day, unitCounts);
  if (against?.type === 'department') {
    increments.push({ scope: { kind: 'department', code: teamCode(against.unit, against.id) }, day, counts });
  }
  const asHandler = against?.type === 'person' ? pick(counts, names, PERSON_AS_HANDLER) : {};
  if (against?.type === 'person' && Object.keys(asHandler).length)
    increments.push({ scope: { kind: 'person', code: against.id }, day, counts: asHandler });
  // A grid worker's scorecard: the reports they made, and those that turned out to be duplicates.
  if (theCase.reportedBy.role === 'grid_worker') {
    const own = pick(counts, names, PERSON_AS_REPORTER);
    if (Object.keys(own).length) increments.push({ scope: { kind: 'person', code: theCase.reportedBy.id }, day, counts: own });
  }
  return increments;
}

/**
 * A case that opens adds one to the standing `open` count of its grid and every unit above it; one that closes
 * (or moves to another grid) takes one off where it was.
 */
export function openCounts(
  before: Pick<Case, 'status' | 'gridCode'> | undefined,
  after: Pick<Case, 'status' | 'gridCode'>,
): CounterIncrement[] {
  const was = before !== undefined && isOpenCase(before) ? before.gridCode : undefined;
  const is = isOpenCase(after) ? after.gridCode : undefined;
  if (was === is) return [];
  return [...(was ? unitCounters(was, STANDING, { open: -1 }) : []), ...(is ? unitCounters(is, STANDING, { open: 1 }) : [])];
}

/** A unit's counts go to the unit and every unit above it, so a town's or the district's report reads its own items only. */
export function unitCounters(unitCode: string, day: string, counts: Record<string, number>): CounterIncrement[] {
  return ancestorCodes(unitCode).map((code): CounterIncrement => ({ scope: { kind: 'unit', code }, day, counts }));
}

const PERSON_AS_HANDLER: CounterName[] = [
  'routed',
  'acknowledged',
  'notAcknowledged',
  'handled',
  'handledOnTime',
  'overdue',
  'escalated',
  'reworked',
  // Approved extensions: the scorecard's on-time rate sets them apart, as the bulletin's does.
  'extended',
];
const PERSON_AS_REPORTER: CounterName[] = ['reported', 'duplicates', 'voided'];

function pick(counts: Record<string, number>, names: CounterName[], wanted: CounterName[]): Record<string, number> {
  return Object.fromEntries(names.filter((name) => wanted.includes(name)).map((name) => [name, counts[name]]));
}

/**
 * Where matters pile up, kept in the unit counters so reports need not read cases: reports and
 * overdue cases per grid (`reported@g:<grid>`), and reports per item per ~150 m cell
 * (`reported@cell:<item>:<geohash>`) for places reported again and again.
 */
function placeCounts(theCase: Case, names: CounterName[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names.filter((candidate) => candidate === 'reported' || candidate === 'overdue'))
    counts[`${name}@g:${theCase.gridCode}`] = 1;
  if (names.includes('reported') && theCase.location)
    counts[`reported@cell:${theCase.itemCode}:${geohash(theCase.location.lat, theCase.location.lng)}`] = 1;
  return counts;
}
