/**
 * What a proposed version changes against the one in effect, as the administration shows it before applying and the
 * audit keeps after: units added, removed, moved (parent changed) or changed; departments and people added, changed,
 * removed; catalog items added, removed, changed; calendar years added, changed, removed; working hours changed; the
 * policy fields changed; and which documents the version gains or goes without.
 */
import { policyChanges } from './policy-overrides';
import type { ReferenceDocumentSet } from './reference-documents';
import { placedUnits } from './reference-rules';

export interface Changes<Added, Removed = Added> {
  added: Added[];
  changed: { id: string; fields: string[] }[];
  removed: Removed[];
}

export interface ReferenceDiff {
  units: Changes<{ code: string; name: string; parent: string | null }, { code: string; name: string }> & {
    moved: { code: string; from: string | null; to: string | null }[];
  };
  departments: Changes<{ code: string; name: string }>;
  people: Changes<{ id: string; name: string }>;
  catalog: Changes<{ code: string; name: string }>;
  calendars: { added: number[]; changed: number[]; removed: number[] };
  workingHours: boolean;
  /** The policy's fields set, changed or unset (`handlingLimit.community.3`, `reminderFractions`). */
  policy: string[];
  /** Documents by name that the version gains, or goes without (a calendar year removed, a policy dropped). */
  documents: { added: string[]; removed: string[] };
  /** Nothing at all changes. */
  unchanged: boolean;
}

type Documents = Partial<ReferenceDocumentSet> & Record<string, unknown>;

export function referenceDiff(before: Documents, after: Documents): ReferenceDiff {
  const unitsOf = (documents: Documents) =>
    new Map(
      (documents.units ? placedUnits(documents.units) : []).map(({ node, parent }) => {
        const { children: _children, ...own } = node;
        return [node.code, { ...own, parent: parent ?? null }] as const;
      }),
    );
  const beforeUnits = unitsOf(before);
  const afterUnits = unitsOf(after);
  const units = changesOf(beforeUnits, afterUnits, ['parent']);
  const moved = [...afterUnits.values()]
    .filter((unit) => beforeUnits.has(unit.code) && beforeUnits.get(unit.code)?.parent !== unit.parent)
    .map((unit) => ({ code: unit.code, from: beforeUnits.get(unit.code)?.parent ?? null, to: unit.parent }));
  const byKey = <T, K extends keyof T>(list: T[] | undefined, key: K) => new Map((list ?? []).map((item) => [String(item[key]), item]));
  const items = (documents: Documents) =>
    (documents.catalog?.classes ?? []).flatMap((catalogClass) =>
      catalogClass.items.map((item) => ({
        ...item,
        department: item.department ?? catalogClass.defaultDepartment,
        class: catalogClass.code,
      })),
    );
  const years = (documents: Documents) =>
    new Map(
      Object.entries(documents)
        .filter(([name]) => /^calendar-\d+$/.test(name))
        .map(([name, value]) => [Number(name.slice(9)), value]),
    );
  const beforeYears = years(before);
  const afterYears = years(after);
  const diff: Omit<ReferenceDiff, 'unchanged'> = {
    units: {
      added: units.added.map(({ code, name, parent }) => ({ code, name, parent })),
      removed: units.removed.map(({ code, name }) => ({ code, name })),
      moved,
      changed: units.changed,
    },
    departments: pick(changesOf(byKey(before.departments, 'code'), byKey(after.departments, 'code')), ({ code, name }) => ({ code, name })),
    people: pick(changesOf(byKey(before.people, 'id'), byKey(after.people, 'id')), ({ id, name }) => ({ id, name })),
    catalog: pick(changesOf(byKey(items(before), 'code'), byKey(items(after), 'code')), ({ code, name }) => ({ code, name })),
    calendars: {
      added: [...afterYears.keys()].filter((year) => !beforeYears.has(year)).sort(),
      changed: [...afterYears.keys()].filter((year) => beforeYears.has(year) && !same(beforeYears.get(year), afterYears.get(year))).sort(),
      removed: [...beforeYears.keys()].filter((year) => !afterYears.has(year)).sort(),
    },
    workingHours: !same(before['working-hours'], after['working-hours']),
    policy: policyChanges(before.policy, after.policy),
    documents: {
      added: Object.keys(after)
        .filter((name) => !(name in before))
        .sort(),
      removed: Object.keys(before)
        .filter((name) => !(name in after))
        .sort(),
    },
  };
  const counts = [diff.units, diff.departments, diff.people, diff.catalog, diff.calendars, diff.documents].flatMap((part) =>
    Object.values(part),
  );
  return { ...diff, unchanged: !diff.workingHours && diff.policy.length === 0 && counts.every((list) => list.length === 0) };
}

/** Added, removed, and changed (with the fields that differ, less `ignore`) between two keyed collections. */
function changesOf<T extends object>(
  before: Map<string, T>,
  after: Map<string, T>,
  ignore: string[] = [],
): { added: T[]; removed: T[]; changed: { id: string; fields: string[] }[] } {
  const changed: { id: string; fields: string[] }[] = [];
  for (const [id, item] of after) {
    const old = before.get(id);
    if (!old) continue;
    const fields = [...new Set([...Object.keys(old), ...Object.keys(item)])]
      .filter((field) => !ignore.includes(field))
      .filter((field) => !same((old as Record<string, unknown>)[field], (item as Record<string, unknown>)[field]))
      .sort();
    if (fields.length > 0) changed.push({ id, fields });
  }
  return {
    added: [...after].filter(([id]) => !before.has(id)).map(([, item]) => item),
    removed: [...before].filter(([id]) => !after.has(id)).map(([, item]) => item),
    changed,
  };
}

function pick<T, V>(changes: { added: T[]; removed: T[]; changed: { id: string; fields: string[] }[] }, view: (item: T) => V): Changes<V> {
  return { added: changes.added.map(view), changed: changes.changed, removed: changes.removed.map(view) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
