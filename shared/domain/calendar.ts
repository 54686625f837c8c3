/**
 * The business calendar behind time limits (办理时限): which moments count as working time, and how a
 * limit in working days or hours turns into a deadline. Pure: no I/O, no AWS, no dependencies.
 *
 * Working time is Monday–Friday within the working-hour periods, minus public holidays, plus make-up
 * working days (调休: a listed Saturday or Sunday is a full working day).
 *
 * Coverage: holidays and make-up days are known only for the years in the data. Any other date falls
 * back to a plain week (Monday–Friday working, weekends off), so keep the data file current.
 */

export interface CalendarData {
  timezone?: string;
  holidays: { name: string; from: string; to: string }[];
  makeUpWorkdays: string[];
  workingHours: { from: string; to: string }[];
}

export type TimeLimit = { workingDays: number } | { workingHours: number } | { calendarHours: number } | { calendarMinutes: number };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

// Asia/Shanghai is a fixed UTC+08:00 (China has no DST), so we use a fixed offset, not the Intl time-zone database.
const SHANGHAI_TIMEZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** Real holiday runs last about nine days; a year without a working day means the calendar has none. */
const MAX_NON_WORKING_RUN_DAYS = 366;
/** About 570 years of work: anything larger is a bad input, and refusing it keeps the loops short. */
const MAX_WORKING_HOURS = 1_000_000;

const TIME_LIMIT_UNITS = ['workingDays', 'workingHours', 'calendarHours', 'calendarMinutes'] as const;

/** Times below are "local ms": UTC ms shifted by +08:00, so UTC date arithmetic gives Shanghai dates. */
interface Period {
  startMs: number; // since local midnight
  endMs: number;
}

interface HolidayRange {
  name: string;
  fromDay: number; // local day numbers (days since 1970-01-01), inclusive
  toDay: number;
}

/** A stretch of uninterrupted working time, in local ms. */
interface WorkingStretch {
  from: number;
  to: number;
}

export class BusinessCalendar {
  readonly workingHoursPerDay: number;
  /** At least one (parseWorkingPeriods refuses none): a day's first period always exists. */
  private readonly periods: readonly [Period, ...Period[]];
  private readonly holidays: readonly HolidayRange[];
  private readonly makeUpWorkdays: ReadonlySet<number>;

  constructor(data: CalendarData) {
    if (data.timezone !== undefined && data.timezone !== SHANGHAI_TIMEZONE) {
      throw new Error(`Unsupported calendar timezone "${data.timezone}": only ${SHANGHAI_TIMEZONE} (fixed UTC+08:00) is supported`);
    }
    this.periods = parseWorkingPeriods(data.workingHours);
    this.holidays = parseHolidays(data.holidays);
    this.makeUpWorkdays = parseMakeUpWorkdays(data.makeUpWorkdays, this.holidays);
    this.workingHoursPerDay = this.periods.reduce((sum, p) => sum + p.endMs - p.startMs, 0) / HOUR_MS;
  }

  /** Whether a 'YYYY-MM-DD' date (Asia/Shanghai) is a working day. */
  isWorkingDay(localDate: string): boolean {
    return this.isWorkingDayNumber(parseDayNumber(localDate, 'localDate'));
  }

  /** Whether the instant falls inside a working period. Periods are half-open: 08:30 is in, 12:00 is out. */
  isWorkingTime(instant: Date): boolean {
    const local = toLocalMs(instant, 'instant');
    const day = dayNumberOf(local);
    if (!this.isWorkingDayNumber(day)) return false;
    const msOfDay = local - day * DAY_MS;
    return this.periods.some((p) => msOfDay >= p.startMs && msOfDay < p.endMs);
  }

  /**
   * The instant `hours` working hours after `start`. Counting begins at the next working moment, so a
   * start at 12:30 counts from 14:00, and adding 0 hours outside working time returns that next working
   * moment (not `start`). A sum landing exactly on a period's end stays there (17:30, not 08:30 next day).
   * Precision is one millisecond.
   */
  addWorkingHours(start: Date, hours: number): Date {
    const startLocal = toLocalMs(start, 'start');
    requireAmount(hours, 'hours');
    if (hours > MAX_WORKING_HOURS) throw new RangeError(`hours must be at most ${MAX_WORKING_HOURS}, got ${hours}`);

    let remainingMs = Math.round(hours * HOUR_MS);
    // One step per working period, so 100 working days take ~200 steps.
    let stretch = this.workingStretchFrom(startLocal);
    while (remainingMs > stretch.to - stretch.from) {
      remainingMs -= stretch.to - stretch.from;
      stretch = this.workingStretchFrom(stretch.to);
    }
    return fromLocalMs(stretch.from + remainingMs);
  }

