/**
 * The map (#/map, loaded when first opened): a unit's grids as polygons (GET /boundaries), its open cases as markers
 * coloured by urgency as the board colours them (the board's reading), a heat layer of the cases reported in a
 * period, of one class or item, counted per grid (GET /events?from=&to=), and a day's patrol trails (GET /patrols).
 * Hovering or focusing a marker shows the case; clicking opens it.
 */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { useNow } from '../clock';
import { shareLeft, urgencyOf } from '../Countdown';
import { both, TIER_LABELS } from '../labels';
import type { OpenCases } from '../open-cases';
import type { Reference } from '../reference';
import type { Session } from '../session';
import type { CasePage } from '../types';
import { baseMapTemplate } from './base-map';
import './map.css';
import { type Marker, MapCanvas, type Outline, type Trail } from './MapCanvas';
import { UnitPicker, useUnitsInScope } from '../UnitPicker';

/** Pages of 100 the heat layer reads at most: the first 2,000 cases of the period. */
const HEAT_PAGES = 20;
const HEAT_CLASSES = 5;

interface PatrolDay {
  patrols: { id: string; unitName: string; at: string; by: { name: string }; points: { lat: number; lng: number }[] }[];
}

/** A day in Beijing, YYYY-MM-DD, `daysBack` before the policy time `now`. */
const beijingDay = (now: number, daysBack = 0) => new Date(now + 8 * 3600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);

const failure = (error: unknown) => (error instanceof ApiError ? error.message : String(error));

