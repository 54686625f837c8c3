/**
 * The generated district (npm run district -- generate): 2,434 grids in the sample's 13 towns and streets, whose
 * boundaries tile each community (and the communities each town) with no gap or overlap, a worker per grid, the sample
 * kept whole — its codes, its people, and the places the tests report from inside the grids they report to. The same
 * documents every run. (That the platform accepts it: tests/integration/generated-district.test.ts.)
 */
import area from '@turf/area';
import polygonClipping, { type MultiPolygon } from 'polygon-clipping';
import { GENERATED_GRIDS, generatedDistrict } from '../../bin/district/generated-district';
import { sampleDirectoryData } from '../../dev-server/seed-reference';
import type { Boundary } from '../../shared/domain/boundaries';
import { MAINLAND_MOBILE } from '../../shared/domain/phones';
import { referenceProblems } from '../../shared/domain/reference-rules';
import type { ReferenceDocumentSet } from '../../shared/domain/reference-documents';
import type { UnitNode } from '../../shared/domain/units';

const district = generatedDistrict();
const towns = district.units.children ?? [];
const communities = towns.flatMap((town) => town.children ?? []);
const grids = communities.flatMap((community) => community.children ?? []);

const asMulti = (boundary: Boundary | undefined): MultiPolygon => {
  if (!boundary) throw new Error('no boundary');
  return (boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates) as MultiPolygon;
};
const squareMetres = (shape: MultiPolygon) => (shape.length === 0 ? 0 : area({ type: 'MultiPolygon', coordinates: shape }));

test('2,434 grids in the sample district’s 13 towns and streets, a grid worker each, the sample’s codes and people kept', () => {
  const sample = sampleDirectoryData();
  expect(grids).toHaveLength(GENERATED_GRIDS);
  expect(towns.map((town) => town.code)).toEqual((sample.units.children ?? []).map((town) => town.code));
  const xiaojinkou = towns.find((town) => town.code === '441302010');
  expect(xiaojinkou?.children?.flatMap((community) => community.children ?? [])).toHaveLength(80);
  const jinyuan = xiaojinkou?.children?.find((community) => community.code === '441302010001');
  expect(jinyuan?.children?.map((grid) => grid.code)).toEqual(Array.from({ length: 9 }, (_, i) => `44130201000100${i + 1}`));
  for (const person of sample.people) expect(district.people).toContainEqual(person);

  const workers = district.people.filter((person) => person.role === 'grid_worker');
  expect(new Set(workers.map((worker) => worker.unit))).toEqual(new Set(grids.map((grid) => grid.code)));
  expect(workers).toHaveLength(GENERATED_GRIDS);
  for (const community of communities)
    expect(district.people.some((person) => person.unit === community.code && person.role === 'community_station' && person.head)).toBe(
      true,
    );
  for (const town of towns) {
    expect(district.people.some((person) => person.unit === town.code && person.role === 'town_center' && person.head)).toBe(true);
    expect(district.people.filter((person) => person.unit === town.code && person.role === 'department')).toHaveLength(16);
  }
  expect(new Set(district.people.map((person) => person.id)).size).toBe(district.people.length);
  expect(new Set(district.people.map((person) => person.phone)).size).toBe(district.people.length);
  for (const person of district.people) expect(person.phone).toMatch(MAINLAND_MOBILE);
  for (const person of district.people) expect(person.phone).toMatch(/^1300\d{7}$/);
});

test('codes in the GB/T 30428.1 layout, and the documents keep every reference rule (the boundaries’ overlaps too)', () => {
  for (const town of towns) {
    expect(town.code).toMatch(/^441302\d{3}$/);
    for (const community of town.children ?? []) {
      expect(community.code).toMatch(new RegExp(`^${town.code}\\d{3}$`));
      for (const grid of community.children ?? []) expect(grid.code).toMatch(new RegExp(`^${community.code}\\d{3}$`));
    }
  }
  const documents = { ...district, 'working-hours': { workingHours: [{ from: '08:30', to: '12:00' }] } } as ReferenceDocumentSet;
  expect(referenceProblems(documents)).toEqual([]);
});

/** The children of a unit tile it: they overlap nowhere, and together they cover it exactly. */
function expectTiled(parent: UnitNode) {
  const children = (parent.children ?? []).map((child) => asMulti(child.boundary));
  const whole = asMulti(parent.boundary);
  const union = polygonClipping.union(children[0], ...children.slice(1));
  const sum = children.reduce((total, child) => total + squareMetres(child), 0);
  // No gap: the union covers the parent, and nothing sticks out (under 1 m² either way).
  expect(squareMetres(polygonClipping.xor(whole, union))).toBeLessThan(1);
  // No overlap: the children's areas add up to the union's (any overlap would be counted twice).
  expect(Math.abs(sum - squareMetres(union))).toBeLessThan(1);
}

test('the grids tile each community and the communities each town, with no gap or overlap', () => {
  for (const town of towns) {
    expectTiled(town);
    for (const community of town.children ?? []) expectTiled(community);
  }
  // The towns do not overlap one another.
  const all = towns.map((town) => asMulti(town.boundary));
  const sum = all.reduce((total, town) => total + squareMetres(town), 0);
  expect(Math.abs(sum - squareMetres(polygonClipping.union(all[0], ...all.slice(1))))).toBeLessThan(1);
});

/** Whether a point lies inside a boundary (ray casting over every ring). */
function contains(boundary: Boundary | undefined, lat: number, lng: number): boolean {
  let inside = false;
  for (const polygon of asMulti(boundary))
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

test.each([
  ['441302010001001', 23.1315, 114.4152, '金英街 (story 1, reports, patrols)'],
  ['441302010001001', 23.1321, 114.4161, 'a patrol along 金英街'],
  ['441302010001001', 23.1318, 114.4149, '金英街路口 (story 2)'],
  ['441302010001001', 23.1322, 114.4161, '金英街12号 (story 3)'],
  ['441302010001003', 23.1332, 114.417, '园丁街 (a patrol of grid 3)'],
  ['441302010001007', 23.1351, 114.4188, '园丁街小金口中学后山 (story 7)'],
  ['441302010001007', 23.1355, 114.418, 'the hill behind the school (the demo)'],
  ['441302010001005', 23.145, 114.43, '金罗路 (story 4)'],
  ['441302010001005', 23.1402, 114.4201, '金罗路 (the demo)'],
])('grid %s holds %f, %f: %s', (code, lat, lng) => {
  const holding = grids.filter((grid) => contains(grid.boundary, lat, lng)).map((grid) => grid.code);
  expect(holding).toEqual([code]);
});

test('the same documents every run', () => {
  expect(JSON.stringify(generatedDistrict())).toBe(JSON.stringify(district));
});
