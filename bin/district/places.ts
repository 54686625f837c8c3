/**
 * Where a problem the platform names by its place in the documents lies in the files: `people[12].phone` is the
 * people sheet's row 14, column E (phone); `units.children[7].children[0].code` the row of that unit, column code;
 * `units.children[7].boundary.coordinates[0][3]` the feature of boundaries.geojson that gave it. A 400's dotted
 * field (`documents.people.12.phone`) is read the same way.
 */
import type { UnitNode } from '../../shared/domain/units';
import { type Converted, placeOf, type RowPlace } from './convert';

/** The field in the documents' bracket form: `documents.people.12.phone` → `people[12].phone`. */
function bracketed(field: string): string {
  return field
    .replace(/^(body\.)?documents\./, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    .replace(/^(\w[\w-]*)\[/, '$1[');
}

/** Where `field` lies in the files, with the field itself after it. */
export function problemPlace(field: string, converted: Converted): string {
  const path = bracketed(field);
  const located = locate(path, converted);
  return located ? `${located} [${path}]` : path;
}

function locate(path: string, converted: Converted): string | undefined {
  const record = /^(people|departments)\[(\d+)\](?:\.([\w-]+))?(.*)$/.exec(path);
  if (record) {
    const rows: RowPlace[] = record[1] === 'people' ? converted.people : converted.departments;
    const row = rows[Number(record[2])];
    return row && placeOf(row, record[3]);
  }
  if (path === 'units' || path.startsWith('units.') || path.startsWith('units[')) return unitPlace(path, converted);
  const document = /^([a-z]+(?:-[a-z]+)*|calendar-\d{4})(.*)$/.exec(path);
  const file = document && converted.json.get(document[1]);
  return file ? `${file}${document[2] ? ` at ${document[2].replace(/^\./, '')}` : ''}` : undefined;
}

/** The unit a `units.children[i]…` path walks to, then its row (or its feature, for a boundary). */
function unitPlace(path: string, converted: Converted): string | undefined {
  let node: UnitNode | undefined = converted.documents.units;
  let rest = path.slice('units'.length);
  for (let step = /^\.children\[(\d+)\]/.exec(rest); step && node; step = /^\.children\[(\d+)\]/.exec(rest)) {
    node = node.children?.[Number(step[1])];
    rest = rest.slice(step[0].length);
  }
  if (!node) return undefined;
  const row = converted.units.get(node.code);
  if (rest.startsWith('.boundary')) {
    const feature = converted.features.get(node.code);
    const inside = rest.slice('.boundary'.length).replace(/^\./, '');
    return feature ? `${feature}${inside ? ` at geometry.${inside}` : ''}` : row && placeOf(row);
  }
  const column = /^\.([\w-]+)$/.exec(rest)?.[1];
  if (!row) return undefined;
  return column && column !== 'children' ? placeOf(row, column) : placeOf(row);
}
