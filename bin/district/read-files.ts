/**
 * Reads what `import` is given — folders and files — into tables, boundaries and JSON documents, each with where it
 * came from: a workbook (district.xlsx or any .xlsx: its sheets units, departments, people), units.csv,
 * departments.csv, people.csv, a .geojson FeatureCollection of boundaries, catalog.json, working-hours.json and
 * calendar-<year>.json. A folder gives every such file in it. A table or document given twice is a problem.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { csvRows } from './csv';
import { type BoundaryCollection, type Table, TABLE_NAMES, type TableName } from './tables';
import { readWorkbook } from './xlsx';

/** A table and where it came from: the file, and the sheet of a workbook. */
export interface SourcedTable extends Table {
  file: string;
  sheet?: string;
}

export interface DistrictFiles {
  tables: SourcedTable[];
  boundaries?: { file: string; collection: BoundaryCollection };
  /** JSON documents by name (catalog, working-hours, calendar-2027), with their file. */
  json: Map<string, { file: string; value: unknown }>;
  /** What was read, for the summary. */
  read: string[];
  /** Sheets and files passed over. */
  ignored: string[];
  /** Files that could not be read, or given twice: each a line naming the file. */
  problems: string[];
}

const JSON_DOCUMENT = /^(catalog|working-hours|policy|calendar-\d{4})\.json$/;

export async function readDistrictFiles(paths: string[]): Promise<DistrictFiles> {
  const files: DistrictFiles = { tables: [], json: new Map(), read: [], ignored: [], problems: [] };
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      files.problems.push(`${path}: no such file or folder`);
      continue;
    }
    if (!isFolder) {
      await readOne(path, files, true);
      continue;
    }
    for (const name of readdirSync(path).sort()) await readOne(join(path, name), files, false);
  }
  return files;
}

async function readOne(file: string, files: DistrictFiles, named: boolean): Promise<void> {
  const name = basename(file);
  const extension = extname(name).toLowerCase();
  const stem = basename(name, extname(name)).toLowerCase();
  try {
    if (extension === '.xlsx' && !name.startsWith('~$')) {
      const { tables, ignored } = await readWorkbook(file);
      for (const table of tables) addTable(files, { ...table, file });
      files.ignored.push(...ignored.map((sheet) => `${name}: sheet ${sheet}`));
      files.read.push(name);
    } else if (extension === '.csv' && TABLE_NAMES.includes(stem as TableName)) {
      const [columns = [], ...rows] = csvRows(readFileSync(file, 'utf8'));
      addTable(files, { name: stem as TableName, columns: columns.map((column) => column.trim()), rows, file });
      files.read.push(name);
    } else if (extension === '.geojson') {
      const collection = JSON.parse(readFileSync(file, 'utf8')) as BoundaryCollection;
      if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
        files.problems.push(`${file}: not a GeoJSON FeatureCollection`);
      else if (files.boundaries) files.problems.push(`${file}: boundaries are given twice (also ${files.boundaries.file})`);
      else files.boundaries = { file, collection };
      files.read.push(name);
    } else if (JSON_DOCUMENT.test(name)) {
      const document = name.slice(0, -'.json'.length);
      const earlier = files.json.get(document);
      if (earlier) files.problems.push(`${file}: ${document} is given twice (also ${earlier.file})`);
      else files.json.set(document, { file, value: JSON.parse(readFileSync(file, 'utf8')) });
      files.read.push(name);
    } else if (named) files.problems.push(`${file}: not a file import reads (docs/district-data.md lists them)`);
    else files.ignored.push(name);
  } catch (error) {
    files.problems.push(`${file}: cannot be read: ${(error as Error).message}`);
  }
}

function addTable(files: DistrictFiles, table: SourcedTable): void {
  const earlier = files.tables.find((each) => each.name === table.name);
  if (earlier)
    files.problems.push(
      `${table.file}${table.sheet ? `, sheet ${table.sheet}` : ''}: the ${table.name} are given twice (also ${earlier.file}${earlier.sheet ? `, sheet ${earlier.sheet}` : ''})`,
    );
  else files.tables.push(table);
}
