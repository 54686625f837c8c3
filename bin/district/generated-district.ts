/**
 * A generated district for tests, the bench and a first try of the import (`npm run district -- generate`): the
 * sample district's 13 towns and streets with 2,434 grids, every unit a rectangle that its children tile, a grid
 * worker per grid, a station (head and duty officer) per community, a center and eight street teams per street, the
 * sample's departments and catalog. Nothing random: the same documents every run.
 *
 * The sample is kept whole: its units keep their codes and fields, its 64 people their ids and phones, and the nine
 * Jinyuan grids are laid so that the points the tests use lie in the grid they report to (23.1315, 114.4152 in
 * 441302010001001). Every phone is fictitious: 13000xxxxxx are the sample's, 13001…13004 the generated people's.
 */
import type { CatalogFile } from '../../shared/domain/catalog';
import type { Department, Person, UnitNode } from '../../shared/domain/units';
import { sampleDirectoryData } from '../../dev-server/seed-reference';
import sampleCatalog from '../../shared/data/catalog.json' with { type: 'json' };
import { cellsBetween, polygonOf, type Rect, splitRect } from './lattice';

export type GeneratedDistrict = {
  units: UnitNode;
  departments: Department[];
  people: Person[];
  catalog: CatalogFile;
};

export const GENERATED_GRIDS = 2434;

/** Grids per town or street (2,434 in all; Xiaojinkou's 80 as the sample's scale says) and where each lies. */
const TOWNS: Record<string, { grids: number; cell: [column: number, row: number] }> = {
  '441302001': { grids: 210, cell: [2, 2] },
  '441302002': { grids: 200, cell: [1, 3] },
  '441302003': { grids: 320, cell: [2, 3] },
  '441302004': { grids: 300, cell: [0, 2] },
  '441302005': { grids: 260, cell: [0, 3] },
  '441302006': { grids: 230, cell: [3, 3] },
  '441302009': { grids: 180, cell: [2, 1] },
  '441302010': { grids: 80, cell: [1, 2] },
  '441302100': { grids: 140, cell: [3, 2] },
  '441302103': { grids: 150, cell: [3, 1] },
  '441302109': { grids: 130, cell: [0, 1] },
  '441302110': { grids: 114, cell: [1, 1] },
  '441302112': { grids: 120, cell: [1, 0] },
};

/** The district's lattice of towns: 4 × 4 cells of 0.12° × 0.10°, from 114.24°E, 23.40°N. */
const TOWN_CELL = { west: 114.24, north: 23.4, width: 0.12, height: 0.1 };
const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

const XIAOJINKOU = '441302010';
const JINYUAN = '441302010001';
/** Xiaojinkou's nine communities, 3 × 3; Jinyuan (001) is the middle one, about 3 × 3.3 km. */
const XIAOJINKOU_LNGS = [114.36, 114.405, 114.435, 114.48];
const XIAOJINKOU_LATS = [23.2, 23.155, 23.125, 23.1];
/**
 * Jinyuan's nine grids in three rows, laid around the places the tests report from: grid 1 holds 金英街 (23.1315,
 * 114.4152 and its neighbours), grid 3 园丁街 (23.1332, 114.417), grid 7 the hill behind the school (23.1351,
 * 114.4188), grid 5 金罗路 (23.1402, 114.4201 and 23.145, 114.43).
 */
const JINYUAN_ROWS: { north: number; south: number; cells: [grid: number, west: number, east: number][] }[] = [
  {
    north: 23.155,
    south: 23.1375,
    cells: [
      [8, 114.405, 114.4115],
      [9, 114.4115, 114.418],
      [5, 114.418, 114.435],
    ],
  },
  {
    north: 23.1375,
    south: 23.1327,
    cells: [
      [6, 114.405, 114.412],
      [3, 114.412, 114.4178],
      [7, 114.4178, 114.435],
    ],
  },
  {
    north: 23.1327,
    south: 23.125,
    cells: [
      [1, 114.405, 114.4185],
      [2, 114.4185, 114.4265],
      [4, 114.4265, 114.435],
    ],
  },
];

