/** GET /events/{id} and GET /events: only what the caller may see, with others' phone numbers masked. */
import { toLocalIso } from '../domain/calendar';
import { canSeeUnit, type Caller } from '../domain/caller';
import { badRequest, BrokenInvariant, forbidden, notFound } from '../domain/errors';
import { maskPhone } from '../domain/messages';
import { mayDo } from '../domain/operations';
import { allowedActions, callerTeams, canSeeCase, isHandler } from '../domain/permissions';
import type { ActionName } from '../domain/actions';
import { assigneeKey } from '../domain/routing';
import { isAboutDeadline } from '../domain/timeline';
import type { Case, Reporter, TimelineEntry } from '../domain/types';
import { LIST_PAGE_MAX, type ListCasesInput, URGENCY_PAGE_MAX } from '../domain/case-inputs';
import type { StoredCase } from '../ports/cases';
import type { CoreDependencies } from './dependencies';

/** Internal bookkeeping that replies leave out (the rating code above all: it is the reporter's proof). */
const HIDDEN = [
  'version',
  'overdueNudges',
  'needsAcceptance',
  'awaitingLifecycle',
  'involvedDepartments',
  'previousHandlers',
  'ratingCode',
  'ratingCodeIssue',
  'workflowGeneration',
  'workflowSince',
] as const;

/** A timeline entry as a case's reply shows it: marked when it belongs to the deadline's history (isAboutDeadline). */
export type TimelineEntryView = Omit<TimelineEntry, 'eventId'> & { aboutDeadline?: true };

export type CaseView = Omit<Case, (typeof HIDDEN)[number]> & {
  timeline?: TimelineEntryView[];
  /** Older timeline entries remain: GET /events/{id}?cursor=<this> gives the ones before. */
  timelineCursor?: string;
  /** To a resident who reported with a phone no reporter token verified: it is not texted, nor kept. */
  notice?: string;
  /** The actions the reader may take on the case now (GET /events/{id}): what a page offers as buttons. */
  allowedActions?: ActionName[];
};

/** How many timeline entries a case's reply holds at most (the latest; a cursor leads to older ones). */
export const TIMELINE_PAGE = 100;

/** One case with a page of its timeline: the latest entries, or those before `cursor`. */
export async function getCase(
  deps: Pick<CoreDependencies, 'cases'>,
  caller: Caller,
  eventId: string,
  page: { limit?: number; cursor?: string } = {},
): Promise<CaseView> {
  const stored = await visibleCase(deps, caller, eventId);
  const { entries, olderCursor } = await deps.cases.timelinePage(eventId, page.limit ?? TIMELINE_PAGE, page.cursor);
  return {
    ...viewOf(stored.case, caller),
    timeline: entries.map(
      ({ eventId: _omit, ...entry }): TimelineEntryView => (isAboutDeadline(entry.type) ? { ...entry, aboutDeadline: true } : entry),
    ),
    ...(olderCursor ? { timelineCursor: olderCursor } : {}),
    allowedActions: allowedActions(caller, stored.case),
  };
}

/** The case, if the caller may see it; out of scope reads as absent: 404, never a hint that it exists. */
export async function visibleCase(deps: Pick<CoreDependencies, 'cases'>, caller: Caller, eventId: string): Promise<StoredCase> {
  const stored = await deps.cases.get(eventId);
  if (!stored || !canSeeCase(caller, stored.case)) throw notFound(`Event ${eventId} does not exist or is outside your units`);
  return stored;
}

/**
 * How long after its moment a change may still become readable in the change list: a transaction retried on conflicts
 * (seconds at most) and the index catching up (under a second, as a rule). A poll's next `changedSince` is this much
 * before its start, so a change that committed late is read by the next poll (and a recent one by two).
 */
export const CHANGE_SETTLE_SECONDS = 15;

/** The filters a "changed since" poll does not take: it lists every change of the unit, for the board to sort. */
const NOT_WITH_CHANGED_SINCE = ['mine', 'sort', 'status', 'stage', 'tier', 'overdue', 'from', 'to'] as const;

export async function listCases(
  deps: Pick<CoreDependencies, 'cases' | 'caseLists' | 'clock'>,
  caller: Caller,
  query: ListCasesInput,
): Promise<{ items: CaseView[]; nextCursor?: string; nextChangedSince?: string }> {
  if (query.changedSince) {
    const other = NOT_WITH_CHANGED_SINCE.find((field) => query[field] !== undefined);
    if (other)
      throw badRequest(`changedSince lists every change of the unit: not with ${other}`, [
        { field: other, message: 'not with changedSince' },
      ]);
  }
  if (query.limit > LIST_PAGE_MAX && query.sort !== 'urgency')
    throw badRequest(`limit is at most ${LIST_PAGE_MAX} (${URGENCY_PAGE_MAX} with sort=urgency)`, [
      { field: 'limit', message: `a decimal integer from 1 to ${LIST_PAGE_MAX}` },
    ]);
  if (query.mine) return listOwnCases(deps, caller, query);
  const unit = query.unit ?? onlyUnit(caller);
  if (caller.role !== 'department' && !canSeeUnit(caller, unit)) throw forbidden(`Unit ${unit} is outside your units`);
  if (caller.role === 'department' && !caller.units.some((scope) => unit.startsWith(scope)))
    throw forbidden(`Unit ${unit} is outside your units`);
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw badRequest('from must not be after to', [{ field: 'from', message: 'after to' }]);
  }
  if (query.changedSince) return listChangedCases(deps, caller, unit, query.changedSince, query);
  if (query.sort === 'urgency') {
    // The command center's view of a night: every open case, the most urgent first.
    if (query.status === 'closed') throw badRequest('sort=urgency lists open cases', [{ field: 'status', message: 'must be open' }]);
    const page = await deps.caseLists.mostUrgent(unit, query.limit, query.cursor);
    return {
      items: page.items.filter((theCase) => canSeeCase(caller, theCase)).map((theCase) => viewOf(theCase, caller)),
      nextCursor: page.nextCursor,
    };
  }
  const page = await deps.cases.list({
    unitPrefix: unit,
    status: query.status,
    stage: query.stage,
    tier: query.tier,
    overdue: query.overdue,
    from: query.from,
    to: query.to,
    limit: query.limit,
    cursor: query.cursor,
    ...(caller.role === 'department' ? { involvedDepartments: callerTeams(caller) } : {}),
  });
  return {
    items: page.items.filter((theCase) => canSeeCase(caller, theCase)).map((theCase) => viewOf(theCase, caller)),
    nextCursor: page.nextCursor,
  };
}

