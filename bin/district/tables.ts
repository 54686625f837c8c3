/**
 * The district's documents as the files a district keeps (docs/district-data.md): the units, departments and people
 * as tables (a sheet each in a workbook, or a CSV file each), the boundaries as one GeoJSON FeatureCollection, the
 * catalog, the working hours and each year's calendar as JSON. The columns are named once, here.
 */
import type { Boundary } from '../../shared/domain/boundaries';
import { placedUnits } from '../../shared/domain/reference-rules';
import type { Department, Person, UnitNode } from '../../shared/domain/units';

export type TableName = 'units' | 'departments' | 'people';
export const TABLE_NAMES: readonly TableName[] = ['units', 'departments', 'people'];

/** The columns of each table, in order; a table may have more, each kept as a text field of its row. */
export const COLUMNS: Record<TableName, readonly string[]> = {
  units: ['code', 'name', 'nameEn', 'level'],
  departments: ['code', 'name', 'nameEn'],
  people: ['id', 'name', 'role', 'unit', 'phone', 'department', 'head', 'title'],
};

/** What each column holds, for the template's notes and the guide. */
export const COLUMN_NOTES: Record<TableName, Record<string, string>> = {
  units: {
    code: 'GB/T 30428.1: 6 digits (district), 9 (town/street), 12 (community), 15 (grid); starts with its parent’s code',
    name: 'name in Chinese, e.g. 金源社区第1网格',
    nameEn: 'name in English (may be empty)',
    level: 'district, town, community or grid',
  },
  departments: { code: 'a short code, e.g. urban-management', name: 'name in Chinese', nameEn: 'name in English' },
  people: {
    id: 'the person id (custom:person): letters, digits, . _ : -; never changes',
    name: 'name',
    role: 'grid_worker, community_station, town_center, district_center, department, leader, supervisor, admin…',
    unit: 'the code of the unit they work for (a grid worker’s grid)',
    phone: 'mainland mobile: 11 digits starting with 1, optionally +86',
    department: 'department code, for role department',
    head: 'yes for the head of the unit or team (gets supervisory SMS), else empty',
    title: 'job title (free text)',
  },
};

export interface Table {
  name: TableName;
  columns: string[];
  rows: string[][];
}

export interface BoundaryFeature {
  type: 'Feature';
  properties: { code: string; name?: string };
  geometry: Boundary;
}

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
}

/** The documents a district's files hold (a proposal names those it replaces). */
export interface DistrictDocuments {
  units?: UnitNode;
  departments?: Department[];
  people?: Person[];
  catalog?: unknown;
  'working-hours'?: unknown;
  [calendar: `calendar-${number}`]: unknown;
}

/** A cell's text: strings as they are, booleans yes/no, anything else as JSON. */
function cellOf(value: unknown, column: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' && column === 'head') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

/** A table of records: the named columns, then every other field met, in the order first met. */
function tableOf(name: TableName, records: Record<string, unknown>[], skip: string[] = []): Table {
  const columns = [...COLUMNS[name]];
  for (const record of records) for (const key of Object.keys(record)) if (!columns.includes(key) && !skip.includes(key)) columns.push(key);
  return { name, columns, rows: records.map((record) => columns.map((column) => cellOf(record[column], column))) };
}

/** The tables and the boundaries of a unit tree, departments and people. */
export function tablesOf(documents: DistrictDocuments): { tables: Table[]; boundaries?: BoundaryCollection } {
  const tables: Table[] = [];
  let boundaries: BoundaryCollection | undefined;
  if (documents.units) {
    const units = placedUnits(documents.units).map(({ node }) => node);
    tables.push(tableOf('units', units as unknown as Record<string, unknown>[], ['boundary', 'children']));
    boundaries = {
      type: 'FeatureCollection',
      features: units
        .filter((unit) => unit.boundary)
        .map((unit) => ({ type: 'Feature', properties: { code: unit.code, name: unit.name }, geometry: unit.boundary as Boundary })),
    };
  }
  if (documents.departments) tables.push(tableOf('departments', documents.departments as unknown as Record<string, unknown>[]));
  if (documents.people) tables.push(tableOf('people', documents.people as unknown as Record<string, unknown>[]));
  return { tables, boundaries };
}

/** The JSON documents (catalog, working hours, calendars) of a set, by file name. */
export function jsonFilesOf(documents: DistrictDocuments): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(documents)
      .filter(([name]) => ['catalog', 'working-hours', 'policy'].includes(name) || /^calendar-\d{4}$/.test(name))
      .map(([name, value]) => [`${name}.json`, value]),
  );
}
