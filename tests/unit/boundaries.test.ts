import { type Boundary, boundaryProblems, overlapSquareMetres } from '../../shared/domain/boundaries';

const square = (lng: number, lat: number, side = 0.001): Extract<Boundary, { type: 'Polygon' }> => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + side, lat],
      [lng + side, lat + side],
      [lng, lat + side],
      [lng, lat],
    ],
  ],
});

test('neighbours that share an edge or a corner do not overlap; a quarter of a 100 m square does', () => {
  expect(overlapSquareMetres(square(114.41, 23.13), square(114.411, 23.13))).toBe(0);
  expect(overlapSquareMetres(square(114.41, 23.13), square(114.411, 23.131))).toBe(0);
  const quarter = overlapSquareMetres(square(114.41, 23.13), square(114.4105, 23.1305));
  // 0.0005° × 0.0005° at 23°N: about 51 m × 55 m.
  expect(quarter).toBeGreaterThan(2500);
  expect(quarter).toBeLessThan(3100);
  expect(
    overlapSquareMetres(square(114.41, 23.13), { type: 'MultiPolygon', coordinates: [square(114.4105, 23.1305).coordinates] }),
  ).toBeCloseTo(quarter);
});

test('what is wrong with a boundary, named below it', () => {
  expect(boundaryProblems(square(114.41, 23.13))).toEqual([]);
  const open = square(114.41, 23.13);
  open.coordinates[0]?.pop();
  expect(boundaryProblems(open)).toEqual([{ at: '.coordinates[0]', message: expect.stringMatching(/closed|at least 4/) }]);
  expect(boundaryProblems({ type: 'Point', coordinates: [1, 2] })).toEqual([{ at: '.type', message: expect.any(String) }]);
  expect(
    boundaryProblems({
      type: 'Polygon',
      coordinates: [
        [
          [200, 23],
          [201, 23],
          [201, 24],
          [200, 23],
        ],
      ],
    }),
  ).toEqual([{ at: '.coordinates[0]', message: expect.stringMatching(/WGS84/) }]);
  expect(
    boundaryProblems({
      type: 'MultiPolygon',
      coordinates: [
        square(1, 1).coordinates,
        [
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 2],
          ],
        ],
      ],
    }),
  ).toEqual([{ at: '.coordinates[1][0]', message: expect.stringMatching(/not closed/) }]);
});
