/**
 * Unit codes (GB/T 30428.1): a 6-digit district (division) code, then 3 digits for the town or street,
 * 3 for the community and 3 for the grid — 6, 9, 12 or 15 digits. A unit's code starts with the code of
 * every unit above it, so the arithmetic on codes is prefixes; it lives here and nowhere else.
 */
import type { UnitLevel } from './types';

export const UNIT_CODE_LENGTH: Readonly<Record<UnitLevel, number>> = { district: 6, town: 9, community: 12, grid: 15 };

/** Any unit's code: 6, 9, 12 or 15 digits. */
export const UNIT_CODE_PATTERN = /^\d{6}(\d{3}){0,3}$/;
/** A grid's code: 15 digits. */
export const GRID_CODE_PATTERN = new RegExp(`^\\d{${UNIT_CODE_LENGTH.grid}}$`);

export function isUnitCode(text: string): boolean {
  return UNIT_CODE_PATTERN.test(text);
}

export function levelOfCode(code: string): UnitLevel | undefined {
  if (!isUnitCode(code)) return undefined;
  return (Object.keys(UNIT_CODE_LENGTH) as UnitLevel[]).find((level) => UNIT_CODE_LENGTH[level] === code.length);
}

/** The code of the unit of `level` that contains `code` (itself if it is at that level). */
export function unitCodeAt(code: string, level: UnitLevel): string {
  return code.slice(0, UNIT_CODE_LENGTH[level]);
}

/** The district a unit lies in: 441302 for 441302010001003. Every case of a district shares its index partitions. */
export function districtOf(code: string): string {
  return unitCodeAt(code, 'district');
}

export function communityOf(code: string): string {
  return unitCodeAt(code, 'community');
}

/** The codes of a unit and every unit above it, top first: 441302, 441302010, 441302010001, … */
export function ancestorCodes(code: string): string[] {
  return Object.values(UNIT_CODE_LENGTH)
    .filter((length) => length <= code.length)
    .map((length) => code.slice(0, length));
}

/** True when `code` is `scope` or lies below it. */
export function isWithin(code: string, scope: string): boolean {
  return code.startsWith(scope);
}
