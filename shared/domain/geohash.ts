/**
 * Geohash cells: "the same place" for hotspot counters (precision 7: a cell of about 153 m × 153 m, the
 * closest fit to "within 100 m" that a counter key can hold), and the neighbourhood a duplicate search
 * reads (precision 6: about 1.2 km × 0.6 km).
 */
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

export function geohash(lat: number, lng: number, precision = 7): string {
  let [latMin, latMax, lngMin, lngMax] = [-90, 90, -180, 180];
  let hash = '';
  let bits = 0;
  let value = 0;
  let evenBit = true;
  while (hash.length < precision) {
    if (evenBit) {
      const mid = (lngMin + lngMax) / 2;
      value = value * 2 + (lng >= mid ? 1 : 0);
      if (lng >= mid) lngMin = mid;
      else lngMax = mid;
    } else {
      const mid = (latMin + latMax) / 2;
      value = value * 2 + (lat >= mid ? 1 : 0);
      if (lat >= mid) latMin = mid;
      else latMax = mid;
    }
    evenBit = !evenBit;
    if (++bits === 5) {
      hash += BASE32[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

/** The centre of a cell, for showing a hotspot on a map or a list. */
export function cellCentre(hash: string): { lat: number; lng: number } {
  let [latMin, latMax, lngMin, lngMax] = [-90, 90, -180, 180];
  let evenBit = true;
  for (const char of hash) {
    const value = BASE32.indexOf(char);
    for (let bit = 4; bit >= 0; bit--) {
      const on = (value >> bit) & 1;
      if (evenBit) {
        const mid = (lngMin + lngMax) / 2;
        if (on) lngMin = mid;
        else lngMax = mid;
      } else {
        const mid = (latMin + latMax) / 2;
        if (on) latMin = mid;
        else latMax = mid;
      }
      evenBit = !evenBit;
    }
  }
  return { lat: (latMin + latMax) / 2, lng: (lngMin + lngMax) / 2 };
}

/** Precision of the cells a duplicate search reads: about 1.2 km × 0.6 km (1.1 km wide at 23° N). */
export const NEARBY_PRECISION = 6;
/**
 * The widest radius the nearby search covers: it reads the cells under the point and at ±radius around it, and a
 * precision-6 cell is about 0.6 km on its short side, so a wider radius would step over cells (matches unseen).
 */
export const MAX_NEARBY_RADIUS_METERS = 500;
const METERS_PER_DEGREE = 111_320;

/**
 * The cells (at NEARBY_PRECISION) that a circle of `radiusMeters` around a point touches: one to four
 * for a radius well under the cell's height (~600 m). Read from the corners and edge midpoints of the
 * circle's bounding box, which cannot step over a whole cell at that size.
 */
export function nearbyCells(lat: number, lng: number, radiusMeters: number, precision = NEARBY_PRECISION): string[] {
  const dLat = radiusMeters / METERS_PER_DEGREE;
  const dLng = radiusMeters / (METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  const cells = new Set<string>();
  for (const latStep of [-1, 0, 1])
    for (const lngStep of [-1, 0, 1]) cells.add(geohash(lat + latStep * dLat, lng + lngStep * dLng, precision));
  return [...cells].sort();
}