  /** A working day is `workingHoursPerDay` working hours, so a day set at 16:00 ends at 16:00. */
  addWorkingDays(start: Date, days: number): Date {
    requireAmount(days, 'days');
    return this.addWorkingHours(start, days * this.workingHoursPerDay);
  }

  /** The deadline for a time limit; calendarHours and calendarMinutes are plain elapsed time. */
  add(start: Date, limit: TimeLimit): Date {
    const [unit, ...others] = Object.keys(limit);
    if (unit === undefined || others.length > 0 || !(TIME_LIMIT_UNITS as readonly string[]).includes(unit)) {
      throw new Error(`A time limit needs exactly one of ${TIME_LIMIT_UNITS.join(', ')}; got ${JSON.stringify(limit)}`);
    }
    if ('workingDays' in limit) return this.addWorkingDays(start, limit.workingDays);
    if ('workingHours' in limit) return this.addWorkingHours(start, limit.workingHours);

    const startMs = instantMs(start, 'start');
    if ('calendarHours' in limit) {
      requireAmount(limit.calendarHours, 'calendarHours');
      return new Date(startMs + Math.round(limit.calendarHours * HOUR_MS));
    }
    requireAmount(limit.calendarMinutes, 'calendarMinutes');
    return new Date(startMs + Math.round(limit.calendarMinutes * MINUTE_MS));
  }

  /** Working hours elapsed from `from` to `to`; 0 if `to` is not after `from`. */
  workingHoursBetween(from: Date, to: Date): number {
    const fromLocal = toLocalMs(from, 'from');
    const toLocal = toLocalMs(to, 'to');
    if (toLocal <= fromLocal) return 0;

    let workedMs = 0;
    for (let day = dayNumberOf(fromLocal); day * DAY_MS < toLocal; day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      for (const period of this.periods) {
        const overlapStart = Math.max(day * DAY_MS + period.startMs, fromLocal);
        const overlapEnd = Math.min(day * DAY_MS + period.endMs, toLocal);
        if (overlapEnd > overlapStart) workedMs += overlapEnd - overlapStart;
      }
    }
    return workedMs / HOUR_MS;
  }

  private isWorkingDayNumber(day: number): boolean {
    // Make-up days are checked first; the constructor guarantees none lies inside a holiday.
    if (this.makeUpWorkdays.has(day)) return true;
    if (this.holidays.some((h) => day >= h.fromDay && day <= h.toDay)) return false;
    const weekday = mod(day + 4, 7); // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6;
  }

  /** The working stretch that contains `local`, or else the next one, trimmed to start no earlier than `local`. */
  private workingStretchFrom(local: number): WorkingStretch {
    const day = dayNumberOf(local);
    if (this.isWorkingDayNumber(day)) {
      const msOfDay = local - day * DAY_MS;
      for (const period of this.periods) {
        if (msOfDay < period.endMs) {
          return { from: day * DAY_MS + Math.max(msOfDay, period.startMs), to: day * DAY_MS + period.endMs };
        }
      }
    }
    const nextDay = this.nextWorkingDayAfter(day);
    const [first] = this.periods;
    return { from: nextDay * DAY_MS + first.startMs, to: nextDay * DAY_MS + first.endMs };
  }

  private nextWorkingDayAfter(day: number): number {
    for (let candidate = day + 1; candidate <= day + MAX_NON_WORKING_RUN_DAYS; candidate++) {
      if (this.isWorkingDayNumber(candidate)) return candidate;
    }
    throw new Error(
      `No working day within ${MAX_NON_WORKING_RUN_DAYS} days after ${formatDayNumber(day)}: the calendar has no working time`,
    );
  }
}

/** The 'YYYY-MM-DD' date of an instant in Asia/Shanghai. */
export function localDate(instant: Date): string {
  return formatDayNumber(dayNumberOf(toLocalMs(instant, 'instant')));
}

/** ISO 8601 in Asia/Shanghai, e.g. '2026-10-08T16:00:00+08:00'; milliseconds appear only when non-zero. */
export function toLocalIso(instant: Date): string {
  const utcStyle = new Date(toLocalMs(instant, 'instant')).toISOString(); // 'YYYY-MM-DDTHH:MM:SS.mmmZ'
  const withoutZone = utcStyle.slice(0, -1);
  return `${withoutZone.endsWith('.000') ? withoutZone.slice(0, -4) : withoutZone}+08:00`;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses '2026-10-08 16:00', '2026-10-08T16:00[:SS[.fff]]' (naive: Asia/Shanghai) or the same with a
 * 'Z' or ±HH:MM offset (taken as given). A bare date is rejected: which moment of the day is meant?
 */
export function parseLocal(dateTime: string): Date {
  const match = LOCAL_DATE_TIME.exec(dateTime);
  if (!match) throw new Error(`Cannot parse date-time "${dateTime}": expected YYYY-MM-DD HH:MM[:SS], optionally with an offset`);
  const [, year, month, day, hour, minute, second = '0', fraction = '', offset] = match;

  const dayNumber = parseDayNumber(`${year}-${month}-${day}`, 'dateTime');
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw new Error(`Cannot parse date-time "${dateTime}": time of day out of range`);
  }
  const wallClockMs =
    dayNumber * DAY_MS +
    Number(hour) * HOUR_MS +
    Number(minute) * MINUTE_MS +
    Number(second) * 1000 +
    Number(fraction.padEnd(3, '0').slice(0, 3)); // finer than milliseconds is truncated
  return new Date(wallClockMs - (offset === undefined ? SHANGHAI_OFFSET_MS : parseOffsetMs(offset, dateTime)));
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function parseOffsetMs(offset: string, dateTime: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) throw new Error(`Cannot parse date-time "${dateTime}": offset out of range`);
  return sign * (hours * HOUR_MS + minutes * MINUTE_MS);
}

