/**
 * The cases this person has opened (GET /me/seen), kept by the platform so that a level-1 banner goes for the person on
 * every screen they sign in on once they open the case there (POST /events/{id}/seen).
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';

export interface SeenCases {
  seen: ReadonlySet<string>;
  /** False until the first reading has answered (or failed): a banner the person has dismissed elsewhere does not flash. */
  ready: boolean;
  /** Records the opening of a case (the banner goes at once here, and on other screens at their next reading). */
  markSeen(id: string): void;
}

/** Read again whenever `readAt` changes (the board's readings), so another screen's opening shows here too. */
export function useSeenCases(readAt: number | undefined): SeenCases {
  const [seen, setSeen] = useState<ReadonlySet<string>>(new Set());
  const [ready, setReady] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: readAt is the reading to follow
  useEffect(() => {
    const controller = new AbortController();
    api<{ cases: { id: string }[] }>('/me/seen', { signal: controller.signal })
      .then((reply) => setSeen(new Set(reply.cases.map((each) => each.id))))
      // The next reading tries again; meanwhile a level-1 case shows its banner rather than none.
      .catch(() => undefined)
      .finally(() => {
        if (!controller.signal.aborted) setReady(true);
      });
    return () => controller.abort();
  }, [readAt]);
  const markSeen = useCallback((id: string) => {
    setSeen((before) => new Set([...before, id]));
    api(`/events/${encodeURIComponent(id)}/seen`, { method: 'POST' }).catch(() => undefined);
  }, []);
  return { seen, ready, markSeen };
}
