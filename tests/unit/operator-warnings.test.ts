/** GET /health's warnings: a year's holiday arrangement due and missing, and a deployment without reference data. */
import { expect, test } from '@jest/globals';
import { CALENDAR_YEAR_MISSING_LOG, logOperatorWarnings, operatorWarnings } from '../../shared/core/operator-warnings';
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

test("the sweeper's log line the alarm counts: once a run while the year is missing, none once it is added", () => {
  const lines: { message: string; extra?: Record<string, unknown> }[] = [];
  const logger = {
    info: () => {},
    error: () => {},
    warn: (message: string, extra?: Record<string, unknown>) => lines.push({ message, extra }),
  };
  logOperatorWarnings({ clock: clockAt('2026-12-04T00:00:00Z'), calendarYears: [2026], logger });
  expect(lines).toEqual([{ message: CALENDAR_YEAR_MISSING_LOG, extra: expect.objectContaining({ year: 2027 }) }]);
  logOperatorWarnings({ clock: clockAt('2026-12-05T00:00:00Z'), calendarYears: [2026, 2027], logger });
  expect(lines).toHaveLength(1);
});
