/**
 * The district's reference data as documents (ports/reference.ts versions them): the unit tree, the departments,
 * the people, the catalog, the working hours, one calendar per year and, optionally, the district's policy. Built
 * into the directory, catalog, calendar and policy the core reads; a document that does not hold together is refused
 * here, whoever wrote it.
 */
import { BusinessCalendar, type CalendarData, localDate } from './calendar';
import { Catalog, type CatalogFile } from './catalog';
import { DEFAULT_POLICY, type Policy } from './policy';
import { type PolicyOverrides, policyWith } from './policy-overrides';
import { type DirectoryData, UnitDirectory } from './units';

/** One year's public holidays and make-up working days (调休), as the State Council publishes them each November. */
export interface CalendarYear {
  year: number;
  source?: string;
  holidays: CalendarData['holidays'];
  makeUpWorkdays: string[];
}

export interface WorkingHours {
  timezone?: string;
  workingHours: CalendarData['workingHours'];
}

/** The documents of a version, by name. */
export type ReferenceDocumentSet = {
  units: DirectoryData['units'];
  departments: DirectoryData['departments'];
  people: DirectoryData['people'];
  catalog: CatalogFile;
  'working-hours': WorkingHours;
  /** The district's values over the policy's defaults (policy-overrides.ts); none: the defaults. */
  policy?: PolicyOverrides;
  /** `calendar-2026`, `calendar-2027`…: one per year known. */
  [calendarYear: `calendar-${number}`]: CalendarYear;
};

/** What the core reads, built from a version's documents. */
export interface LoadedReference {
  version: number;
  directory: UnitDirectory;
  catalog: Catalog;
  calendar: BusinessCalendar;
  /** The years the calendar knows (holidays and make-up days); any other is counted on a plain week. */
  calendarYears: number[];
  /** The base policy with the version's `policy` document over it. */
  policy: Policy;
}

const CALENDAR_PREFIX = 'calendar-';

/** The documents every version has: a proposal may replace them, never remove them. */
export const REQUIRED_DOCUMENTS = ['units', 'departments', 'people', 'catalog', 'working-hours'] as const;

export function calendarDocumentName(year: number): `calendar-${number}` {
  return `${CALENDAR_PREFIX}${year}`;
}

/**
 * The directory, catalog, calendar and policy of a version's documents; throws what does not hold together.
 * `basePolicy`: what the `policy` document overrides (the published defaults; a test's own).
 */
export function referenceDataOf(version: number, documents: Record<string, unknown>, basePolicy: Policy = DEFAULT_POLICY): LoadedReference {
  const set = documents as unknown as ReferenceDocumentSet;
  for (const name of REQUIRED_DOCUMENTS) {
    if (set[name] === undefined) throw new Error(`Reference version ${version} has no '${name}' document`);
  }
  const years = Object.keys(documents)
    .filter((name) => name.startsWith(CALENDAR_PREFIX))
    .map((name) => set[name as `calendar-${number}`])
    .sort((a, b) => a.year - b.year);
  const calendar = new BusinessCalendar({
    ...set['working-hours'],
    holidays: years.flatMap((year) => year.holidays),
    makeUpWorkdays: years.flatMap((year) => year.makeUpWorkdays),
  });
  return {
    version,
    directory: new UnitDirectory({ units: set.units, departments: set.departments, people: set.people }),
    catalog: new Catalog(set.catalog),
    calendar,
    calendarYears: years.map((year) => year.year),
    policy: policyWith(basePolicy, set.policy),
  };
}

/**
 * The year whose holiday arrangement is missing and due: this year's, or — from 1 December (Asia/Shanghai) — next
 * year's, which the State Council publishes each November. Deadlines over a year the calendar does not know are
 * counted on a plain week.
 */
export function missingCalendarYear(now: Date, years: readonly number[]): number | undefined {
  const today = localDate(now);
  const year = Number(today.slice(0, 4));
  if (!years.includes(year)) return year;
  if (today.slice(5, 7) === '12' && !years.includes(year + 1)) return year + 1;
  return undefined;
}
