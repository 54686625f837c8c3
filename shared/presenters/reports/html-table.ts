/** The table builder of the report page: columns with bilingual headers, cells escaped unless built as markup here. */
import { count, escapeHtml, labelHtml } from './html';
import type { Label } from './labels';

/** A cell: text is escaped, numbers are formatted, `{ html }` is markup this module built. */
export type Cell = string | number | undefined | { html: string };

/** `num`: right-aligned figures; `code`: identifiers and dates, kept on one line; `text`: wraps. */
type ColumnKind = 'text' | 'num' | 'code';

interface Column<Row> {
  label: Label;
  cell: (row: Row, index: number) => Cell;
  kind: ColumnKind;
}

export function column<Row>(label: Label, cell: (row: Row, index: number) => Cell, kind: ColumnKind = 'text'): Column<Row> {
  return { label, cell, kind };
}

export function htmlTable<Row>(rows: Row[], columns: Column<Row>[], className = ''): string {
  const classOf = (entry: Column<Row>) => ({ text: '', num: ' class="num"', code: ' class="nowrap"' })[entry.kind];
  const head = columns.map((entry) => `<th${classOf(entry)}>${labelHtml(entry.label)}</th>`).join('');
  const body = rows
    .map((row, index) => `<tr>${columns.map((entry) => `<td${classOf(entry)}>${cellHtml(entry.cell(row, index))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table${className ? ` class="${className}"` : ''}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function cellHtml(value: Cell): string {
  if (value === undefined || value === '') return '—';
  if (typeof value === 'number') return escapeHtml(count(value));
  if (typeof value === 'string') return escapeHtml(value);
  return value.html;
}