function parseWorkingPeriods(workingHours: CalendarData['workingHours']): [Period, ...Period[]] {
  if (!Array.isArray(workingHours) || workingHours.length === 0) {
    throw new Error('Calendar workingHours must list at least one period');
  }
  const periods = workingHours.map((raw, i): Period => {
    const startMs = parseTimeOfDayMs(raw.from, `workingHours[${i}].from`, false);
    const endMs = parseTimeOfDayMs(raw.to, `workingHours[${i}].to`, true);
    if (endMs <= startMs) throw new Error(`Calendar workingHours[${i}] must end after it starts (${raw.from}–${raw.to})`);
    return { startMs, endMs };
  });
  for (const [i, period] of periods.entries()) {
    const before = i > 0 ? periods[i - 1] : undefined;
    if (before && period.startMs < before.endMs) {
      throw new Error(
        `Calendar workingHours must be sorted and non-overlapping: [${i}] starts at ${workingHours[i].from}, ` +
          `before [${i - 1}] ends at ${workingHours[i - 1].to}`,
      );
    }
  }
  const [first, ...rest] = periods;
  if (!first) throw new Error('Calendar workingHours must list at least one period');
  return [first, ...rest];
}

/** 'HH:MM' to ms since midnight; '24:00' is allowed as a period end. */
function parseTimeOfDayMs(value: unknown, field: string, isEnd: boolean): number {
  const match = typeof value === 'string' ? /^(\d{2}):(\d{2})$/.exec(value) : null;
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  const valid = (hours <= 23 && minutes <= 59) || (isEnd && hours === 24 && minutes === 0);
  if (!valid) throw new Error(`Calendar ${field} must be a time HH:MM, got ${JSON.stringify(value)}`);
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

function parseHolidays(holidays: CalendarData['holidays']): HolidayRange[] {
  if (!Array.isArray(holidays)) throw new Error('Calendar holidays must be a list');
  return holidays.map((h, i) => {
    const fromDay = parseDayNumber(h.from, `holidays[${i}].from`);
    const toDay = parseDayNumber(h.to, `holidays[${i}].to`);
    if (toDay < fromDay) throw new Error(`Calendar holidays[${i}] (${h.name}) ends before it starts (${h.from}..${h.to})`);
    return { name: h.name, fromDay, toDay };
  });
}

function parseMakeUpWorkdays(dates: CalendarData['makeUpWorkdays'], holidays: readonly HolidayRange[]): Set<number> {
  if (!Array.isArray(dates)) throw new Error('Calendar makeUpWorkdays must be a list');
  return new Set(
    dates.map((date, i) => {
      const day = parseDayNumber(date, `makeUpWorkdays[${i}]`);
      // A day both off and on is a data error; refusing it beats silently picking one.
      const clash = holidays.find((h) => day >= h.fromDay && day <= h.toDay);
      if (clash) throw new Error(`Calendar make-up workday ${date} falls inside the holiday ${clash.name}`);
      return day;
    }),
  );
}

/** A real calendar date 'YYYY-MM-DD' to its day number (days since 1970-01-01). */
function parseDayNumber(value: unknown, field: string): number {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const utc = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls 02-30 over to March; a round trip catches that.
    if (utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day) {
      return utc.getTime() / DAY_MS;
    }
  }
  throw new Error(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

function formatDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function instantMs(instant: Date, field: string): number {
  const ms = instant instanceof Date ? instant.getTime() : NaN;
  if (Number.isNaN(ms)) throw new Error(`${field} must be a valid Date`);
  return ms;
}

function toLocalMs(instant: Date, field: string): number {
  return instantMs(instant, field) + SHANGHAI_OFFSET_MS;
}

function fromLocalMs(local: number): Date {
  return new Date(local - SHANGHAI_OFFSET_MS);
}

function dayNumberOf(local: number): number {
  return Math.floor(local / DAY_MS);
}

function requireAmount(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field} must be a finite number >= 0, got ${value}`);
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
