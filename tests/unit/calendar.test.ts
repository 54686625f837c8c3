import { BusinessCalendar, localDate, parseLocal, toLocalIso, type CalendarData } from '../../shared/domain/calendar';
import { sampleCalendar } from '../../dev-server/seed-reference';

const calendar = sampleCalendar();

/** Adds working hours to a Shanghai wall-clock time and returns the Shanghai ISO result. */
const plusWorkingHours = (start: string, hours: number): string => toLocalIso(calendar.addWorkingHours(parseLocal(start), hours));
const plusWorkingDays = (start: string, days: number): string => toLocalIso(calendar.addWorkingDays(parseLocal(start), days));
const hoursBetween = (from: string, to: string): number => calendar.workingHoursBetween(parseLocal(from), parseLocal(to));

/** A plain calendar (no holidays) with the default periods, for building variants in validation tests. */
const plainData = (overrides: Partial<CalendarData> = {}): CalendarData => ({
  timezone: 'Asia/Shanghai',
  holidays: [],
  makeUpWorkdays: [],
  workingHours: [
    { from: '08:30', to: '12:00' },
    { from: '14:00', to: '17:30' },
  ],
  ...overrides,
});

describe('time zone helpers (fixed UTC+08:00)', () => {
  it('localDate gives the Shanghai date of a UTC instant', () => {
    expect(localDate(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
    expect(localDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(localDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('toLocalIso prints Shanghai time with seconds, and milliseconds only when non-zero', () => {
    expect(toLocalIso(new Date('2026-10-08T08:00:00Z'))).toBe('2026-10-08T16:00:00+08:00');
    expect(toLocalIso(new Date('2026-10-08T08:00:05.250Z'))).toBe('2026-10-08T16:00:05.250+08:00');
    expect(toLocalIso(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
  });

  it('parseLocal reads naive times as Asia/Shanghai', () => {
    const expected = new Date('2026-10-08T08:00:00Z').getTime();
    expect(parseLocal('2026-10-08 16:00').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T16:00').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T16:00:00').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T16:00:00.5').getTime()).toBe(expected + 500);
    expect(parseLocal('2026-10-08T16:00:00.123456').getTime()).toBe(expected + 123);
  });

  it('parseLocal honours an explicit offset', () => {
    const expected = new Date('2026-10-08T08:00:00Z').getTime();
    expect(parseLocal('2026-10-08T16:00:00+08:00').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T16:00:00+0800').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T08:00:00Z').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T08:00:00+00:00').getTime()).toBe(expected);
    expect(parseLocal('2026-10-08T03:00:00-05:00').getTime()).toBe(expected);
  });

  it('parseLocal and toLocalIso round-trip', () => {
    for (const iso of ['2026-02-14T08:30:00+08:00', '2026-10-08T16:00:00.007+08:00', '2026-01-01T00:00:00+08:00']) {
      expect(toLocalIso(parseLocal(iso))).toBe(iso);
    }
  });

  it.each([
    ['a bare date', '2026-10-08'],
    ['an impossible date', '2026-02-30 10:00'],
    ['hour 24', '2026-10-08 24:00'],
    ['minute 60', '2026-10-08 16:60'],
    ['single-digit hour', '2026-10-08 9:00'],
    ['an offset out of range', '2026-10-08T16:00+25:00'],
    ['garbage', 'next Tuesday'],
  ])('parseLocal rejects %s', (_label, input) => {
    expect(() => parseLocal(input)).toThrow(/Cannot parse date-time|must be a date/);
  });

  it('rejects an invalid Date', () => {
    expect(() => localDate(new Date('nope'))).toThrow(/valid Date/);
    expect(() => toLocalIso(new Date(NaN))).toThrow(/valid Date/);
  });
});

describe('sampleCalendar()', () => {
  it('has 7 working hours per day and is shared', () => {
    expect(calendar.workingHoursPerDay).toBe(7);
    expect(sampleCalendar()).toBe(calendar);
  });

  it('counts 248 working days (1736 hours) in 2026', () => {
    expect(hoursBetween('2026-01-01 00:00', '2027-01-01 00:00')).toBe(248 * 7);
  });
});

describe('isWorkingDay', () => {
  it('treats Monday–Friday as working and weekends as off', () => {
    expect(calendar.isWorkingDay('2026-11-23')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-11-29')).toBe(false); // Sunday
  });

  it('treats every day of a holiday range as off, bounds included', () => {
    expect(calendar.isWorkingDay('2026-09-30')).toBe(true);
    for (let day = 1; day <= 7; day++) {
      expect(calendar.isWorkingDay(`2026-10-0${day}`)).toBe(false);
    }
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('treats make-up weekend days as working', () => {
    expect(calendar.isWorkingDay('2026-01-04')).toBe(true); // Sunday, New Year
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday, Spring Festival
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true); // Saturday, Spring Festival
    expect(calendar.isWorkingDay('2026-05-09')).toBe(true); // Saturday, Labour Day
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday, National Day
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday, National Day
  });

  it('covers the Spring Festival: 02-15..02-23 off, including the weekdays', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false); // Monday
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false); // Monday
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('falls back to a plain week outside the data years', () => {
    expect(calendar.isWorkingDay('2027-10-01')).toBe(true); // a Friday: no 2027 holiday data
    expect(calendar.isWorkingDay('2027-10-02')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2025-12-31')).toBe(true); // Wednesday
  });

  it.each(['2026-1-4', '2026-02-30', '20260104', ''])('rejects the malformed date %p', (input) => {
    expect(() => calendar.isWorkingDay(input)).toThrow(/YYYY-MM-DD/);
  });
});

describe('isWorkingTime', () => {
  it.each([
    ['2026-11-23 08:29:59', false],
    ['2026-11-23 08:30', true],
    ['2026-11-23 11:59:59', true],
    ['2026-11-23 12:00', false], // periods are half-open
    ['2026-11-23 13:00', false], // lunch break
    ['2026-11-23 14:00', true],
    ['2026-11-23 17:29', true],
    ['2026-11-23 17:30', false],
    ['2026-11-28 10:00', false], // Saturday
    ['2026-10-10 10:00', true], // make-up Saturday
    ['2026-10-05 10:00', false], // National Day
  ])('%s → %p', (time, expected) => {
    expect(calendar.isWorkingTime(parseLocal(time))).toBe(expected);
  });

  it('reads instants given in UTC in Shanghai time', () => {
    expect(calendar.isWorkingTime(new Date('2026-11-23T00:30:00Z'))).toBe(true); // 08:30 local
    expect(calendar.isWorkingTime(new Date('2026-11-23T00:29:00Z'))).toBe(false); // 08:29 local
    expect(calendar.isWorkingTime(new Date('2026-11-23T04:00:00Z'))).toBe(false); // 12:00 local
  });
});

describe('addWorkingDays', () => {
  it('1 working day from Wednesday 2026-09-30 16:00 ends Thursday 2026-10-08 16:00, after National Day', () => {
    expect(plusWorkingDays('2026-09-30 16:00', 1)).toBe('2026-10-08T16:00:00+08:00');
  });

  it('2 working days from Friday 2026-10-09 10:00 end Monday 2026-10-12 10:00 (Saturday 10-10 is a make-up day)', () => {
    expect(plusWorkingDays('2026-10-09 10:00', 2)).toBe('2026-10-12T10:00:00+08:00');
  });

  it('crosses the Spring Festival using the make-up Saturdays 02-14 and 02-28', () => {
    expect(plusWorkingDays('2026-02-13 16:00', 1)).toBe('2026-02-14T16:00:00+08:00');
    expect(plusWorkingDays('2026-02-14 16:00', 1)).toBe('2026-02-24T16:00:00+08:00');
    expect(plusWorkingDays('2026-02-27 10:00', 1)).toBe('2026-02-28T10:00:00+08:00');
    expect(plusWorkingDays('2026-02-28 10:00', 1)).toBe('2026-03-02T10:00:00+08:00');
  });

  it("crosses New Year's Day onto the make-up Sunday 2026-01-04", () => {
    expect(plusWorkingDays('2025-12-31 16:00', 1)).toBe('2026-01-04T16:00:00+08:00');
    expect(plusWorkingDays('2026-01-04 16:00', 1)).toBe('2026-01-05T16:00:00+08:00');
  });

  it('counts a fractional day as that share of the working hours', () => {
    expect(plusWorkingDays('2026-11-23 08:30', 0.5)).toBe('2026-11-23T12:00:00+08:00');
  });

  // Tests do not time things: a minute-by-minute walk over 10,000 days would outlast Jest's 5 s limit on its own.
  it('steps by periods: 100 and 10,000 working days', () => {
    expect(plusWorkingDays('2026-03-02 08:30', 100)).toBe('2026-07-23T17:30:00+08:00');
    const farEnd = calendar.addWorkingDays(parseLocal('2026-03-02 08:30'), 10_000);
    expect(calendar.workingHoursBetween(parseLocal('2026-03-02 08:30'), farEnd)).toBe(70_000);
  });

  it('rejects negative or non-finite days', () => {
    expect(() => calendar.addWorkingDays(parseLocal('2026-11-23 09:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(parseLocal('2026-11-23 09:00'), NaN)).toThrow(RangeError);
  });
});

describe('addWorkingHours', () => {
  it('8 working hours from Monday 2026-11-23 09:00 end Tuesday 2026-11-24 10:00', () => {
    expect(plusWorkingHours('2026-11-23 09:00', 8)).toBe('2026-11-24T10:00:00+08:00');
  });

  it('skips the lunch break', () => {
    expect(plusWorkingHours('2026-11-23 11:00', 2)).toBe('2026-11-23T15:00:00+08:00');
    expect(plusWorkingHours('2026-11-23 12:30', 1)).toBe('2026-11-23T15:00:00+08:00'); // counts from 14:00
  });

  it('starts a weekend or evening start at the next working morning', () => {
    expect(plusWorkingHours('2026-11-27 19:00', 1)).toBe('2026-11-30T09:30:00+08:00'); // Friday evening
    expect(plusWorkingHours('2026-11-28 10:00', 1)).toBe('2026-11-30T09:30:00+08:00'); // Saturday
    expect(plusWorkingHours('2026-11-24 06:00', 1)).toBe('2026-11-24T09:30:00+08:00'); // early morning
  });

  it('starts exactly at 08:30 and at 17:30', () => {
    expect(plusWorkingHours('2026-11-23 08:30', 3.5)).toBe('2026-11-23T12:00:00+08:00');
    expect(plusWorkingHours('2026-11-23 08:30', 7)).toBe('2026-11-23T17:30:00+08:00');
    expect(plusWorkingHours('2026-11-23 17:30', 1)).toBe('2026-11-24T09:30:00+08:00');
  });

  it('stays at the end of a period when the sum lands exactly on it', () => {
    expect(plusWorkingHours('2026-11-23 16:30', 1)).toBe('2026-11-23T17:30:00+08:00');
    expect(plusWorkingHours('2026-11-23 11:00', 1)).toBe('2026-11-23T12:00:00+08:00');
  });

  it('adding 0 hours returns the start inside working time, else the next working moment', () => {
    expect(plusWorkingHours('2026-11-23 10:15:30', 0)).toBe('2026-11-23T10:15:30+08:00');
    expect(plusWorkingHours('2026-11-23 12:30', 0)).toBe('2026-11-23T14:00:00+08:00');
    expect(plusWorkingHours('2026-11-27 19:00', 0)).toBe('2026-11-30T08:30:00+08:00');
    expect(plusWorkingHours('2026-09-30 17:30', 0)).toBe('2026-10-08T08:30:00+08:00');
  });

  it('handles fractional hours', () => {
    expect(plusWorkingHours('2026-11-23 11:30', 0.5)).toBe('2026-11-23T12:00:00+08:00');
    expect(plusWorkingHours('2026-11-23 11:45', 0.5)).toBe('2026-11-23T14:15:00+08:00');
    expect(plusWorkingHours('2026-11-23 09:00', 0.25)).toBe('2026-11-23T09:15:00+08:00');
    expect(plusWorkingHours('2026-11-23 09:00', 1 / 3)).toBe('2026-11-23T09:20:00+08:00');
  });

  it('accepts instants given in UTC', () => {
    const start = new Date('2026-09-30T08:00:00Z'); // 16:00 in Shanghai
    expect(calendar.addWorkingHours(start, 7).toISOString()).toBe('2026-10-08T08:00:00.000Z');
  });

  it('agrees with a minute-by-minute reference across holidays and make-up days', () => {
    const starts = ['2026-09-30 16:00', '2026-02-13 11:17', '2025-12-31 17:00', '2026-10-09 12:45', '2026-04-03 09:00'];
    for (const start of starts) {
      for (const hours of [0.25, 1, 3.5, 7, 12.75, 30]) {
        const expected = referenceAddWorkingHours(parseLocal(start), hours);
        expect(toLocalIso(calendar.addWorkingHours(parseLocal(start), hours))).toBe(toLocalIso(expected));
      }
    }
  });

  it.each([-1, NaN, Infinity, 2_000_000])('rejects %p hours', (hours) => {
    expect(() => calendar.addWorkingHours(parseLocal('2026-11-23 09:00'), hours)).toThrow(RangeError);
  });

  it('rejects an invalid start', () => {
    expect(() => calendar.addWorkingHours(new Date('nope'), 1)).toThrow(/start must be a valid Date/);
  });
});

describe('add(TimeLimit)', () => {
  const start = parseLocal('2026-09-30 16:00');

  it('dispatches working limits', () => {
    expect(toLocalIso(calendar.add(start, { workingDays: 1 }))).toBe('2026-10-08T16:00:00+08:00');
    expect(toLocalIso(calendar.add(start, { workingHours: 2 }))).toBe('2026-10-08T09:00:00+08:00');
  });

  it('treats calendar limits as plain elapsed time, holidays or not', () => {
    expect(toLocalIso(calendar.add(start, { calendarHours: 24 }))).toBe('2026-10-01T16:00:00+08:00');
    expect(toLocalIso(calendar.add(start, { calendarHours: 1.5 }))).toBe('2026-09-30T17:30:00+08:00');
    expect(toLocalIso(calendar.add(start, { calendarMinutes: 30 }))).toBe('2026-09-30T16:30:00+08:00');
    expect(toLocalIso(calendar.add(parseLocal('2026-11-28 23:50'), { calendarMinutes: 20 }))).toBe('2026-11-29T00:10:00+08:00');
  });

  it('rejects malformed limits', () => {
    expect(() => calendar.add(start, { workingDays: 1, workingHours: 2 } as never)).toThrow(/exactly one/);
    expect(() => calendar.add(start, { weeks: 1 } as never)).toThrow(/exactly one/);
    expect(() => calendar.add(start, {} as never)).toThrow(/exactly one/);
    expect(() => calendar.add(start, { calendarHours: -1 })).toThrow(RangeError);
    expect(() => calendar.add(start, { calendarMinutes: NaN })).toThrow(RangeError);
    expect(() => calendar.add(new Date(NaN), { calendarMinutes: 5 })).toThrow(/valid Date/);
  });
});

describe('workingHoursBetween', () => {
  it('counts within a day, skipping lunch', () => {
    expect(hoursBetween('2026-11-23 09:00', '2026-11-23 10:30')).toBe(1.5);
    expect(hoursBetween('2026-11-23 11:00', '2026-11-23 15:00')).toBe(2);
    expect(hoursBetween('2026-11-23 00:00', '2026-11-24 00:00')).toBe(7);
    expect(hoursBetween('2026-11-23 12:10', '2026-11-23 13:50')).toBe(0);
  });

  it('skips the National Day holiday', () => {
    expect(hoursBetween('2026-09-30 16:00', '2026-10-08 16:00')).toBe(7);
    expect(hoursBetween('2026-10-01 00:00', '2026-10-08 00:00')).toBe(0);
  });

  it('counts make-up days and skips weekends', () => {
    expect(hoursBetween('2026-10-09 10:00', '2026-10-12 10:00')).toBe(14);
    expect(hoursBetween('2026-11-27 17:00', '2026-11-30 09:00')).toBe(1);
  });

  it('is 0 when to is not after from', () => {
    expect(hoursBetween('2026-11-23 10:00', '2026-11-23 10:00')).toBe(0);
    expect(hoursBetween('2026-11-23 11:00', '2026-11-23 10:00')).toBe(0);
  });

  it('inverts addWorkingHours', () => {
    for (const start of ['2026-09-30 16:00', '2026-02-13 12:30', '2026-06-18 17:45', '2026-12-31 10:00']) {
      for (const hours of [0, 0.5, 6.25, 7, 40, 700]) {
        const end = calendar.addWorkingHours(parseLocal(start), hours);
        expect(calendar.workingHoursBetween(parseLocal(start), end)).toBeCloseTo(hours, 9);
      }
    }
  });

  it('accepts instants given in UTC', () => {
    expect(calendar.workingHoursBetween(new Date('2026-11-23T00:30:00Z'), new Date('2026-11-23T09:30:00Z'))).toBe(7);
  });
});

describe('custom calendars and validation', () => {
  it('derives workingHoursPerDay from the periods', () => {
    const shifts = new BusinessCalendar(plainData({ workingHours: [{ from: '09:00', to: '17:00' }] }));
    expect(shifts.workingHoursPerDay).toBe(8);
    expect(toLocalIso(shifts.addWorkingDays(parseLocal('2026-11-23 12:00'), 1))).toBe('2026-11-24T12:00:00+08:00');
  });

  it('allows touching periods and a period ending at 24:00', () => {
    const allDay = new BusinessCalendar(
      plainData({
        workingHours: [
          { from: '00:00', to: '12:00' },
          { from: '12:00', to: '24:00' },
        ],
      }),
    );
    expect(allDay.workingHoursPerDay).toBe(24);
    expect(toLocalIso(allDay.addWorkingHours(parseLocal('2026-11-27 20:00'), 4))).toBe('2026-11-28T00:00:00+08:00');
    expect(toLocalIso(allDay.addWorkingHours(parseLocal('2026-11-27 20:00'), 5))).toBe('2026-11-30T01:00:00+08:00');
    expect(toLocalIso(allDay.addWorkingHours(parseLocal('2026-11-23 11:00'), 2))).toBe('2026-11-23T13:00:00+08:00');
  });

  it('throws instead of hanging when the calendar has no working days', () => {
    const closed = new BusinessCalendar(plainData({ holidays: [{ name: 'closed', from: '2026-01-01', to: '2030-12-31' }] }));
    expect(() => closed.addWorkingHours(parseLocal('2026-03-02 09:00'), 1)).toThrow(/No working day within/);
    expect(() => closed.addWorkingDays(parseLocal('2026-03-02 09:00'), 0)).toThrow(/No working day within/);
    expect(closed.workingHoursBetween(parseLocal('2026-03-02 09:00'), parseLocal('2027-03-02 09:00'))).toBe(0);
  });

  it.each<[string, Partial<CalendarData>, RegExp]>([
    ['no periods', { workingHours: [] }, /at least one period/],
    ['a time without leading zero', { workingHours: [{ from: '8:30', to: '12:00' }] }, /workingHours\[0\]\.from must be a time HH:MM/],
    ['hour 25', { workingHours: [{ from: '08:30', to: '25:00' }] }, /workingHours\[0\]\.to must be a time HH:MM/],
    ['minute 60', { workingHours: [{ from: '08:60', to: '12:00' }] }, /HH:MM/],
    ['24:00 as a start', { workingHours: [{ from: '24:00', to: '24:00' }] }, /from must be a time HH:MM/],
    ['an empty period', { workingHours: [{ from: '09:00', to: '09:00' }] }, /must end after it starts/],
    ['a backwards period', { workingHours: [{ from: '12:00', to: '08:30' }] }, /must end after it starts/],
    [
      'unsorted periods',
      {
        workingHours: [
          { from: '14:00', to: '17:30' },
          { from: '08:30', to: '12:00' },
        ],
      },
      /sorted and non-overlapping/,
    ],
    [
      'overlapping periods',
      {
        workingHours: [
          { from: '08:30', to: '12:00' },
          { from: '11:30', to: '17:30' },
        ],
      },
      /sorted and non-overlapping/,
    ],
    ['a malformed holiday date', { holidays: [{ name: 'x', from: '2026-10-1', to: '2026-10-07' }] }, /holidays\[0\]\.from must be a date/],
    ['a backwards holiday', { holidays: [{ name: 'x', from: '2026-10-07', to: '2026-10-01' }] }, /ends before it starts/],
    ['an impossible make-up date', { makeUpWorkdays: ['2026-02-29'] }, /makeUpWorkdays\[0\] must be a date/],
    [
      'a make-up day inside a holiday',
      { holidays: [{ name: 'National Day', from: '2026-10-01', to: '2026-10-07' }], makeUpWorkdays: ['2026-10-03'] },
      /2026-10-03 falls inside the holiday National Day/,
    ],
    ['another time zone', { timezone: 'Europe/Berlin' }, /Unsupported calendar timezone/],
  ])('rejects %s', (_label, overrides, message) => {
    expect(() => new BusinessCalendar(plainData(overrides))).toThrow(message);
  });

  it('accepts data without a timezone (Asia/Shanghai is assumed)', () => {
    const { timezone: _omitted, ...withoutTimezone } = plainData();
    expect(new BusinessCalendar(withoutTimezone).isWorkingDay('2026-10-01')).toBe(true);
  });
});

/** Independent slow reference: walks minute by minute using only isWorkingTime (inputs are whole minutes). */
function referenceAddWorkingHours(start: Date, hours: number): Date {
  const minuteMs = 60_000;
  let remainingMinutes = Math.round(hours * 60);
  let cursor = Math.ceil(start.getTime() / minuteMs) * minuteMs;
  while (!calendar.isWorkingTime(new Date(cursor))) cursor += minuteMs;
  while (remainingMinutes > 0) {
    if (calendar.isWorkingTime(new Date(cursor))) remainingMinutes--;
    cursor += minuteMs;
  }
  return new Date(cursor);
}
