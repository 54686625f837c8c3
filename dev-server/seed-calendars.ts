/**
 * The calendars a new data folder is seeded with: every year the `chinese-days` package knows (2004–2026 in 1.5.7),
 * from the State Council's notices — public holidays as named runs of days, and the make-up working days (调休).
 * A well-kept dataset instead of a hand-typed one; read here only (local seeding and tests), never in a Lambda.
 */
import { createRequire } from 'node:module';
import type { CalendarYear } from '../shared/domain/reference-documents';
import { calendarDocumentName } from '../shared/domain/reference-documents';

interface ChineseDays {
  /** 'YYYY-MM-DD' → 'English name,中文名,days' */
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const DAY_MS = 86_400_000;
const SOURCE = 'chinese-days 1.5.7 (State Council General Office holiday notices)';

function chineseDays(): ChineseDays {
  return createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDays;
}

/** One document per year: its holidays as runs of consecutive days under one name, its make-up working days. */
export function chineseDaysCalendars(): Record<`calendar-${number}`, CalendarYear> {
  const { holidays, workdays } = chineseDays();
  const years = new Map<number, CalendarYear>();
  const yearOf = (date: string) => {
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) years.set(year, { year, source: SOURCE, holidays: [], makeUpWorkdays: [] });
    return years.get(year) as CalendarYear;
  };
  let run: { name: string; from: string; to: string } | undefined;
  for (const date of Object.keys(holidays).sort()) {
    const [english, chinese] = holidays[date].split(',');
    const name = `${chinese} ${english}`;
    const follows = run && run.name === name && Date.parse(date) - Date.parse(run.to) === DAY_MS;
    if (run && follows) run.to = date;
    else {
      run = { name, from: date, to: date };
      yearOf(date).holidays.push(run);
    }
  }
  for (const date of Object.keys(workdays).sort()) yearOf(date).makeUpWorkdays.push(date);
  return Object.fromEntries([...years.values()].map((year) => [calendarDocumentName(year.year), year]));
}
