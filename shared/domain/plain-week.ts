/**
 * Deadlines over a year the business calendar has no holiday arrangement for (the State Council publishes the next
 * year's each November) are counted on a plain week, Monday to Friday, and flagged on the case's clock; when the
 * year's document arrives they are counted again, once: the one exception to "only an extension moves a deadline".
 */
import { localDate } from './calendar';

/** The years from `from` to `until` (Asia/Shanghai dates) not among `known`: what a limit over that span ran on a plain week. */
export function yearsOnPlainWeek(from: Date, until: Date, known: readonly number[]): number[] {
  const years: number[] = [];
  for (let year = yearOf(from); year <= yearOf(until); year++) if (!known.includes(year)) years.push(year);
  return years;
}

function yearOf(instant: Date): number {
  return Number(localDate(instant).slice(0, 4));
}
