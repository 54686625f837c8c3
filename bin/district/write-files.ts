/**
 * Writes a district's files into a folder: the tables as one workbook (district.xlsx, a sheet each) or a CSV each
 * (units.csv, departments.csv, people.csv), boundaries.geojson (a feature a line) and the JSON documents
 * (catalog.json, working-hours.json, calendar-<year>.json).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvText } from './csv';
import { type BoundaryCollection, type DistrictDocuments, jsonFilesOf, type Table, tablesOf } from './tables';
import { WORKBOOK_FILE, writeWorkbook } from './xlsx';

export type TableFormat = 'xlsx' | 'csv';
export const TABLE_FORMATS: readonly TableFormat[] = ['xlsx', 'csv'];

export const BOUNDARIES_FILE = 'boundaries.geojson';

/** The files written, by name, with their sizes. */
export type Written = { file: string; bytes: number }[];

export async function writeDistrictFiles(dir: string, documents: DistrictDocuments, format: TableFormat): Promise<Written> {
  mkdirSync(dir, { recursive: true });
  const written: Written = [];
  const write = (file: string, text: string | Uint8Array) => {
    writeFileSync(join(dir, file), text);
    written.push({ file, bytes: typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength });
  };
  const { tables, boundaries } = tablesOf(documents);
  if (format === 'csv') for (const table of tables) write(`${table.name}.csv`, csvOf(table));
  else if (tables.length > 0) {
    await writeWorkbook(join(dir, WORKBOOK_FILE), tables);
    written.push({ file: WORKBOOK_FILE, bytes: statSync(join(dir, WORKBOOK_FILE)).size });
  }
  if (boundaries) write(BOUNDARIES_FILE, geoJsonText(boundaries));
  for (const [file, value] of Object.entries(jsonFilesOf(documents))) write(file, `${JSON.stringify(value, null, 2)}\n`);
  return written;
}

export function csvOf(table: Table): string {
  return csvText([table.columns, ...table.rows]);
}

/** A FeatureCollection with a feature a line: readable, diffable, and any GIS opens it. */
export function geoJsonText(collection: BoundaryCollection): string {
  const features = collection.features.map((feature) => JSON.stringify(feature)).join(',\n');
  return `{"type":"FeatureCollection","features":[\n${features}\n]}\n`;
}