/**
 * A board's poll: the unit's cases changed since a moment, open or closed (a closed one leaves the board), that the
 * caller may see — a department's staff the cases their team handles or handled, as every list. The first page says
 * where the next poll starts.
 */
async function listChangedCases(
  deps: Pick<CoreDependencies, 'caseLists' | 'clock'>,
  caller: Caller,
  unit: string,
  since: string,
  query: Pick<ListCasesInput, 'limit' | 'cursor'>,
): Promise<{ items: CaseView[]; nextCursor?: string; nextChangedSince?: string }> {
  const startedAt = deps.clock.now().getTime();
  // A department's staff see their teams' cases: the list reads only those (not every case of the unit, then drops them).
  const page = await deps.caseLists.changedSince(unit, since, query.limit, query.cursor, callerTeams(caller));
  return {
    items: page.items.filter((theCase) => canSeeCase(caller, theCase)).map((theCase) => viewOf(theCase, caller)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    ...(query.cursor ? {} : { nextChangedSince: toLocalIso(new Date(startedAt - CHANGE_SETTLE_SECONDS * 1000 * deps.clock.scale)) }),
  };
}

/** 我的待办: the caller's open cases by deadline, from the handler index. */
async function listOwnCases(
  deps: Pick<CoreDependencies, 'caseLists'>,
  caller: Caller,
  query: ListCasesInput,
): Promise<{ items: CaseView[]; nextCursor?: string }> {
  const keys = handlerKeysOf(caller).filter((key) => !query.unit || key.includes(`#${query.unit}#`));
  if (keys.length === 0)
    throw badRequest(`A ${caller.role} has no cases of its own${query.unit ? ` in unit ${query.unit}` : ''}`, [
      { field: 'mine', message: 'no own cases' },
    ]);
  if (keys.length > 1)
    throw badRequest('unit is required with mine=true when your token covers several units', [{ field: 'unit', message: 'required' }]);
  const page = await deps.caseLists.openCasesOf(keys[0], query.limit, query.cursor);
  return { items: page.items.map((theCase) => viewOf(theCase, caller)), nextCursor: page.nextCursor };
}

/** The open-case lists the caller handles: a grid worker's own, a department team's, a station's or center's (leaders: the district's). */
function handlerKeysOf(caller: Caller): string[] {
  if (!mayDo(caller.role, 'handle')) return [];
  switch (caller.role) {
    case 'grid_worker':
      return caller.units.map((unit) => assigneeKey({ type: 'person', unit, id: caller.person }));
    case 'department': {
      const { department } = caller;
      if (!department) throw new BrokenInvariant(`Caller ${caller.person}'s department`, 'a department token is refused without one');
      return caller.units.map((unit) => assigneeKey({ type: 'department', unit, id: department }));
    }
    default:
      return caller.units.map((unit) => assigneeKey({ type: 'unit', unit, id: unit }));
  }
}

function onlyUnit(caller: Caller): string {
  if (caller.units.length === 1) return caller.units[0];
  throw badRequest('unit is required when your token covers several units', [{ field: 'unit', message: 'required' }]);
}

/** The case as its reporter sees it, having just reported it: what they sent, their phone theirs to see. */
export function reporterViewOf(theCase: Case, caller?: Caller): CaseView {
  return { ...viewOf(theCase, caller), ...(theCase.reporter ? { reporter: theCase.reporter } : {}) };
}

/** The reply shape of a case: internal fields dropped, the reporter's phone masked unless the caller needs it. */
export function viewOf(theCase: Case, caller?: Caller): CaseView {
  const view = Object.fromEntries(Object.entries(theCase).filter(([key]) => !(HIDDEN as readonly string[]).includes(key))) as CaseView;
  const handler = caller !== undefined && isHandler(caller, theCase.assignee);
  const shown = (reporter: Reporter): Reporter =>
    reporter.phone && !handler && caller?.phone !== reporter.phone ? { ...reporter, phone: maskPhone(reporter.phone) } : reporter;
  return {
    ...view,
    ...(theCase.reporter ? { reporter: shown(theCase.reporter) } : {}),
    ...(theCase.linkedReporters ? { linkedReporters: theCase.linkedReporters.map(shown) } : {}),
  };
}