/** A street's teams (as Xiaojinkou's in the sample roster): department and the team's name after the street's. */
const STREET_TEAMS: [department: string, suffix: string][] = [
  ['urban-management', '城管执法中队'],
  ['housing-construction', '规划建设办'],
  ['public-security', '派出所'],
  ['justice', '司法所'],
  ['emergency-management', '应急办'],
  ['civil-affairs', '社会事务办'],
  ['water-affairs', '水务站'],
  ['market-supervision', '市场监管所'],
];

const pad = (value: number, digits: number) => String(value).padStart(digits, '0');

/** Phones by series: 1300 + series digit + 6 digits, fictitious like the sample's 13000xxxxxx. */
class Phones {
  private readonly next = new Map<number, number>();
  take(series: 1 | 2 | 3 | 4): string {
    const n = (this.next.get(series) ?? 0) + 1;
    this.next.set(series, n);
    return `1300${series}${pad(n, 6)}`;
  }
}

export function generatedDistrict(): GeneratedDistrict {
  const sample = sampleDirectoryData();
  const phones = new Phones();
  const people: Person[] = [...sample.people];
  const sampleTowns = new Map((sample.units.children ?? []).map((town) => [town.code, town]));
  const towns = Object.entries(TOWNS).map(([code, { grids, cell }]) => {
    const town = sampleTowns.get(code);
    if (!town) throw new Error(`The sample district has no town ${code}`);
    const rect = townRect(cell);
    const communities = code === XIAOJINKOU ? xiaojinkou(town, grids, phones, people) : communitiesOf(town, rect, grids, phones, people);
    if (code !== XIAOJINKOU) people.push(...streetStaff(town, phones));
    const { children: _children, ...own } = town;
    return { ...own, boundary: polygonOf(rect), children: communities };
  });
  const { children: _children, ...district } = sample.units;
  return {
    units: { ...district, children: towns },
    departments: sample.departments,
    people,
    catalog: sampleCatalog as CatalogFile,
  };
}

function townRect([column, row]: [number, number]): Rect {
  const west = round7(TOWN_CELL.west + column * TOWN_CELL.width);
  const north = round7(TOWN_CELL.north - row * TOWN_CELL.height);
  return { west, north, east: round7(west + TOWN_CELL.width), south: round7(north - TOWN_CELL.height) };
}

/** The stem of a town's name (桥东 of 桥东街道, 汝湖 of 汝湖镇) and whether its communities are villages. */
function stemOf(town: UnitNode): { stem: string; rural: boolean } {
  const rural = town.name.endsWith('镇');
  return { stem: town.name.replace(/(街道|镇)$/, ''), rural };
}

/** `grids` spread over communities of about 16 grids (streets) or 12 (towns' villages), the first ones fuller. */
function communitiesOf(town: UnitNode, rect: Rect, grids: number, phones: Phones, people: Person[]): UnitNode[] {
  const { rural } = stemOf(town);
  const count = Math.ceil(grids / (rural ? 12 : 16));
  return splitRect(rect, count).map((cell, i) => {
    const size = Math.floor(grids / count) + (i < grids % count ? 1 : 0);
    return newCommunity(town, i + 1, cell, size, phones, people);
  });
}

/** Xiaojinkou: the sample's Jinyuan in the middle of a 3 × 3 lattice, eight generated communities around it. */
function xiaojinkou(town: UnitNode, grids: number, phones: Phones, people: Person[]): UnitNode[] {
  const jinyuan = town.children?.find((community) => community.code === JINYUAN);
  if (!jinyuan) throw new Error(`The sample district has no community ${JINYUAN}`);
  const cells = cellsBetween(XIAOJINKOU_LNGS, XIAOJINKOU_LATS);
  const [jinyuanRect] = cells.splice(4, 1);
  const others = grids - (jinyuan.children?.length ?? 0);
  const generated = cells.map((cell, i) => {
    const size = Math.floor(others / cells.length) + (i < others % cells.length ? 1 : 0);
    return newCommunity(town, i + 2, cell, size, phones, people);
  });
  return [jinyuanWithBoundaries(jinyuan, jinyuanRect), ...generated];
}

