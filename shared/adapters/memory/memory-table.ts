/**
 * What the in-memory stores share, as the DynamoDB stores share one table: the counters a change adds and
 * the idempotency claims a create writes, so that one change stays all-or-nothing across stores. Values are
 * copied in and out (as a database would), so a caller cannot change what is stored by keeping a reference.
 */
import { MemorySmsIntentStore } from './memory-sms-intents';
import { InvalidCursor } from '../../domain/errors';
import type { CounterIncrement } from '../../domain/counters';
import type { ClaimRecord } from '../../ports/guards';

export function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

export class CounterBook {
  /** `<kind>#<code>` → day → counts. */
  readonly scopes = new Map<string, Map<string, Record<string, number>>>();

  add(increments: CounterIncrement[]): void {
    for (const { scope, day, counts } of increments) {
      if (Object.keys(counts).length === 0) continue;
      const key = `${scope.kind}#${scope.code}`;
      const days = this.scopes.get(key) ?? new Map<string, Record<string, number>>();
      this.scopes.set(key, days);
      const totals = days.get(day) ?? {};
      days.set(day, totals);
      for (const [name, amount] of Object.entries(counts)) totals[name] = (totals[name] ?? 0) + amount;
    }
  }
}

export class MemoryTable {
  readonly counters = new CounterBook();
  readonly smsIntents = new MemorySmsIntentStore();
  /** Idempotency claims by key (like DynamoDB's TTL, expiry is lazy: here it never comes). */
  readonly claims = new Map<string, ClaimRecord>();
}

/** A page's cursor: the sort key to continue after, in a list (`status`); opaque to callers. */
export function encodeCursor(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ list, after })).toString('base64url');
}

export function decodeCursor(cursor: string): { list: string; after: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed?.list === 'string' && typeof parsed?.after === 'string') return parsed;
  } catch {
    // Not JSON: the same answer as a wrong shape.
  }
  throw new InvalidCursor('is not one this API returned');
}

/** Up to `limit` of the items after the cursor's key, in sort-key order, and a cursor when more follow. */
export function pageOf<T>(
  sorted: { key: string; item: T }[],
  limit: number,
  list: string,
  after?: string,
): { items: T[]; nextCursor?: string } {
  const rest = after === undefined ? sorted : sorted.filter((entry) => entry.key > after);
  const page = rest.slice(0, limit);
  return {
    items: page.map((entry) => entry.item),
    ...(rest.length > limit ? { nextCursor: encodeCursor(list, page[page.length - 1].key) } : {}),
  };
}

export function byKey<T>(entries: { key: string; item: T }[]): { key: string; item: T }[] {
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
