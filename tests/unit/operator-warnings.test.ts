/** GET /health's warnings: a year's holiday arrangement due and missing, and a deployment without reference data. */
import { expect, test } from '@jest/globals';
import { operatorWarnings } from '../../shared/core/operator-warnings';
import { serviceUnavailable } from '../../shared/domain/errors';

const clockAt = (iso: string) => ({ now: () => new Date(iso), scale: 1 });

test("next year's arrangement is due from 1 December, Asia/Shanghai; this year's always", () => {
  const known = [2025, 2026];
  expect(operatorWarnings({ clock: clockAt('2026-11-30T15:59:59Z'), calendarYears: known })).toEqual([]);
  // 00:00 on 1 December in Shanghai.
  expect(operatorWarnings({ clock: clockAt('2026-11-30T16:00:00Z'), calendarYears: known })).toEqual([
    expect.objectContaining({ code: 'calendar_year_missing', year: 2027 }),
  ]);
  expect(operatorWarnings({ clock: clockAt('2026-12-15T00:00:00Z'), calendarYears: [...known, 2027] })).toEqual([]);
  expect(operatorWarnings({ clock: clockAt('2027-03-01T00:00:00Z'), calendarYears: known })).toEqual([
    expect.objectContaining({ code: 'calendar_year_missing', year: 2027 }),
  ]);
});

test('a composition without reference data warns instead of failing', () => {
  const deps = {
    clock: clockAt('2026-12-04T00:00:00Z'),
    get calendarYears(): readonly number[] {
      throw serviceUnavailable('reference_missing', 'GridFlow has no reference data', 60);
    },
  };
  expect(operatorWarnings(deps)).toEqual([{ code: 'reference_missing', message: 'GridFlow has no reference data' }]);
});
