/**
 * The map's outlines (GET /boundaries, shared/domain/boundary-outlines.ts): rounded to 6 decimals, thinned to within
 * about a metre, closed rings kept closed; what a caller gets is their units' only; and how large the 2,434-grid
 * generated district's outlines are.
 */
import { gzipSync } from 'node:zlib';
import { GENERATED_GRIDS, generatedDistrict } from '../../bin/district/generated-district';
import { boundariesUnder } from '../../shared/core/unit-views';
import type { Boundary } from '../../shared/domain/boundaries';
import { OUTLINE_TOLERANCE_DEGREES, outlineOf } from '../../shared/domain/boundary-outlines';
import type { Caller } from '../../shared/domain/caller';
import { UnitDirectory } from '../../shared/domain/units';
import type { Role } from '../../shared/domain/types';

type Position = [number, number];

/** A rectangle surveyed every ~1 m along its edges, each vertex up to `jitter` degrees off the straight edge. */
function surveyed(west: number, south: number, east: number, north: number, jitter: number): Position[] {
  const corners: Position[] = [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
  ];
  const ring: Position[] = [];
  corners.forEach(([x1, y1], i) => {
    const [x2, y2] = corners[(i + 1) % 4];
    const steps = Math.round(Math.hypot(x2 - x1, y2 - y1) / 1e-5);
    for (let step = 0; step < steps; step++) {
      // A deterministic wobble across the edge, never more than `jitter`.
      const off = jitter * Math.sin(step * 1.7);
      const t = step / steps;
      ring.push([x1 + (x2 - x1) * t + (y1 === y2 ? 0 : off), y1 + (y2 - y1) * t + (x1 === x2 ? 0 : off)]);
    }
  });
  ring.push(ring[0]);
  return ring;
}

test('a surveyed ring thins to its corners within the tolerance; it stays closed; coordinates have 6 decimals', () => {
  const ring = surveyed(114.405123456, 23.125, 114.4185, 23.1327, 3e-6);
  expect(ring.length).toBeGreaterThan(4000);
  const outline = outlineOf({ type: 'Polygon', coordinates: [ring] });
  const [thinned] = outline.coordinates as Position[][];
  expect(thinned.length).toBeLessThan(20);
  expect(thinned[0]).toEqual(thinned[thinned.length - 1]);
  for (const [lng, lat] of thinned) {
    expect(Math.round(lng * 1e6) / 1e6).toBe(lng);
    expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
  }
  // The corners are kept (to the rounding).
  expect(thinned).toEqual(expect.arrayContaining([[114.405123, 23.125]]));
  // Every surveyed vertex lies within the tolerance (and the rounding) of the outline's edges.
  const near = ([x, y]: Position) =>
    thinned.slice(1).some(([x2, y2], i) => {
      const [x1, y1] = thinned[i];
      const length2 = (x2 - x1) ** 2 + (y2 - y1) ** 2;
      const t = Math.max(0, Math.min(1, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / length2));
      return Math.hypot(x - (x1 + t * (x2 - x1)), y - (y1 + t * (y2 - y1))) <= OUTLINE_TOLERANCE_DEGREES + 1e-6;
    });
  expect(ring.every(near)).toBe(true);
});

test('a small ring is kept whole; a MultiPolygon keeps its parts and holes', () => {
  const square: Position[] = [
    [114.41, 23.13],
    [114.410004, 23.13],
    [114.410004, 23.130004],
    [114.41, 23.130004],
    [114.41, 23.13],
  ];
  expect(outlineOf({ type: 'Polygon', coordinates: [square] })).toEqual({ type: 'Polygon', coordinates: [square] });
  const outer = surveyed(114.4, 23.1, 114.5, 23.2, 0);
  const hole = surveyed(114.42, 23.12, 114.43, 23.13, 0);
  const multi = outlineOf({ type: 'MultiPolygon', coordinates: [[outer, hole], [square]] }) as Extract<Boundary, { type: 'MultiPolygon' }>;
  expect(multi.coordinates.map((polygon) => polygon.map((ring) => ring.length))).toEqual([[5, 5], [5]]);
});

const directory = new UnitDirectory(generatedDistrict());
const caller = (role: Role, units: string[]): Caller => ({ person: `${role}-test`, sub: 'test', name: role, role, units });

test("the 2,434-grid district's outlines for the district center: every unit, a few hundred KB (and gzipped much less)", () => {
  const reply = boundariesUnder(directory, caller('district_center', ['441302']), {});
  const byLevel = (level: string) => reply.features.filter((feature) => feature.properties.level === level).length;
  expect(byLevel('grid')).toBe(GENERATED_GRIDS);
  expect(byLevel('town')).toBe(13);
  const json = JSON.stringify(reply);
  // Bytes as sent (UTF-8: the names are Chinese).
  const bytes = Buffer.byteLength(json);
  const gzipped = gzipSync(json).length;
  console.log(
    `GET /boundaries of the generated district: ${reply.features.length} outlines, ${(bytes / 1024).toFixed(0)} KiB, gzipped ${(gzipped / 1024).toFixed(0)} KiB`,
  );
  expect(bytes).toBeLessThan(1024 * 1024);
  // A street's center gets its street's only.
  const street = boundariesUnder(directory, caller('town_center', ['441302010']), {});
  expect(street.features.filter((feature) => feature.properties.level === 'grid')).toHaveLength(80);
  expect(street.features.every((feature) => feature.properties.code.startsWith('441302010'))).toBe(true);
  console.log(`… of Xiaojinkou (80 grids): ${(Buffer.byteLength(JSON.stringify(street)) / 1024).toFixed(0)} KiB`);
});

test('a unit outside the caller’s is refused; several units need one named', () => {
  expect(() => boundariesUnder(directory, caller('town_center', ['441302010']), { unit: '441302001' })).toThrow(/outside your units/);
  expect(() => boundariesUnder(directory, caller('leader', ['441302001', '441302010']), {})).toThrow(/unit is required/);
  expect(boundariesUnder(directory, caller('leader', ['441302001', '441302010']), { unit: '441302001' }).unit).toBe('441302001');
});
