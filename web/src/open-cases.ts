/**
 * The caller's open cases, most urgent first (GET /events?sort=urgency), read again every few seconds while the page
 * is open. (A cheap "changed since" query is to replace the full read.)
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';
import type { Session } from './session';
import type { CasePage, CaseView } from './types';

export const POLL_MS = 5000;
/** Pages of 100 read at most each time (the board shows the most urgent first). */
const MAX_PAGES = 10;

export interface OpenCases {
  cases: CaseView[];
  /** Wall-clock ms of the last reading, or undefined before the first. */
  readAt?: number;
  error?: string;
  /** Read again now (after an action). */
  refresh(): void;
}

async function readOpenCases(unit: string, signal: AbortSignal): Promise<CaseView[]> {
  const cases: CaseView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ sort: 'urgency', unit, limit: '100', ...(cursor && { cursor }) });
    const reply = await api<CasePage>(`/events?${query}`, { signal });
    cases.push(...reply.items);
    cursor = reply.nextCursor;
    if (!cursor) break;
  }
  return cases;
}

export function useOpenCases(session: Session): OpenCases {
  const [state, setState] = useState<Omit<OpenCases, 'refresh'>>({ cases: [] });
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((value) => value + 1), []);
  const unit = session.units[0];
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the refresh request
  useEffect(() => {
    if (!unit) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      readOpenCases(unit, controller.signal)
        .then((cases) => setState({ cases, readAt: Date.now() }))
        .catch((error: Error) => {
          if (!controller.signal.aborted) setState((before) => ({ ...before, error: error.message }));
        })
        .finally(() => {
          if (!controller.signal.aborted) timer = setTimeout(read, POLL_MS);
        });
    };
    read();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [unit, tick]);
  return { ...state, refresh };
}

/** The level-1 cases this person has opened (kept on this browser): their banner is gone. */
export function seenLevelOne(person: string): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(`gridflow.seen.${person}`) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export function markSeen(person: string, id: string): void {
  const seen = seenLevelOne(person);
  if (seen.has(id)) return;
  seen.add(id);
  // The newest 500 are enough: a level-1 case is rare.
  localStorage.setItem(`gridflow.seen.${person}`, JSON.stringify([...seen].slice(-500)));
}
