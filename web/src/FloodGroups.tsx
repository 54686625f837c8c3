/**
 * Flood mode (汛期模式): the open cases that are likely the same matter — a report's `possibleDuplicates`, the same
 * item near it within hours — grouped, the earliest first; one click links the rest of a group to it (link_duplicate:
 * each follows the first, closed there, its reporter told with the first's).
 */
import { useState } from 'react';
import { api, ApiError } from './api';
import type { Reference } from './reference';
import type { CaseView } from './types';

/** Groups of two or more open cases joined by their possible duplicates, each earliest first; largest groups first. */
export function duplicateGroups(cases: CaseView[]): CaseView[][] {
  const byId = new Map(cases.map((theCase) => [theCase.id, theCase]));
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    const up = parent.get(id);
    if (!up || up === id) return id;
    const top = root(up);
    parent.set(id, top);
    return top;
  };
  for (const theCase of cases)
    for (const other of theCase.possibleDuplicates ?? []) if (byId.has(other)) parent.set(root(theCase.id), root(other));
  const groups = new Map<string, CaseView[]>();
  for (const theCase of cases) groups.set(root(theCase.id), [...(groups.get(root(theCase.id)) ?? []), theCase]);
  return [...groups.values()]
    .filter((group) => group.length > 1)
    .map((group) => group.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)))
    .sort((a, b) => b.length - a.length);
}

export function FloodGroups({ cases, reference, onLinked }: { cases: CaseView[]; reference: Reference; onLinked: () => void }) {
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const groups = duplicateGroups(cases);

  const link = async (group: CaseView[]) => {
    const [first, ...rest] = group;
    setBusy(first.id);
    setProblem(undefined);
    try {
      for (const theCase of rest)
        await api(`/events/${encodeURIComponent(theCase.id)}/actions`, {
          method: 'POST',
          body: { action: 'link_duplicate', duplicateOf: first.id, note: '汛期合并重复件 flood mode: the same matter' },
        });
    } catch (failure) {
      setProblem(failure instanceof ApiError ? `${failure.status} ${failure.message}` : String(failure));
    } finally {
      setBusy(undefined);
      onLinked();
    }
  };

  return (
    <section className="flood" aria-label="likely duplicates" data-testid="flood-groups">
      <h2>
        疑似重复 Likely duplicates <span className="count">{groups.length}</span>
      </h2>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {groups.length === 0 && <p className="empty">无 None</p>}
      {groups.map((group) => (
        <div key={group[0].id} className="group" data-group={group[0].id}>
          <span>
            {reference.itemName(group[0].itemCode)} · {reference.unitName(group[0].gridCode)} · {group.length} 件 reports:{' '}
            {group.map((theCase) => (
              <a key={theCase.id} href={`#/case/${theCase.id}`} data-member={theCase.id}>
                {theCase.id}{' '}
              </a>
            ))}
          </span>
          <button type="button" disabled={busy !== undefined} data-link-group={group[0].id} onClick={() => link(group)}>
            合并到 {group[0].id} Link {group.length - 1} as duplicates
          </button>
        </div>
      ))}
    </section>
  );
}
