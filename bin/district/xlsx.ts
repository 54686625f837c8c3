/**
 * The tables as one workbook (district.xlsx: a sheet per table), through exceljs — the command line's only, never a
 * Lambda's. Cells are written as text (a phone or a 15-digit code stays as typed); read back, a number, a date, a
 * formula's result or rich text becomes the text it shows.
 */
import ExcelJS from 'exceljs';
import { COLUMN_NOTES, type Table, TABLE_NAMES, type TableName } from './tables';

export const WORKBOOK_FILE = 'district.xlsx';

/** A table read from a sheet, with the sheet's name. */
export interface SheetTable extends Table {
  sheet: string;
}

/** Writes the tables as sheets; with `notes`, each header cell explains its column (the template). */
export async function writeWorkbook(path: string, tables: Table[], options: { notes?: boolean; readme?: string[] } = {}): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GridFlow';
  if (options.readme) {
    const readme = workbook.addWorksheet('README');
    readme.getColumn(1).width = 120;
    for (const line of options.readme) readme.addRow([line]);
  }
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    table.columns.forEach((column, i) => {
      const each = sheet.getColumn(i + 1);
      each.numFmt = '@';
      each.width = Math.min(40, Math.max(12, column.length + 4));
    });
    const header = sheet.addRow(table.columns);
    header.font = { bold: true };
    if (options.notes)
      table.columns.forEach((column, i) => {
        const note = COLUMN_NOTES[table.name][column];
        if (note) header.getCell(i + 1).note = note;
      });
    for (const row of table.rows) sheet.addRow(row);
  }
  await workbook.xlsx.writeFile(path);
}

/** The sheets named units, departments and people (any case) as tables of text; other sheets are listed as ignored. */
export async function readWorkbook(path: string): Promise<{ tables: SheetTable[]; ignored: string[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const tables: SheetTable[] = [];
  const ignored: string[] = [];
  for (const sheet of workbook.worksheets) {
    const name = sheet.name.trim().toLowerCase() as TableName;
    if (!TABLE_NAMES.includes(name)) {
      ignored.push(sheet.name);
      continue;
    }
    const rows: string[][] = [];
    const width = sheet.columnCount;
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      rows.push(Array.from({ length: width }, (_, c) => cellText(row.getCell(c + 1).value)));
    }
    const [columns = [], ...body] = rows;
    tables.push({ name, sheet: sheet.name, columns: columns.map((column) => column.trim()), rows: body });
  }
  return { tables, ignored };
}

/** The text a cell shows. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}
