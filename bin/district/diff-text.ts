/** The diff a validation returns (domain/reference-diff.ts), as lines for a terminal: counts, then the changes. */
import type { ReferenceDiff } from '../../shared/domain/reference-diff';

/** Changes listed per kind before "… and N more" (--all lists every one). */
export const LISTED = 20;

const count = (n: number) => n.toLocaleString('en');

export function diffLines(diff: ReferenceDiff, all = false): string[] {
  if (diff.unchanged) return ['  no changes'];
  const lines: string[] = [];
  const list = <T>(items: T[], line: (item: T) => string) => {
    const shown = all ? items : items.slice(0, LISTED);
    lines.push(...shown.map((item) => `    ${line(item)}`));
    if (shown.length < items.length) lines.push(`    … and ${count(items.length - shown.length)} more (--all lists them)`);
  };
  const changed = (item: { id: string; fields: string[] }) => `~ ${item.id}: ${item.fields.join(', ')}`;
  const { units } = diff;
  lines.push(
    `  units: ${count(units.added.length)} added, ${count(units.removed.length)} removed, ${count(units.moved.length)} moved, ${count(units.changed.length)} changed`,
  );
  list(units.added, (unit) => `+ ${unit.code} ${unit.name}${unit.parent ? ` (in ${unit.parent})` : ''}`);
  list(units.removed, (unit) => `- ${unit.code} ${unit.name}`);
  list(units.moved, (unit) => `> ${unit.code}: from ${unit.from ?? 'the top'} to ${unit.to ?? 'the top'}`);
  list(units.changed, changed);
  for (const [name, part] of [
    ['departments', diff.departments],
    ['people', diff.people],
    ['catalog items', diff.catalog],
  ] as const) {
    lines.push(
      `  ${name}: ${count(part.added.length)} added, ${count(part.removed.length)} removed, ${count(part.changed.length)} changed`,
    );
    list(part.added as { id?: string; code?: string; name: string }[], (item) => `+ ${item.id ?? item.code} ${item.name}`);
    list(part.removed as { id?: string; code?: string; name: string }[], (item) => `- ${item.id ?? item.code} ${item.name}`);
    list(part.changed, changed);
  }
  const { calendars } = diff;
  if (calendars.added.length + calendars.changed.length + calendars.removed.length > 0)
    lines.push(
      `  calendars: ${[
        ['added', calendars.added],
        ['changed', calendars.changed],
        ['removed', calendars.removed],
      ]
        .filter(([, years]) => (years as number[]).length > 0)
        .map(([what, years]) => `${what} ${(years as number[]).join(', ')}`)
        .join('; ')}`,
    );
  if (diff.workingHours) lines.push('  working hours: changed');
  return lines;
}

/** "2,594 units added, 2,989 people added": the non-empty counts, for the summary line. */
export function diffCounts(diff: ReferenceDiff): string {
  if (diff.unchanged) return 'no changes';
  const parts: string[] = [];
  const add = (n: number, what: string) => n > 0 && parts.push(`${count(n)} ${what}`);
  add(diff.units.added.length, 'units added');
  add(diff.units.removed.length, 'units removed');
  add(diff.units.moved.length, 'units moved');
  add(diff.units.changed.length, 'units changed');
  for (const [name, part] of [
    ['departments', diff.departments],
    ['people', diff.people],
    ['catalog items', diff.catalog],
  ] as const) {
    add(part.added.length, `${name} added`);
    add(part.removed.length, `${name} removed`);
    add(part.changed.length, `${name} changed`);
  }
  add(diff.calendars.added.length + diff.calendars.changed.length + diff.calendars.removed.length, 'calendar years changed');
  if (diff.workingHours) parts.push('working hours changed');
  return parts.join(', ');
}
