/**
 * The district's files against a running local platform (issue 15): `export` writes the version in effect as a
 * workbook or CSV files, GeoJSON and JSON, and importing them again changes nothing; a sheet with errors is refused —
 * what the files cannot say is named by file, sheet, row and column before anything is sent, what the platform's
 * rules refuse is named back at its row and column (or its GeoJSON feature), and nothing is applied; `template`
 * writes the empty, documented sheets. The command line calls the platform's admin API, as it would a deployment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { COLUMNS } from '../../bin/district/tables';
import { HUICHENG, startStack, type Stack } from '../support/local-stack';
import { district } from '../support/district-cli';

const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-district-files-'));
const work = mkdtempSync(join(tmpdir(), 'gridflow-district-out-'));
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dataDir });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function versionInEffect(): Promise<number> {
  const { status, body } = await stack.call('GET', '/admin/reference', { token: stack.token('admin', HUICHENG) });
  expect(status).toBe(200);
  return body.version;
}

test.each(['xlsx', 'csv'])('export (%s) then import: no changes, nothing applied', async (format) => {
  const out = join(work, `export-${format}`);
  const exported = await district(['export', '--out', out, '--format', format], dataDir);
  expect(exported.code).toBe(0);
  expect(exported.summary).toMatch(/^exported: version 1 — 24 units \(9 grids\), 64 people, 15 departments/);
  const imported = await district(['import', out], dataDir);
  expect(imported.stdout).toContain('no changes');
  expect(imported.summary).toBe('import: no changes against version 1; nothing to apply');
  expect(imported.code).toBe(0);
  expect(await versionInEffect()).toBe(1);
});

/** The exported workbook, changed by `edit`, saved as a new folder with the rest of the export. */
async function editedExport(name: string, edit: (workbook: ExcelJS.Workbook) => void): Promise<string> {
  const out = join(work, name);
  expect((await district(['export', '--out', out], dataDir)).code).toBe(0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, 'district.xlsx'));
  edit(workbook);
  await workbook.xlsx.writeFile(join(out, 'district.xlsx'));
  return out;
}

const cell = (workbook: ExcelJS.Workbook, sheet: string, row: number, column: string) => {
  const columnIndex = COLUMNS[sheet as keyof typeof COLUMNS].indexOf(column) + 1;
  return (workbook.getWorksheet(sheet) as ExcelJS.Worksheet).getRow(row).getCell(columnIndex);
};

test('a sheet the files cannot even say is refused by row and column before anything is sent', async () => {
  const out = await editedExport('unreadable', (workbook) => {
    cell(workbook, 'people', 5, 'head').value = 'maybe';
    cell(workbook, 'units', 4, 'code').value = '441302001';
  });
  const run = await district(['import', out, '--yes'], dataDir);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("district.xlsx, sheet people, row 5, column G (head): 'maybe' is not yes or no");
  expect(run.stdout).toMatch(/district\.xlsx, sheet units, row 4, column A \(code\): unit 441302001 appears twice \(also .*row 3\)/);
  // The street whose code row 4 gave up keeps its outline in boundaries.geojson, for a unit the sheet no longer has.
  expect(run.stdout).toMatch(/boundaries\.geojson, feature \d+: unit 441302002 is not in the units/);
  expect(run.summary).toBe('import: refused, 3 problem(s) in the files; nothing sent, nothing applied');
  expect(await versionInEffect()).toBe(1);
});

test('what the platform refuses is named at its row and column, or its feature; nothing applied, exit 1', async () => {
  const out = await editedExport('refused', (workbook) => {
    // Row 5 is the 4th person: people[3].
    cell(workbook, 'people', 5, 'phone').value = '0752-2812345';
    cell(workbook, 'people', 6, 'role').value = 'mayor';
  });
  // A boundary that is not a closed ring, for grid 1.
  writeFileSync(
    join(out, 'boundaries.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '441302010001001' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [114.41, 23.13],
                [114.42, 23.13],
                [114.42, 23.14],
                [114.41, 23.14],
              ],
            ],
          },
        },
      ],
    }),
  );
  const run = await district(['import', out, '--yes'], dataDir);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('district.xlsx, sheet people, row 5, column E (phone) [people[3].phone]: must be a mainland mobile number');
  expect(run.stdout).toContain("district.xlsx, sheet people, row 6, column C (role) [people[4].role]: role 'mayor' does not exist");
  // Without its worker (now a mayor), grid 5 is named at its row of the units sheet.
  expect(run.stdout).toContain(
    'district.xlsx, sheet units, row 16, column A (code) [units.children[7].children[0].children[4].code]: grid 441302010001005',
  );
  expect(run.stdout).toContain(
    'boundaries.geojson, feature 1 (unit 441302010001001) at geometry.coordinates[0] [units.children[7].children[0].children[0].boundary.coordinates[0]]: the ring is not closed',
  );
  expect(run.summary).toBe('import: refused, 4 problem(s); nothing applied');
  expect(await versionInEffect()).toBe(1);
});

test('a changed phone: the diff names it; without --yes (and no terminal) nothing is applied; with --yes it is', async () => {
  const out = await editedExport('changed', (workbook) => {
    cell(workbook, 'people', 3, 'phone').value = '13000001102';
  });
  const asked = await district(['import', out], dataDir);
  expect(asked.stdout).toContain('~ gw-441302010001002: phone');
  expect(asked.summary).toBe('import: not applied (1 people changed validated; --yes applies them)');
  expect(asked.code).toBe(1);
  expect(await versionInEffect()).toBe(1);
  const applied = await district(['import', out, '--yes', '--note', 'grid 2 has a new phone'], dataDir);
  expect(applied.summary).toBe('import: applied as version 2 (1 people changed)');
  expect(applied.code).toBe(0);
  expect(await versionInEffect()).toBe(2);
});

test('template: the three sheets with their documented columns, a README sheet, an empty boundaries file', async () => {
  const out = join(work, 'template');
  const run = await district(['template', '--out', out], dataDir);
  expect(run.code).toBe(0);
  expect(run.summary).toMatch(/^template: district\.xlsx, boundaries\.geojson in /);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, 'district.xlsx'));
  expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['README', 'units', 'departments', 'people']);
  for (const name of ['units', 'departments', 'people'] as const) {
    const header = (workbook.getWorksheet(name) as ExcelJS.Worksheet).getRow(1);
    expect(COLUMNS[name].map((_, i) => header.getCell(i + 1).value)).toEqual([...COLUMNS[name]]);
    expect(header.getCell(1).note).toBeTruthy();
  }
  expect(JSON.parse(readFileSync(join(out, 'boundaries.geojson'), 'utf8'))).toEqual({ type: 'FeatureCollection', features: [] });
  // An empty template is nothing to import.
  const empty = await district(['import', out], dataDir);
  expect(empty.code).toBe(1);
  expect(empty.summary).toMatch(/^import: refused/);
});
