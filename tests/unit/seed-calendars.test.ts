/**
 * The seeded calendars come from chinese-days: one document per year from 2004, holidays as named runs of days.
 * Its 2026 agrees, day for day, with the State Council notice as the project checked it (shared/data/holidays-cn-2026.json).
 */
import { expect, test } from '@jest/globals';
import { chineseDaysCalendars } from '../../dev-server/seed-calendars';
import checked2026 from '../../shared/data/holidays-cn-2026.json' with { type: 'json' };

test('one document per year from 2004 to 2026; 2026 has the checked holidays and make-up working days', () => {
  const calendars = chineseDaysCalendars();
  expect(Object.keys(calendars).sort()).toEqual(Array.from({ length: 23 }, (_, index) => `calendar-${2004 + index}`));
  const year = calendars['calendar-2026'];
  expect(year.holidays.map(({ from, to }) => ({ from, to }))).toEqual(checked2026.holidays.map(({ from, to }) => ({ from, to })));
  expect(year.makeUpWorkdays).toEqual(checked2026.makeUpWorkdays);
  expect(year.holidays[0].name).toBe("元旦 New Year's Day");
});
