/**
 * Rectangles on the map (WGS84 degrees) and how a generated district cuts them: a unit's rectangle into a lattice of
 * its children's, so that the children tile it — no gap, no overlap. Every edge is computed once from the parent's
 * edges and rounded to 7 decimals (about 1 cm), so two neighbours share an edge to the last digit.
 */
import type { Boundary } from '../../shared/domain/boundaries';

export interface Rect {
  west: number;
  south: number;
  east: number;
  north: number;
}

const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

/** The i-th of n edges from `from` to `to` (0 and n are the ends themselves). */
function edge(from: number, to: number, i: number, n: number): number {
  if (i === 0) return from;
  if (i === n) return to;
  return round7(from + ((to - from) * i) / n);
}

/**
 * `count` rectangles tiling `rect`: rows of ⌈√count⌉ cells from the north-west, row by row; the southmost row holds
 * what is left, its cells wider.
 */
export function splitRect(rect: Rect, count: number): Rect[] {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const cells: Rect[] = [];
  for (let row = 0; row < rows; row++) {
    const inRow = row === rows - 1 ? count - columns * (rows - 1) : columns;
    const north = edge(rect.north, rect.south, row, rows);
    const south = edge(rect.north, rect.south, row + 1, rows);
    for (let column = 0; column < inRow; column++)
      cells.push({ west: edge(rect.west, rect.east, column, inRow), east: edge(rect.west, rect.east, column + 1, inRow), south, north });
  }
  return cells;
}

/** The cells between given edges: `lngs` west to east, `lats` north to south; row by row from the north-west. */
export function cellsBetween(lngs: number[], lats: number[]): Rect[] {
  const cells: Rect[] = [];
  for (let row = 0; row + 1 < lats.length; row++)
    for (let column = 0; column + 1 < lngs.length; column++)
      cells.push({ west: lngs[column], east: lngs[column + 1], north: lats[row], south: lats[row + 1] });
  return cells;
}

/** The rectangle as a GeoJSON Polygon, its ring counter-clockwise and closed (RFC 7946). */
export function polygonOf(rect: Rect): Boundary {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [rect.west, rect.south],
        [rect.east, rect.south],
        [rect.east, rect.north],
        [rect.west, rect.north],
        [rect.west, rect.south],
      ],
    ],
  };
}
