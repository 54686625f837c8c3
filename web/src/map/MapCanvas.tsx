/**
 * The map's drawing: one SVG in Web Mercator (projection.ts) — a base map's tiles when there is one, the units'
 * polygons (grids filled by the heat layer), the day's patrol trails, and a marker for each open case with a place,
 * coloured by its clock's share of time left as the board colours it. Drag to pan, wheel or the buttons to zoom.
 */
import { type PointerEvent as ReactPointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import {
  type Box,
  boxOf,
  type Frame,
  frameOf,
  framed,
  type Geometry,
  pathOf,
  type Point,
  tilesFor,
  tileUrl,
  toLocal,
  zoomed,
} from './projection';

export interface Outline {
  type: 'Feature';
  properties: { code: string; name: string; level: 'district' | 'town' | 'community' | 'grid'; parent: string | null };
  geometry: Geometry;
}

export interface Marker {
  id: string;
  lat: number;
  lng: number;
  /** The board's colour class: ample, half, short, overdue, none. */
  urgency: string;
  /** A level-1 case: drawn larger. */
  levelOne: boolean;
  label: string;
}

export interface Trail {
  id: string;
  points: { lat: number; lng: number }[];
  label: string;
}

interface Props {
  outlines: Outline[];
  markers: Marker[];
  trails: Trail[];
  /** A grid's heat class (1–5) by its code; none drawn without a heat layer. */
  heat?: Map<string, number>;
  tileTemplate?: string;
  onHover(marker: Marker | undefined): void;
}

export function MapCanvas({ outlines, markers, trails, heat, tileTemplate, onHover }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState<{ width: number; height: number }>();
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setSize({ width: entry.contentRect.width, height: entry.contentRect.height }));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const grids = useMemo(() => outlines.filter((outline) => outline.properties.level === 'grid'), [outlines]);
  // The view opens on the grids (the finest units), else on whatever outlines there are.
  const extent = useMemo(() => boxOf((grids.length > 0 ? grids : outlines).map((outline) => outline.geometry)), [grids, outlines]);
  const frame = useMemo<Frame | undefined>(() => extent && frameOf(extent), [extent]);
  const home = useMemo(() => {
    if (!extent || !frame || !size || size.width === 0 || size.height === 0) return undefined;
    const local = { x: 0, y: 0, width: extent.width * frame.scale, height: extent.height * frame.scale };
    return framed(local, size.width, size.height);
  }, [extent, frame, size]);
  const [view, setView] = useState<Box>();
  useEffect(() => setView(home), [home]);

  const paths = useMemo(
    () => (frame ? outlines.map((outline) => ({ outline, d: pathOf(outline.geometry, frame) })) : []),
    [outlines, frame],
  );

  // The wheel zooms about the pointer (a listener of our own: React's wheel listener may not prevent scrolling).
  useEffect(() => {
    const element = svg.current;
    if (!element || !view || !size) return;
    const wheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const at: Point = [
        view.x + ((event.clientX - rect.left) / rect.width) * view.width,
        view.y + ((event.clientY - rect.top) / rect.height) * view.height,
      ];
      setView(zoomed(view, event.deltaY < 0 ? 1.25 : 0.8, at));
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => element.removeEventListener('wheel', wheel);
  }, [view, size]);

  const drag = useRef<{ x: number; y: number; view: Box }>(undefined);
  const pointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (!view || (event.target as Element).closest('a')) return;
    drag.current = { x: event.clientX, y: event.clientY, view };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const pointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    const start = drag.current;
    if (!start || !size) return;
    const perPixel = start.view.width / size.width;
    setView({
      ...start.view,
      x: start.view.x - (event.clientX - start.x) * perPixel,
      y: start.view.y - (event.clientY - start.y) * perPixel,
    });
  };
  const pointerUp = () => {
    drag.current = undefined;
  };

  if (!frame || !view || !size) return <div className="map-canvas" ref={holder} />;
  // Sizes on screen, whatever the zoom: a marker's radius, a label's letters.
  const perPixel = view.width / size.width;
  const tiles = tileTemplate ? tilesFor(view, frame, size.width) : [];
  const center = ([lng, lat]: [number, number]) => toLocal(frame, lng, lat);
  const zoomBy = (factor: number) => setView(zoomed(view, factor, [view.x + view.width / 2, view.y + view.height / 2]));

  return (
    <div className="map-canvas" ref={holder}>
      <svg
        ref={svg}
        width={size.width}
        height={size.height}
        viewBox={`${view.x} ${view.y} ${view.width} ${view.height}`}
        aria-label="网格地图 Map of the grids"
        onPointerDown={pointerDown}
        onPointerMove={pointerMove}
        onPointerUp={pointerUp}
        onPointerCancel={pointerUp}
      >
        {tiles.length > 0 && tileTemplate && (
          <g className="tiles">
            {tiles.map((tile) => (
              <image
                key={`${tile.z}/${tile.x}/${tile.y}`}
                data-tile={`${tile.z}/${tile.x}/${tile.y}`}
                href={tileUrl(tileTemplate, tile)}
                x={tile.at.x}
                y={tile.at.y}
                width={tile.at.width}
                height={tile.at.height}
                preserveAspectRatio="none"
              />
            ))}
          </g>
        )}
        <g className={tiles.length > 0 ? 'units over-tiles' : 'units'}>
          {paths.map(({ outline, d }) => {
            const { code, level } = outline.properties;
            const hot = level === 'grid' ? heat?.get(code) : undefined;
            return (
              <path
                key={code}
                d={d}
                fillRule="evenodd"
                vectorEffect="non-scaling-stroke"
                className={`unit ${level}${hot ? ` heat-${hot}` : ''}`}
                {...(level === 'grid' ? { 'data-grid': code } : { 'data-unit': code })}
              />
            );
          })}
        </g>
        {grids.length <= 200 && (
          <g className="labels" fontSize={12 * perPixel}>
            {grids.map((grid) => {
              const box = boxOf([grid.geometry]);
              if (!box) return null;
              const middle = toLocalBoxCenter(box, frame);
              return (
                <text key={grid.properties.code} x={middle[0]} y={middle[1]} textAnchor="middle">
                  {grid.properties.name}
                </text>
              );
            })}
          </g>
        )}
        <g className="trails">
          {trails.map((trail) => (
            <polyline
              key={trail.id}
              data-trail={trail.id}
              vectorEffect="non-scaling-stroke"
              points={trail.points.map((point) => center([point.lng, point.lat]).join(',')).join(' ')}
            >
              <title>{trail.label}</title>
            </polyline>
          ))}
        </g>
        <g className="markers">
          {markers.map((marker) => {
            const [x, y] = center([marker.lng, marker.lat]);
            return (
              <a
                key={marker.id}
                href={`#/case/${marker.id}`}
                data-case={marker.id}
                aria-label={marker.label}
                onPointerEnter={() => onHover(marker)}
                onPointerLeave={() => onHover(undefined)}
                onFocus={() => onHover(marker)}
                onBlur={() => onHover(undefined)}
              >
                <circle
                  cx={x}
                  cy={y}
                  r={(marker.levelOne ? 9 : 6) * perPixel}
                  className={`marker ${marker.urgency}`}
                  vectorEffect="non-scaling-stroke"
                />
              </a>
            );
          })}
        </g>
      </svg>
      <div className="map-zoom">
        <button type="button" aria-label="放大 Zoom in" onClick={() => zoomBy(1.5)}>
          +
        </button>
        <button type="button" aria-label="缩小 Zoom out" onClick={() => zoomBy(1 / 1.5)}>
          −
        </button>
        <button type="button" aria-label="复位 Reset the view" onClick={() => setView(home)}>
          ⌂
        </button>
      </div>
    </div>
  );
}

/** The middle of a box of world units, in the frame's units. */
function toLocalBoxCenter(box: Box, frame: Frame): Point {
  return [(box.x + box.width / 2 - frame.x) * frame.scale, (box.y + box.height / 2 - frame.y) * frame.scale];
}
