/**
 * Queues: what waits on the person signed in. A handler's own cases, soonest deadline first (GET /events?mine=true);
 * for a center, cases waiting to be dispatched, extension requests and verifications due; for a supervisor or leader,
 * overdue cases to nudge — those read from the open cases the board reads.
 */
import { useEffect, useState } from 'react';
import { api } from './api';
import { isOverdue } from './Board';
import { CaseTable } from './CaseTable';
import { useNow } from './clock';
import { POLL_MS, type OpenCases } from './open-cases';
import type { Reference } from './reference';
import type { Session } from './session';
import type { CasePage, CaseView, Role } from './types';

const HANDLERS: readonly Role[] = ['grid_worker', 'community_station', 'town_center', 'district_center', 'department', 'leader'];
const CENTERS: readonly Role[] = ['town_center', 'district_center'];
const APPROVERS: readonly Role[] = ['community_station', 'town_center', 'district_center', 'leader'];
const SUPERVISING: readonly Role[] = ['supervisor', 'leader', 'district_center'];

/** A street or district case its center holds: on the dispatch clock, or routed to the center itself. */
function waitsForDispatch(theCase: CaseView): boolean {
  return (
    theCase.clock?.kind === 'dispatch' || ((theCase.tier === 'town' || theCase.tier === 'district') && theCase.assignee?.type === 'unit')
  );
}

/** The caller's own open cases, read again every few seconds. */
function useMine(session: Session): { cases: CaseView[]; error?: string } {
  const [state, setState] = useState<{ cases: CaseView[]; error?: string }>({ cases: [] });
  const handles = HANDLERS.includes(session.role);
  const unit = session.units[0];
  useEffect(() => {
    if (!handles || !unit) return;
    const controller = new AbortController();
    const read = () =>
      api<CasePage>(`/events?mine=true&unit=${unit}&limit=100`, { signal: controller.signal })
        .then((page) => setState({ cases: page.items }))
        .catch((error: Error) => !controller.signal.aborted && setState((before) => ({ ...before, error: error.message })));
    read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [handles, unit]);
  return state;
}

function Queue({ name, title, cases, reference }: { name: string; title: string; cases: CaseView[]; reference: Reference }) {
  return (
    <section className="queue" data-queue={name}>
      <h2>
        {title} <span className="count">{cases.length}</span>
      </h2>
      {cases.length > 0 ? <CaseTable cases={cases} reference={reference} label={title} /> : <p className="empty">无 None</p>}
    </section>
  );
}

export function Queues({ open, reference, session }: { open: OpenCases; reference: Reference; session: Session }) {
  const mine = useMine(session);
  const now = useNow(5000);
  const role = session.role;
  return (
    <main className="queues">
      {mine.error && (
        <p className="error" role="alert">
          {mine.error}
        </p>
      )}
      {HANDLERS.includes(role) && <Queue name="mine" title="我的待办 My cases" cases={mine.cases} reference={reference} />}
      {CENTERS.includes(role) && (
        <Queue name="dispatch" title="待分派 Waiting to be dispatched" cases={open.cases.filter(waitsForDispatch)} reference={reference} />
      )}
      {APPROVERS.includes(role) && (
        <Queue
          name="extensions"
          title="延期申请 Extension requests"
          cases={open.cases.filter((theCase) => theCase.extension?.status === 'requested')}
          reference={reference}
        />
      )}
      {role === 'district_center' && (
        <Queue
          name="verifications"
          title="待核查 Verifications due"
          cases={open.cases.filter((theCase) => theCase.stage === 'verifying')}
          reference={reference}
        />
      )}
      {SUPERVISING.includes(role) && (
        <Queue
          name="nudge"
          title="超时待督办 Overdue, to nudge"
          cases={open.cases.filter((theCase) => isOverdue(theCase, now))}
          reference={reference}
        />
      )}
    </main>
  );
}
