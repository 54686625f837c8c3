/**
 * Records read back from the table are checked before the core sees them: the layout's attributes are
 * stripped and the fields a store relies on are checked, so a corrupt item is an error naming it (CorruptRecord),
 * never a silent cast.
 */
import { CorruptRecord } from '../../domain/errors';
import { LAYOUT_ATTRIBUTES } from './table-design';
import type { Item } from './single-table';

type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array';
/** The fields a record must have, by type; `?` after the type: optional. */
export type RecordShape = Record<string, FieldType | `${FieldType}?`>;

function typeOf(value: unknown): FieldType | 'other' {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'other';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : 'other';
}

/** The item named as in table-design.ts (`pk / sk`), or what the caller calls it. */
function nameOf(item: Item, what: string): string {
  return item.pk !== undefined ? `${what} ${String(item.pk)} / ${String(item.sk)}` : what;
}

/** Checks an item against its shape and returns it without the layout's attributes (and without `omit`). */
export function recordOf<T>(item: Item, what: string, shape: RecordShape, omit: readonly string[] = []): T {
  for (const [field, expected] of Object.entries(shape)) {
    const optional = expected.endsWith('?');
    const type = expected.replace('?', '');
    const value = item[field];
    if (value === undefined && optional) continue;
    if (typeOf(value) !== type)
      throw new CorruptRecord(nameOf(item, what), `${field} is ${value === undefined ? 'missing' : typeOf(value)}, not ${type}`);
  }
  const record: Item = { ...item };
  for (const attribute of [...LAYOUT_ATTRIBUTES, ...omit]) delete record[attribute];
  return record as T;
}

/** A case as stored: what every list and the core rely on. */
export const CASE_SHAPE: RecordShape = {
  id: 'string',
  itemCode: 'string',
  gridCode: 'string',
  status: 'string',
  stage: 'string',
  tier: 'string',
  severity: 'number',
  version: 'number',
  createdAt: 'string',
  involvedDepartments: 'array',
};
/** What the byPlace index copies of a case (see GSI.byPlace.include). */
export const NEARBY_CASE_SHAPE: RecordShape = {
  id: 'string',
  itemCode: 'string',
  gridCode: 'string',
  createdAt: 'string',
  location: 'object',
};
export const TIMELINE_SHAPE: RecordShape = { eventId: 'string', seq: 'number', type: 'string', at: 'string' };
export const WAITING_TASK_SHAPE: RecordShape = { token: 'string', waitingFor: 'string', since: 'string', loops: 'number' };
export const PATROL_SHAPE: RecordShape = {
  id: 'string',
  kind: 'string',
  unitCode: 'string',
  day: 'string',
  at: 'string',
  findings: 'array',
};
export const CAMPAIGN_SHAPE: RecordShape = { id: 'string', title: 'string', deadlineAt: 'string', district: 'string', targets: 'array' };
export const CAMPAIGN_RESPONSE_SHAPE: RecordShape = {
  campaignId: 'string',
  person: 'string',
  at: 'string',
  firstAt: 'string',
  responses: 'number',
};
export const CAMPAIGN_SUMMARY_SHAPE: RecordShape = {
  id: 'string',
  title: 'string',
  deadlineAt: 'string',
  targets: 'number',
  responded: 'number?',
};
export const FOLDED_REMINDER_SHAPE: RecordShape = { eventId: 'string', template: 'string', line: 'string', foldedAt: 'string' };
