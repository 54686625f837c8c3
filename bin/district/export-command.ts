/**
 * `export --out DIR` writes the version in effect in the import formats (importing them again changes nothing);
 * `template --out DIR` writes the empty, documented sheets and an empty boundaries.geojson.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Department, Person, UnitNode } from '../../shared/domain/units';
import { currentDocuments, Refusal, targetOf } from './admin-api';
import type { Print } from './import-command';
import { COLUMN_NOTES, COLUMNS, type DistrictDocuments, TABLE_NAMES } from './tables';
import { BOUNDARIES_FILE, csvOf, geoJsonText, type TableFormat, writeDistrictFiles } from './write-files';
import { WORKBOOK_FILE, writeWorkbook } from './xlsx';

export async function exportDistrict(
  out: string,
  options: { format: TableFormat; api?: string; token?: string; as?: string },
  print: Print,
): Promise<number> {
  const target = await targetOf(options);
  const current = await currentDocuments(target);
  if (!current) throw new Refusal(`${target.describe} has no reference version yet: nothing to export`);
  const documents = current.documents as DistrictDocuments;
  const written = await writeDistrictFiles(out, documents, options.format);
  for (const { file, bytes } of written) print(`  ${file}  ${bytes.toLocaleString('en')} bytes`);
  const units: UnitNode[] = [];
  const visit = (node: UnitNode) => {
    units.push(node);
    for (const child of node.children ?? []) visit(child);
  };
  if (documents.units) visit(documents.units);
  const years = Object.keys(documents).filter((name) => name.startsWith('calendar-')).length;
  print(
    `exported: version ${current.version} — ${units.length.toLocaleString('en')} units (${units.filter((unit) => unit.level === 'grid').length.toLocaleString('en')} grids), ` +
      `${((documents.people ?? []) as Person[]).length.toLocaleString('en')} people, ${((documents.departments ?? []) as Department[]).length} departments, ` +
      `the catalog, working hours and ${years} calendar years to ${out}`,
  );
  return 0;
}

/** What the template's README sheet says. */
const TEMPLATE_README = [
  'GridFlow: the district’s units, departments and people (docs/district-data.md says more).',
  'Fill the sheets units, departments and people, one row each; keep the header row. Other sheets (this one) are passed over.',
  'Unit codes follow GB/T 30428.1: 6-digit division + 3 street + 3 community + 3 sequence; each starts with its parent’s code.',
  'Boundaries go in boundaries.geojson: a FeatureCollection, one feature per unit, properties.code naming it, geometry a Polygon or MultiPolygon in WGS84.',
  'The catalog, working hours and calendars are JSON files (catalog.json, working-hours.json, calendar-<year>.json): export writes them.',
  'Then: npm run district -- import THIS-FOLDER (shows the changes and every problem with its row and column; --yes applies).',
  ...TABLE_NAMES.flatMap((table) => [
    '',
    `Sheet ${table}:`,
    ...COLUMNS[table].map((column) => `  ${column}: ${COLUMN_NOTES[table][column] ?? ''}`),
  ]),
];

export async function writeTemplate(out: string, format: TableFormat, print: Print): Promise<number> {
  mkdirSync(out, { recursive: true });
  const tables = TABLE_NAMES.map((name) => ({ name, columns: [...COLUMNS[name]], rows: [] }));
  const files: string[] = [];
  if (format === 'xlsx') {
    await writeWorkbook(join(out, WORKBOOK_FILE), tables, { notes: true, readme: TEMPLATE_README });
    files.push(WORKBOOK_FILE);
  } else
    for (const table of tables) {
      writeFileSync(join(out, `${table.name}.csv`), csvOf(table));
      files.push(`${table.name}.csv`);
    }
  writeFileSync(join(out, BOUNDARIES_FILE), geoJsonText({ type: 'FeatureCollection', features: [] }));
  files.push(BOUNDARIES_FILE);
  print(`template: ${files.join(', ')} in ${out} (docs/district-data.md explains the columns)`);
  return 0;
}
