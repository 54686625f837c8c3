/**
 * Report periods: a day `2026-11-26`, an ISO week `2026-W48` (Monday to Sunday), a month `2026-11`,
 * a quarter `2026-Q4`. Days are Asia/Shanghai calendar days.
 */
export const REPORT_KINDS = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Period {
  kind: ReportKind;
  label: string;
  /** First and last day, inclusive: YYYY-MM-DD. */
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

export class PeriodError extends Error {}

/** The first year a report may be asked for; the last is the year after this one. */
export const FIRST_REPORT_YEAR = 2000;

/** A period a caller asks for: as parsePeriod, of a year from FIRST_REPORT_YEAR to the year after `today`'s (YYYY-MM-DD). */
export function parseAskedPeriod(kind: ReportKind, label: string, today: string): Period {
  const period = parsePeriod(kind, label);
  const year = Number(label.slice(0, 4));
  const latest = Number(today.slice(0, 4)) + 1;
  if (year < FIRST_REPORT_YEAR || year > latest) throw new PeriodError(`a period of a year from ${FIRST_REPORT_YEAR} to ${latest}`);
  return period;
}

const FORMATS: Record<ReportKind, { pattern: RegExp; example: string }> = {
  daily: { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2026-11-26' },
  weekly: { pattern: /^(\d{4})-W(\d{2})$/, example: '2026-W48' },
  monthly: { pattern: /^(\d{4})-(\d{2})$/, example: '2026-11' },
  quarterly: { pattern: /^(\d{4})-Q([1-4])$/, example: '2026-Q4' },
};

export function parsePeriod(kind: ReportKind, label: string): Period {
  const match = FORMATS[kind].pattern.exec(label);
  if (!match) throw new PeriodError(`a ${kind} period looks like ${FORMATS[kind].example}`);
  const year = Number(match[1]);
  switch (kind) {
    case 'daily': {
      // A month or day no date has is NaN, which iso() cannot print: refused before it.
      const ms = dayMs(label);
      if (Number.isNaN(ms) || iso(ms) !== label) throw new PeriodError(`${label} is not a day`);
      return { kind, label, from: label, to: label };
    }
    case 'weekly': {
      const week = Number(match[2]);
      const monday = isoWeekMonday(year, week);
      if (week < 1 || isoWeekOf(iso(monday)).label !== label) throw new PeriodError(`${label} is not a week of ${year}`);
      return { kind, label, from: iso(monday), to: iso(monday + 6 * DAY_MS) };
    }
    case 'monthly': {
      const month = Number(match[2]);
      if (month < 1 || month > 12) throw new PeriodError(`${label} is not a month`);
      return { kind, label, from: iso(Date.UTC(year, month - 1, 1)), to: iso(Date.UTC(year, month, 0)) };
    }
    case 'quarterly': {
      const quarter = Number(match[2]);
      return { kind, label, from: iso(Date.UTC(year, (quarter - 1) * 3, 1)), to: iso(Date.UTC(year, quarter * 3, 0)) };
    }
  }
}

/** The period of a kind that contains a day. */
export function periodOf(kind: ReportKind, day: string): Period {
  const [year, month] = day.split('-').map(Number);
  switch (kind) {
    case 'daily':
      return parsePeriod(kind, day);
    case 'weekly':
      return isoWeekOf(day);
    case 'monthly':
      return parsePeriod(kind, day.slice(0, 7));
    case 'quarterly':
      return parsePeriod(kind, `${year}-Q${Math.ceil(month / 3)}`);
  }
}

/** The period just before: yesterday, last week, last month, last quarter. */
export function previousPeriod(period: Period): Period {
  return periodOf(period.kind, iso(dayMs(period.from) - DAY_MS));
}

/** The months of a quarter (or of any period), for trends. */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  for (
    let month = periodOf('monthly', period.from);
    dayMs(month.from) <= dayMs(period.to);
    month = periodOf('monthly', iso(dayMs(month.to) + DAY_MS))
  ) {
    months.push(month);
  }
  return months;
}

export function daysIn(period: Period): number {
  return Math.round((dayMs(period.to) - dayMs(period.from)) / DAY_MS) + 1;
}

function isoWeekMonday(year: number, week: number): number {
  // The week with January 4th is week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - jan4Weekday * DAY_MS + (week - 1) * 7 * DAY_MS;
}

function isoWeekOf(day: string): Period {
  const ms = dayMs(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const monday = ms - weekday * DAY_MS;
  const thursday = monday + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { kind: 'weekly', label: `${year}-W${String(week).padStart(2, '0')}`, from: iso(monday), to: iso(monday + 6 * DAY_MS) };
}
