/**
 * The caller's open cases, most urgent first: read whole once (GET /events?sort=urgency, page after page, shown as
 * they come), then kept by polling what changed (GET /events?changedSince=…) every few seconds — a changed case
 * replaces its row, a closed one leaves. The poll starts where the server said before the full read began, so
 * nothing that changed during it is missed.
 */
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { ClockContext } from './clock';
import { POLL_MS } from './polling';
import type { Session } from './session';
import type { CasePage, CaseView } from './types';

/** Other pages poll at the board's pace. */
export { POLL_MS };

/** The most a page holds (the API's limit). */
const PAGE = 100;
/** The full read's pages: the urgency list takes bigger ones (fewer round trips for a big district). */
const FULL_READ_PAGE = 500;

export interface OpenCases {
  cases: CaseView[];
  /** Wall-clock ms of the last reading, or undefined before the first page. */
  readAt?: number;
  /** The full read is still going on (the counts are of the cases read so far). */
  loading?: boolean;
  error?: string;
  /** Read what changed now (after an action). */
  refresh(): void;
}

/** A page of changes, with where the next poll starts (its first page only). */
type ChangePage = CasePage & { nextChangedSince?: string };

/** The order of the urgency list (the byUrgency index's): level 1 first, then the least time left, then the id. */
export function urgencyKey(theCase: Pick<CaseView, 'severity' | 'deadlineAt' | 'id'>): string {
  return `${theCase.severity}#${theCase.deadlineAt ?? '9999'}#${theCase.id}`;
}

function sortedByUrgency(cases: Iterable<CaseView>): CaseView[] {
  return [...cases]
    .map((theCase) => ({ key: urgencyKey(theCase), theCase }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.theCase);
}

/** Every change since `since`, page after page: the cases and where the next poll starts. */
async function readChanges(unit: string, since: string, signal: AbortSignal): Promise<{ changed: CaseView[]; next: string }> {
  const changed: CaseView[] = [];
  let next = since;
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ unit, changedSince: since, limit: String(PAGE), ...(cursor && { cursor }) });
    const reply = await api<ChangePage>(`/events?${query}`, { signal });
    if (reply.nextChangedSince) next = reply.nextChangedSince;
    changed.push(...reply.items);
    cursor = reply.nextCursor;
  } while (cursor);
  return { changed, next };
}

/**
 * Where a poll starting now starts: the first page's `nextChangedSince` of a poll from about now (one case at most:
 * should this page's clock be behind the platform's, the changes since then are not read for nothing).
 */
async function pollStart(unit: string, now: string, signal: AbortSignal): Promise<string> {
  const query = new URLSearchParams({ unit, changedSince: now, limit: '1' });
  const reply = await api<ChangePage>(`/events?${query}`, { signal });
  if (!reply.nextChangedSince) throw new Error('GET /events?changedSince gave no nextChangedSince');
  return reply.nextChangedSince;
}

export function useOpenCases(session: Session): OpenCases {
  const clock = useContext(ClockContext);
  const [state, setState] = useState<Omit<OpenCases, 'refresh'>>({ cases: [] });
  const pollNow = useRef<() => void>(() => {});
  const refresh = useCallback(() => pollNow.current(), []);
  const unit = session.units[0];
  // biome-ignore lint/correctness/useExhaustiveDependencies: the clock only dates the first mark; a new reading of it changes nothing here
  useEffect(() => {
    if (!unit) return;
    const controller = new AbortController();
    const { signal } = controller;
    const byId = new Map<string, CaseView>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polling = false;
    const show = (loading: boolean) => setState({ cases: sortedByUrgency(byId.values()), readAt: Date.now(), loading });
    const failed = (error: Error) => {
      if (!signal.aborted) setState((before) => ({ ...before, error: error.message }));
    };

    const poll = async (since: string) => {
      clearTimeout(timer);
      polling = true;
      let next = since;
      try {
        const { changed, next: after } = await readChanges(unit, since, signal);
        next = after;
        for (const theCase of changed) {
          if (theCase.status === 'open') byId.set(theCase.id, theCase);
          else byId.delete(theCase.id);
        }
        show(false);
      } catch (error) {
        failed(error as Error);
      } finally {
        polling = false;
        if (!signal.aborted) {
          timer = setTimeout(() => void poll(next), POLL_MS);
          pollNow.current = () => {
            if (!polling) void poll(next);
          };
        }
      }
    };

    const start = async () => {
      try {
        // Where a poll starting now would start: asked before the full read, so what changes during it is polled.
        const mark = await pollStart(unit, new Date(clock.now()).toISOString(), signal);
        let cursor: string | undefined;
        do {
          const query = new URLSearchParams({ sort: 'urgency', unit, limit: String(FULL_READ_PAGE), ...(cursor && { cursor }) });
          const reply = await api<CasePage>(`/events?${query}`, { signal });
          for (const theCase of reply.items) byId.set(theCase.id, theCase);
          cursor = reply.nextCursor;
          show(cursor !== undefined);
        } while (cursor);
        await poll(mark);
      } catch (error) {
        failed(error as Error);
        // Begin again after a pause: the full read is what the polls build on.
        if (!signal.aborted) timer = setTimeout(() => void start(), POLL_MS);
      }
    };
    void start();
    return () => {
      controller.abort();
      clearTimeout(timer);
      pollNow.current = () => {};
    };
  }, [unit]);
  return { ...state, refresh };
}
