/**
 * Unit boundaries: GeoJSON Polygon or MultiPolygon in WGS84 ([longitude, latitude]). Whether one is well formed
 * (closed rings, coordinates on the globe) and how much two overlap, in square metres — polygon-clipping
 * intersects, @turf/area measures on the sphere. Only the reference administration imports this module, so only
 * its Lambda bundles the geometry.
 */
import polygonClipping from 'polygon-clipping';
import area from '@turf/area';

type Position = [number, number];
export type Boundary = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** Overlaps up to this area are drawing noise, not two units claiming the same ground. */
export const OVERLAP_TOLERANCE_M2 = 5;

/** A problem with one part of a boundary: the path below the boundary (`coordinates[0][3]`) and what is wrong. */
export interface BoundaryProblem {
  at: string;
  message: string;
}

/** What is wrong with a boundary as GeoJSON, or nothing. */
export function boundaryProblems(value: unknown): BoundaryProblem[] {
  if (typeof value !== 'object' || value === null) return [{ at: '', message: 'must be a GeoJSON Polygon or MultiPolygon' }];
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') return [{ at: '.type', message: 'must be "Polygon" or "MultiPolygon"' }];
  if (!Array.isArray(coordinates) || coordinates.length === 0) return [{ at: '.coordinates', message: 'must be a non-empty array' }];
  const polygons = type === 'Polygon' ? [[coordinates, '.coordinates']] : coordinates.map((polygon, i) => [polygon, `.coordinates[${i}]`]);
  const problems: BoundaryProblem[] = [];
  for (const [polygon, at] of polygons as [unknown, string][]) {
    if (!Array.isArray(polygon) || polygon.length === 0) {
      problems.push({ at, message: 'a polygon must be a non-empty array of rings' });
      continue;
    }
    polygon.forEach((ring, r) => {
      const problem = ringProblem(ring);
      if (problem) problems.push({ at: `${at}[${r}]`, message: problem });
    });
  }
  return problems;
}

function ringProblem(ring: unknown): string | undefined {
  if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least 4 positions (the first repeated last)';
  for (const position of ring) {
    if (!Array.isArray(position) || position.length < 2 || !position.every((n) => typeof n === 'number' && Number.isFinite(n)))
      return 'each position must be [longitude, latitude]';
    const [lng, lat] = position as number[];
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) return `[${lng}, ${lat}] is not a WGS84 longitude and latitude`;
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return 'the ring is not closed: its last position must repeat its first';
  return undefined;
}

/** The area two well-formed boundaries share, in square metres (0 when they only touch along an edge). */
export function overlapSquareMetres(a: Boundary, b: Boundary): number {
  if (!boxesMeet(box(a), box(b))) return 0;
  const shared = polygonClipping.intersection(a.coordinates as never, b.coordinates as never);
  return shared.length === 0 ? 0 : area({ type: 'MultiPolygon', coordinates: shared });
}

type Box = [number, number, number, number];

function box(boundary: Boundary): Box {
  const result: Box = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const rings = boundary.type === 'Polygon' ? boundary.coordinates : boundary.coordinates.flat();
  for (const ring of rings)
    for (const [lng, lat] of ring) {
      result[0] = Math.min(result[0], lng);
      result[1] = Math.min(result[1], lat);
      result[2] = Math.max(result[2], lng);
      result[3] = Math.max(result[3], lat);
    }
  return result;
}

function boxesMeet(a: Box, b: Box): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}
