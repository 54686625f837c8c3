/**
 * The files read, converted into the proposed documents: the units table into the tree (each unit below the unit of
 * the sheet whose code is the longest that its own starts with; whether that is the right parent is the platform's
 * rule, named back to the row), each boundary onto its unit, the people and departments as records. What cannot even
 * be converted (a missing column, a code twice, a head that is not yes or no) is a problem named by row and column;
 * the rest the platform judges. Every row is remembered, so that a problem the platform names by its place in the
 * documents (`people[12].phone`) is shown at its row and column (places.ts).
 */
import type { Boundary } from '../../shared/domain/boundaries';
import type { Department, Person, UnitNode } from '../../shared/domain/units';
import type { DistrictFiles, SourcedTable } from './read-files';
import { COLUMNS, type DistrictDocuments, type TableName } from './tables';

/** A row of a table: its file, sheet, row number (the header is row 1) and columns. */
export interface RowPlace {
  file: string;
  sheet?: string;
  row: number;
  columns: string[];
}

export interface Converted {
  documents: DistrictDocuments;
  units: Map<string, RowPlace>;
  people: RowPlace[];
  departments: RowPlace[];
  /** A unit's boundary: the feature that gave it. */
  features: Map<string, string>;
  /** A JSON document's file. */
  json: Map<string, string>;
  problems: string[];
}

/** Column A, B, … Z, AA of the 0-based index. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** `people.csv, row 14, column E (phone)`, or `district.xlsx, sheet people, row 14`. */
export function placeOf(row: RowPlace, column?: string): string {
  const at = `${row.file}${row.sheet ? `, sheet ${row.sheet}` : ''}, row ${row.row}`;
  if (column === undefined) return at;
  const index = row.columns.indexOf(column);
  return index < 0 ? `${at} (${column})` : `${at}, column ${columnLetter(index)} (${column})`;
}

const REQUIRED: Record<TableName, string[]> = {
  units: ['code', 'name', 'level'],
  departments: ['code', 'name'],
  people: ['id', 'name', 'role', 'unit', 'phone'],
};

const YES = new Set(['yes', 'y', 'true', '1', '是']);
const NO = new Set(['no', 'n', 'false', '0', '否']);

export function convert(files: DistrictFiles): Converted {
  const converted: Converted = {
    documents: {},
    units: new Map(),
    people: [],
    departments: [],
    features: new Map(),
    json: new Map(),
    problems: [...files.problems],
  };
  for (const table of files.tables) {
    const records = recordsOf(table, converted.problems);
    if (!records) continue;
    if (table.name === 'units') unitsOf(records, converted);
    if (table.name === 'departments') {
      converted.documents.departments = records.map(({ record }) => record as unknown as Department);
      converted.departments = records.map(({ place }) => place);
    }
    if (table.name === 'people') {
      converted.documents.people = records.map(({ record, place }) => personOf(record, place, converted.problems));
      converted.people = records.map(({ place }) => place);
    }
  }
  if (files.boundaries) boundariesOf(files.boundaries, converted);
  for (const [name, { file, value }] of files.json) {
    (converted.documents as Record<string, unknown>)[name] = value;
    converted.json.set(name, file);
  }
  return converted;
}

type Row = { record: Record<string, string>; place: RowPlace };

/** The non-empty rows as records of their non-empty cells; undefined when a required column is missing. */
function recordsOf(table: SourcedTable, problems: string[]): Row[] | undefined {
  const header: RowPlace = { file: table.file, sheet: table.sheet, row: 1, columns: table.columns };
  const missing = REQUIRED[table.name].filter((column) => !table.columns.includes(column));
  for (const column of missing)
    problems.push(`${placeOf(header)}: the column ${column} is missing (the ${table.name} have ${COLUMNS[table.name].join(', ')})`);
  const seen = new Set<string>();
  table.columns.forEach((column, i) => {
    if (column !== '' && seen.has(column)) problems.push(`${placeOf(header)}, column ${columnLetter(i)}: ${column} appears twice`);
    seen.add(column);
  });
  if (missing.length > 0) return undefined;
  const rows: Row[] = [];
  table.rows.forEach((cells, i) => {
    if (cells.every((cell) => cell.trim() === '')) return;
    const record: Record<string, string> = {};
    table.columns.forEach((column, c) => {
      const value = (cells[c] ?? '').trim();
      if (column !== '' && value !== '' && !(column in record)) record[column] = value;
    });
    // nameEn is a field every unit and department has, empty or not.
    if (table.name !== 'people' && record.nameEn === undefined) record.nameEn = '';
    rows.push({ record: ordered(record, table.name), place: { file: table.file, sheet: table.sheet, row: i + 2, columns: table.columns } });
  });
  return rows;
}