function jinyuanWithBoundaries(jinyuan: UnitNode, rect: Rect): UnitNode {
  const rects = new Map(
    JINYUAN_ROWS.flatMap(({ north, south, cells }) => cells.map(([grid, west, east]) => [grid, { west, east, north, south }] as const)),
  );
  const { children, ...own } = jinyuan;
  return {
    ...own,
    boundary: polygonOf(rect),
    children: (children ?? []).map((grid) => {
      const cell = rects.get(Number(grid.code.slice(-3)));
      if (!cell) throw new Error(`No place laid out for grid ${grid.code}`);
      return { ...grid, boundary: polygonOf(cell) };
    }),
  };
}

function newCommunity(town: UnitNode, sequence: number, rect: Rect, grids: number, phones: Phones, people: Person[]): UnitNode {
  const { stem, rural } = stemOf(town);
  const code = `${town.code}${pad(sequence, 3)}`;
  const name = `${stem}第${sequence}${rural ? '村' : '社区'}`;
  const nameEn = `${town.nameEn} ${rural ? 'village' : 'community'} ${sequence}`;
  const community: UnitNode = { code, name, nameEn, level: 'community', boundary: polygonOf(rect), children: [] };
  people.push(
    station(code, `${code}-head`, `${name}网格长`, '网格长 grid chief', true, phones),
    station(code, `${code}-duty`, `${name}网格站值班员`, '网格站值班员 station duty officer', false, phones),
  );
  community.children = splitRect(rect, grids).map((cell, i) => {
    const gridCode = `${code}${pad(i + 1, 3)}`;
    const gridName = `${name}第${i + 1}网格`;
    people.push({
      id: `gw-${gridCode}`,
      name: `${gridName}网格员`,
      role: 'grid_worker',
      unit: gridCode,
      phone: phones.take(1),
      title: '网格员 grid worker',
    });
    return { code: gridCode, name: gridName, nameEn: `${nameEn} grid ${i + 1}`, level: 'grid', boundary: polygonOf(cell) };
  });
  return community;
}

function station(unit: string, id: string, name: string, title: string, head: boolean, phones: Phones): Person {
  return { id: `cs-${id}`, name, role: 'community_station', unit, phone: phones.take(2), ...(head && { head }), title };
}

/** A street's or town's center (head, duty officer) and its eight teams (head, case clerk). */
function streetStaff(town: UnitNode, phones: Phones): Person[] {
  const { stem } = stemOf(town);
  const center = (suffix: string, name: string, title: string, head: boolean): Person => ({
    id: `tc-${town.code}-${suffix}`,
    name,
    role: 'town_center',
    unit: town.code,
    phone: phones.take(3),
    ...(head && { head }),
    title,
  });
  const teams = STREET_TEAMS.flatMap(([department, suffix]) => {
    const team = suffix === '派出所' || suffix === '市场监管所' ? `${stem}${suffix}` : `${town.name}${suffix}`;
    return [true, false].map(
      (head): Person => ({
        id: `${head ? 'dh' : 'ds'}-${department}-${town.code}`,
        name: `${team}${head ? '负责人' : '办件员'}`,
        role: 'department',
        unit: town.code,
        phone: phones.take(4),
        department,
        ...(head && { head }),
        title: `${team}: ${head ? 'head' : 'case clerk'}`,
      }),
    );
  });
  return [
    center('head', `${town.name}网格中心主任`, '街道网格中心主任 head of the town center', true),
    center('duty', `${town.name}网格中心值班员`, '街道网格中心值班员 town center duty officer', false),
    ...teams,
  ];
}
