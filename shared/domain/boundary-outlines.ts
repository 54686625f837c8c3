/**
 * Boundaries as a map draws them (GET /boundaries): coordinates rounded to 6 decimals (about 0.1 m) and each ring
 * thinned by Douglas–Peucker to within about a metre, so a district surveyed to the centimetre with hundreds of
 * vertices a grid is sent in a fraction of its size. Pure: no geometry library (those stay in the reference
 * administration's bundle, boundaries.ts).
 */
import type { Boundary } from './boundaries';

type Position = [number, number];

/** How far (in degrees; 1e-5° is about 1.1 m of latitude) a thinned ring may stray from the surveyed one. */
export const OUTLINE_TOLERANCE_DEGREES = 1e-5;

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** The boundary rounded and thinned; a ring that would thin below a triangle is kept whole (rounded). */
export function outlineOf(boundary: Boundary, tolerance = OUTLINE_TOLERANCE_DEGREES): Boundary {
  const polygon = (rings: Position[][]) => rings.map((ring) => thinRing(ring, tolerance));
  return boundary.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(boundary.coordinates) }
    : { type: 'MultiPolygon', coordinates: boundary.coordinates.map(polygon) };
}

function thinRing(ring: Position[], tolerance: number): Position[] {
  const rounded: Position[] = [];
  for (const [lng, lat] of ring) {
    const point: Position = [round6(lng), round6(lat)];
    const last = rounded[rounded.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) rounded.push(point);
  }
  // A closed ring repeats its first position last: thinned as a path from the first back to it, split at the vertex
  // farthest from the first (a path whose ends meet has no chord to measure from).
  const far = farthestFrom(rounded, 0);
  const thinned = [...simplify(rounded.slice(0, far + 1), tolerance).slice(0, -1), ...simplify(rounded.slice(far), tolerance)];
  return thinned.length >= 4 ? thinned : rounded;
}

function farthestFrom(points: Position[], index: number): number {
  let best = index;
  let bestDistance = -1;
  points.forEach(([x, y], i) => {
    const distance = (x - points[index][0]) ** 2 + (y - points[index][1]) ** 2;
    if (distance > bestDistance) [best, bestDistance] = [i, distance];
  });
  return best;
}

/** Douglas–Peucker on an open path: its ends kept, and every vertex farther than `tolerance` from the chord between kept ones. */
function simplify(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points;
  const keep = new Array<boolean>(points.length).fill(false);
  keep[0] = true;
  keep[points.length - 1] = true;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    let farthest = -1;
    let farthestDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const distance = distanceToSegment(points[i], points[first], points[last]);
      if (distance > farthestDistance) [farthest, farthestDistance] = [i, distance];
    }
    if (farthest < 0) continue;
    keep[farthest] = true;
    stack.push([first, farthest], [farthest, last]);
  }
  return points.filter((_, i) => keep[i]);
}

function distanceToSegment([x, y]: Position, [x1, y1]: Position, [x2, y2]: Position): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length2));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}
