/** The query parameters of a paged list, one rule each: `limit` (how many) and `cursor` (where the last page stopped). */
import * as z from 'zod';

/**
 * A page size: a decimal integer from 1 to `max` as the query carries it — not `0x10`, `1e1`, `+5`, ` 5` or `5.0`,
 * which a number coercion would take — or `fallback` when absent.
 */
export function pageLimit(max: number, fallback: number) {
  return z
    .string()
    .regex(/^[1-9]\d{0,5}$/, `a decimal integer from 1 to ${max}`)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().max(max, `a decimal integer from 1 to ${max}`));
}

/** A `nextCursor` (or `timelineCursor`) the same list handed out; the store checks its signature. */
export const PAGE_CURSOR = z.string().max(2000);
