/** The command center: sign in, then the board (#/), the queues (#/queues), the reports (#/reports), the patrols (#/patrols), the map (#/map) and a case (#/case/<id>). */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { api, onUnauthorized, setTokenRenewal } from './api';
import { Board } from './Board';
import { CasePage } from './CasePage';
import { ClockContext, policyClockOf, WALL_CLOCK } from './clock';
import type { HostedSession } from './hosted-sign-in';
import { both, ROLE_LABELS } from './labels';
import { useOpenCases } from './open-cases';
import { useReference } from './reference';
import { forgetToken, keepToken, type Session, storedSession } from './session';
import { Patrols } from './Patrols';
import { Queues } from './Queues';
import { Reports } from './Reports';
import { useSeenCases } from './seen-cases';
import { SignIn } from './SignIn';
import type { Health } from './types';

/** The map is loaded when first opened: the board's first paint does not wait for it. */
const MapPage = lazy(() => import('./map/MapPage'));

/** How often policy time is read again from /health (between readings the page carries it forward). */
const HEALTH_EVERY_MS = 60_000;

type Route =
  | { page: 'board' }
  | { page: 'queues' }
  | { page: 'reports' }
  | { page: 'patrols' }
  | { page: 'map' }
  | { page: 'case'; id: string };

function routeOf(hash: string): Route {
  const match = /^#\/case\/([A-Za-z0-9-]+)$/.exec(hash);
  if (match) return { page: 'case', id: match[1] };
  if (hash === '#/queues') return { page: 'queues' };
  if (hash === '#/patrols') return { page: 'patrols' };
  if (hash === '#/map') return { page: 'map' };
  // A report's own link (the "report ready" SMS): #/reports/<kind>/<unit>/<period> (Reports.tsx reads the rest).
  return hash === '#/reports' || hash.startsWith('#/reports/') ? { page: 'reports' } : { page: 'board' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function App({
  tokenFromAddress,
  hosted,
  resumed,
}: {
  tokenFromAddress?: string;
  /** The hosted sign-in, when the deployment has one (config.json). */
  hosted?: HostedSession;
  /** What the return from the hosted sign-in gave: a session, or why it failed. */
  resumed?: Session | { error: string };
}) {
  const [health, setHealth] = useState<{ health: Health; readAt: number }>();
  const [healthError, setHealthError] = useState<string>();
  const [session, setSession] = useState<Session | undefined>(() =>
    resumed && 'token' in resumed ? resumed : hosted ? undefined : storedSession(),
  );
  // A hosted sign-out leaves for the hosted logout once the refresh token is revoked; until then no sign-in is offered:
  // one started meanwhile would leave for the hosted page first, its session and the refresh token kept.
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    if (!hosted) return;
    setTokenRenewal(hosted.renew);
    const stop = hosted.onChange(setSession);
    return () => {
      setTokenRenewal(undefined);
      stop();
    };
  }, [hosted]);

  useEffect(() => {
    let first = true;
    const read = () =>
      api<Health>('/health')
        .then((reply) => {
          setHealth({ health: reply, readAt: Date.now() });
          setHealthError(undefined);
          // ?token= is for scripted checks of local mode only.
          if (first && tokenFromAddress && reply.mode === 'local') {
            const taken = keepToken(tokenFromAddress);
            if (taken) setSession(taken);
          }
          first = false;
        })
        .catch((error: Error) => setHealthError(error.message));
    read();
    const timer = setInterval(read, HEALTH_EVERY_MS);
    return () => clearInterval(timer);
  }, [tokenFromAddress]);

  useEffect(
    () =>
      onUnauthorized(() => {
        forgetToken();
        setSession(undefined);
      }),
    [],
  );

  const clock = useMemo(() => (health ? policyClockOf(health.health, health.readAt) : WALL_CLOCK), [health]);
  if (!health)
    return <main className="loading">{healthError ? `无法连接平台 Cannot reach the platform: ${healthError}` : '加载中 Loading…'}</main>;
  if (signingOut)
    return (
      <main className="loading" role="status">
        正在退出 Signing out…
      </main>
    );
  if (!session)
    return (
      <SignIn
        mode={health.health.mode}
        hosted={hosted}
        failure={resumed && 'error' in resumed ? resumed.error : undefined}
        onSignedIn={setSession}
      />
    );
  return (
    <ClockContext.Provider value={clock}>
      <SignedIn
        session={session}
        onSignOut={() => {
          setSession(undefined);
          if (!hosted) return forgetToken();
          setSigningOut(true);
          hosted.signOut().catch(() => setSigningOut(false));
        }}
      />
    </ClockContext.Provider>
  );
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const open = useOpenCases(session);
  const reference = useReference();
  const { seen, ready, markSeen } = useSeenCases(open.readAt);
  const alarms = ready ? open.cases.filter((each) => each.severity === 1 && !seen.has(each.id)) : [];
  const openedAlarm = route.page === 'case' && alarms.some((each) => each.id === route.id) ? route.id : undefined;
  useEffect(() => {
    if (openedAlarm) markSeen(openedAlarm);
  }, [openedAlarm, markSeen]);

  return (
    <div className="app">
      <header className="top">
        <a className="brand" href="#/">
          网格通指挥中心 <span>GridFlow command center</span>
        </a>
        <nav>
          <a href="#/" className={route.page === 'board' ? 'nav-link current' : 'nav-link'}>
            看板 Board
          </a>
          <a href="#/queues" className={route.page === 'queues' ? 'nav-link current' : 'nav-link'}>
            待办 Queues
          </a>
          <a href="#/reports" className={route.page === 'reports' ? 'nav-link current' : 'nav-link'}>
            报表 Reports
          </a>
          {session.role !== 'department' && (
            <a href="#/patrols" className={route.page === 'patrols' ? 'nav-link current' : 'nav-link'}>
              巡查 Patrols
            </a>
          )}
          <a href="#/map" className={route.page === 'map' ? 'nav-link current' : 'nav-link'}>
            地图 Map
          </a>
        </nav>
        <span className="who" data-testid="who">
          {session.name} · {both(ROLE_LABELS[session.role], session.role)}
          {session.department ? ` · ${reference.departmentName(session.department)}` : ''} ·{' '}
          {session.units.map(reference.unitName).join(', ')}
        </span>
        <button type="button" onClick={onSignOut}>
          退出 Sign out
        </button>
      </header>
      {alarms.length > 0 && (
        <div className="banner" role="alert" data-testid="level-one-banner">
          <strong>一级案件 Level-1 case{alarms.length > 1 ? `s (${alarms.length})` : ''}</strong>
          {alarms.slice(0, 3).map((each) => (
            <a key={each.id} href={`#/case/${each.id}`}>
              {each.id} {reference.itemName(each.itemCode)} · {reference.unitName(each.gridCode)} — 查看 Open
            </a>
          ))}
        </div>
      )}
      {route.page === 'case' && <CasePage id={route.id} reference={reference} onChanged={open.refresh} />}
      {route.page === 'queues' && <Queues open={open} reference={reference} session={session} />}
      {route.page === 'reports' && <Reports reference={reference} session={session} />}
      {route.page === 'patrols' && <Patrols reference={reference} session={session} />}
      {route.page === 'map' && (
        <Suspense fallback={<main className="loading">加载中 Loading…</main>}>
          <MapPage open={open} reference={reference} session={session} />
        </Suspense>
      )}
      {route.page === 'board' && <Board open={open} reference={reference} session={session} />}
    </div>
  );
}