export function MapPage({ open, reference, session }: { open: OpenCases; reference: Reference; session: Session }) {
  const now = useNow(5000);
  const [unit, setUnit] = useState(session.units[0] ?? '');
  const [outlines, setOutlines] = useState<Outline[]>();
  const [error, setError] = useState<string>();
  const [tileTemplate, setTileTemplate] = useState<string>();
  const [hovered, setHovered] = useState<Marker>();
  const [showMarkers, setShowMarkers] = useState(true);
  const mayPatrol = session.role !== 'department';
  const [trailDay, setTrailDay] = useState<string | undefined>(() => (mayPatrol ? beijingDay(now) : undefined));
  const [trails, setTrails] = useState<Trail[]>([]);
  const [heatAsked, setHeatAsked] = useState<{ matter: string; from: string; to: string }>();
  const [heat, setHeat] = useState<{ counts: Map<string, number>; cases: number; capped: boolean }>();

  const units = useUnitsInScope(reference, session);

  useEffect(() => {
    baseMapTemplate().then(setTileTemplate);
  }, []);

  useEffect(() => {
    if (!unit) return;
    setOutlines(undefined);
    api<{ features: Outline[] }>(`/boundaries?${new URLSearchParams({ unit })}`)
      .then((reply) => setOutlines(reply.features))
      .catch((reason) => setError(failure(reason)));
  }, [unit]);

  useEffect(() => {
    if (!unit || !trailDay) return setTrails([]);
    api<PatrolDay>(`/patrols?${new URLSearchParams({ unit, day: trailDay, limit: '200' })}`)
      .then((day) =>
        setTrails(
          day.patrols
            .filter((patrol) => patrol.points.length > 0)
            .map((patrol) => ({ id: patrol.id, points: patrol.points, label: `${patrol.by.name} · ${patrol.unitName}` })),
        ),
      )
      .catch((reason) => setError(failure(reason)));
  }, [unit, trailDay]);

  useEffect(() => {
    if (!unit || !heatAsked) return setHeat(undefined);
    const controller = new AbortController();
    readHeat(unit, heatAsked, controller.signal)
      .then(setHeat)
      .catch((reason) => controller.signal.aborted || setError(failure(reason)));
    return () => controller.abort();
  }, [unit, heatAsked]);

  const markers: Marker[] = open.cases
    .filter((theCase) => theCase.location && theCase.gridCode.startsWith(unit))
    .map((theCase) => ({
      id: theCase.id,
      lat: theCase.location?.lat ?? 0,
      lng: theCase.location?.lng ?? 0,
      urgency: urgencyOf(shareLeft(theCase, now)),
      levelOne: theCase.severity === 1,
      label: `${theCase.id} ${reference.itemName(theCase.itemCode)} · ${reference.unitName(theCase.gridCode)} · ${both(TIER_LABELS[theCase.tier], theCase.tier)}`,
    }));
  const withoutPlace = open.cases.filter((theCase) => !theCase.location && theCase.gridCode.startsWith(unit)).length;
  const heatClasses = useMemo(() => {
    if (!heat) return undefined;
    const most = Math.max(0, ...heat.counts.values());
    return new Map([...heat.counts].map(([grid, count]) => [grid, Math.max(1, Math.ceil((count / most) * HEAT_CLASSES))]));
  }, [heat]);

  const askHeat = (submitted: FormEvent<HTMLFormElement>) => {
    submitted.preventDefault();
    const form = new FormData(submitted.currentTarget);
    setHeatAsked({ matter: String(form.get('matter') ?? ''), from: String(form.get('from')), to: String(form.get('to')) });
  };

  return (
    <main className="map">
      <section className="filters" aria-label="地图图层 Map layers">
        <UnitPicker units={units} unit={unit} onChange={setUnit} />
        <label className="check">
          <input type="checkbox" name="markers" checked={showMarkers} onChange={(change) => setShowMarkers(change.target.checked)} />
          案件 Open cases ({markers.length})
        </label>
        {mayPatrol && (
          <label>
            巡查轨迹 Patrol trails
            <input
              type="date"
              name="trail-day"
              value={trailDay ?? ''}
              onChange={(change) => setTrailDay(change.target.value || undefined)}
            />
          </label>
        )}
      </section>
      <form className="filters heat-form" aria-label="热力图 Heat layer" onSubmit={askHeat}>
        <label>
          热力 Heat: 类别 Class or item
          <select name="matter" defaultValue="">
            <option value="">全部 All</option>
            {reference.classes.map((entry) => [
              <option key={entry.code} value={entry.code}>
                {entry.code} {entry.name}
              </option>,
              ...entry.items.map((item) => (
                <option key={item.code} value={item.code}>
                  {'\u3000'}
                  {item.code} {item.name}
                </option>
              )),
            ])}
          </select>
        </label>
        <label>
          从 From
          <input type="date" name="from" defaultValue={beijingDay(now, 29)} required />
        </label>
        <label>
          到 To
          <input type="date" name="to" defaultValue={beijingDay(now)} required />
        </label>
        <button type="submit">显示热力 Show heat</button>
        {heat && (
          <button type="button" onClick={() => setHeatAsked(undefined)}>
            关闭热力 Hide heat
          </button>
        )}
        {heat && (
          <span className="heat-note" data-testid="heat-note">
            {heat.cases} 件 cases{heat.capped ? ` (${HEAT_PAGES * 100}+: the first ${HEAT_PAGES * 100})` : ''}
          </span>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="map-body">
        {outlines ? (
          outlines.length > 0 ? (
            <MapCanvas
              outlines={outlines}
              markers={showMarkers ? markers : []}
              trails={trails}
              heat={heatClasses}
              tileTemplate={tileTemplate}
              onHover={setHovered}
            />
          ) : (
            <p className="empty">这些单位没有边界 No boundaries for these units</p>
          )
        ) : (
          <p className="empty">加载中 Loading…</p>
        )}
        <aside className="map-side" aria-label="图例 Legend">
          <div className="hovered" data-testid="hovered" aria-live="polite">
            {hovered ? hovered.label : '指向标记查看案件 Point at a marker to see its case'}
          </div>
          <h2>图例 Legend</h2>
          <ul className="legend">
            <li>
              <span className="swatch ample" /> 过半 More than half the time left
            </li>
            <li>
              <span className="swatch half" /> 不足一半 Under half
            </li>
            <li>
              <span className="swatch short" /> 不足四分之一 Under a quarter
            </li>
            <li>
              <span className="swatch overdue" /> 超时 Overdue
            </li>
            <li>
              <span className="swatch level-one" /> 一级案件 Level-1 case (larger)
            </li>
            <li>
              <span className="swatch trail" /> 巡查轨迹 Patrol trail ({trails.length})
            </li>
            {heat && (
              <li>
                <span className="swatch heat-5" /> 热力 Heat: 每格 reports a grid, 1–{Math.max(0, ...heat.counts.values())}
              </li>
            )}
          </ul>
          {withoutPlace > 0 && <p className="muted">{withoutPlace} 件无位置 cases without a place (not on the map)</p>}
        </aside>
      </div>
    </main>
  );
}

/** The cases reported in the period (all stages), of a class or item, counted per grid. */
async function readHeat(
  unit: string,
  asked: { matter: string; from: string; to: string },
  signal: AbortSignal,
): Promise<{ counts: Map<string, number>; cases: number; capped: boolean }> {
  const counts = new Map<string, number>();
  let cases = 0;
  let cursor: string | undefined;
  for (let page = 0; page < HEAT_PAGES; page++) {
    const query = new URLSearchParams({
      unit,
      from: `${asked.from}T00:00:00+08:00`,
      to: `${asked.to}T23:59:59+08:00`,
      limit: '100',
      ...(cursor && { cursor }),
    });
    const reply = await api<CasePage>(`/events?${query}`, { signal });
    for (const theCase of reply.items) {
      if (asked.matter && theCase.itemCode !== asked.matter && theCase.classCode !== asked.matter) continue;
      cases += 1;
      counts.set(theCase.gridCode, (counts.get(theCase.gridCode) ?? 0) + 1);
    }
    cursor = reply.nextCursor;
    if (!cursor) return { counts, cases, capped: false };
  }
  return { counts, cases, capped: true };
}

export default MapPage;
