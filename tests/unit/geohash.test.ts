/** Geohash cells: the hotspot counter's "same place", and the cells a duplicate search reads around a report. */
import { cellCentre, geohash, nearbyCells, NEARBY_PRECISION } from '../../shared/domain/geohash';
import { distanceMeters } from '../../shared/domain/geo';

const JINYING = { lat: 23.1315, lng: 114.4152 };

describe('geohash', () => {
  it('encodes a place and decodes its cell back to within the cell', () => {
    const cell = geohash(JINYING.lat, JINYING.lng);
    expect(cell).toHaveLength(7);
    expect(distanceMeters(JINYING, cellCentre(cell))).toBeLessThan(110); // half a ~153 m cell's diagonal
    expect(geohash(JINYING.lat, JINYING.lng, NEARBY_PRECISION)).toBe(cell.slice(0, NEARBY_PRECISION));
  });
});

describe('nearbyCells', () => {
  it('is the one cell for a point well inside it', () => {
    const centre = cellCentre(geohash(JINYING.lat, JINYING.lng, NEARBY_PRECISION));
    expect(nearbyCells(centre.lat, centre.lng, 100)).toEqual([geohash(centre.lat, centre.lng, NEARBY_PRECISION)]);
  });

  it('is the four cells around a corner', () => {
    // Find a corner: the centre of the cell at precision 6 moved by half a cell both ways lands on one.
    const cell = geohash(JINYING.lat, JINYING.lng, NEARBY_PRECISION);
    const centre = cellCentre(cell);
    const corner = { lat: centre.lat + 0.0055 / 2 - 1e-7, lng: centre.lng + 0.011 / 2 - 1e-7 };
    expect(nearbyCells(corner.lat, corner.lng, 100)).toHaveLength(4);
  });

  it('holds every place within the radius, wherever the report stands', () => {
    // A deterministic spread of report places and of places around each within 100 m.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let report = 0; report < 200; report++) {
      const origin = { lat: 23.0 + random() * 0.2, lng: 114.3 + random() * 0.2 };
      const cells = new Set(nearbyCells(origin.lat, origin.lng, 100));
      expect(cells.size).toBeLessThanOrEqual(4);
      for (let other = 0; other < 20; other++) {
        const bearing = random() * 2 * Math.PI;
        const meters = random() * 100;
        const place = {
          lat: origin.lat + (meters * Math.cos(bearing)) / 111_320,
          lng: origin.lng + (meters * Math.sin(bearing)) / (111_320 * Math.cos((origin.lat * Math.PI) / 180)),
        };
        expect(cells.has(geohash(place.lat, place.lng, NEARBY_PRECISION))).toBe(true);
      }
    }
  });
});