/** The fields in the documents' order: the named columns first, then the others as the sheet has them. */
function ordered(record: Record<string, string>, table: TableName): Record<string, string> {
  const named = COLUMNS[table].filter((column) => column in record);
  return Object.fromEntries([...named, ...Object.keys(record).filter((key) => !named.includes(key))].map((key) => [key, record[key]]));
}

function personOf(record: Record<string, string>, place: RowPlace, problems: string[]): Person {
  const { head, ...rest } = record;
  if (head === undefined) return rest as unknown as Person;
  const word = head.toLowerCase();
  if (!YES.has(word) && !NO.has(word)) problems.push(`${placeOf(place, 'head')}: '${head}' is not yes or no (or empty)`);
  // `head` sits where the documents have it: before the title.
  const { title, ...before } = rest;
  return { ...before, head: YES.has(word), ...(title !== undefined && { title }) } as unknown as Person;
}

function unitsOf(rows: Row[], converted: Converted): void {
  const nodes = new Map<string, UnitNode>();
  for (const { record, place } of rows) {
    if (!record.code) {
      converted.problems.push(`${placeOf(place, 'code')}: the code is empty`);
      continue;
    }
    const earlier = converted.units.get(record.code);
    if (earlier) {
      converted.problems.push(`${placeOf(place, 'code')}: unit ${record.code} appears twice (also ${placeOf(earlier)})`);
      continue;
    }
    nodes.set(record.code, { ...record } as unknown as UnitNode);
    converted.units.set(record.code, place);
  }
  const codes = [...nodes.keys()];
  const tops: UnitNode[] = [];
  for (const [code, node] of nodes) {
    const parent = codes.filter((other) => other !== code && code.startsWith(other)).sort((a, b) => b.length - a.length)[0];
    if (parent === undefined) tops.push(node);
    else {
      const above = nodes.get(parent) as UnitNode;
      above.children ??= [];
      above.children.push(node);
    }
  }
  if (tops.length === 1) converted.documents.units = tops[0];
  else if (tops.length === 0) converted.problems.push('units: no unit given');
  else
    for (const top of tops.slice(1))
      converted.problems.push(
        `${placeOf(converted.units.get(top.code) as RowPlace, 'code')}: ${top.code} does not start with the code of the district ${tops[0].code} (the units form one tree)`,
      );
}

function boundariesOf({ file, collection }: NonNullable<DistrictFiles['boundaries']>, converted: Converted): void {
  const byCode = new Map<string, UnitNode>();
  const visit = (node: UnitNode) => {
    byCode.set(node.code, node);
    for (const child of node.children ?? []) visit(child);
  };
  if (converted.documents.units) visit(converted.documents.units);
  collection.features.forEach((feature, i) => {
    const at = `${file}, feature ${i + 1}`;
    const code = feature?.properties?.code;
    if (typeof code !== 'string' && typeof code !== 'number') {
      converted.problems.push(`${at}: properties.code names no unit`);
      return;
    }
    const node = byCode.get(String(code));
    if (!node) {
      if (converted.documents.units) converted.problems.push(`${at}: unit ${code} is not in the units`);
      return;
    }
    if (converted.features.has(node.code)) {
      converted.problems.push(`${at}: unit ${code} has a boundary already (${converted.features.get(node.code)})`);
      return;
    }
    node.boundary = feature.geometry as Boundary;
    converted.features.set(node.code, `${at} (unit ${node.code})`);
  });
  if (!converted.documents.units && collection.features.length > 0)
    converted.problems.push(`${file}: boundaries need the units they belong to (a units sheet or units.csv)`);
}
