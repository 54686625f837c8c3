/** Event ids: `E20261126-7K3M9Q` — the local date it was reported and six random Crockford base-32 characters. */
import { randomBytes, createHash } from 'node:crypto';
import { localDate } from '../domain/calendar';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newEventId(at: Date): string {
  const bytes = randomBytes(6);
  const suffix = [...bytes].map((byte) => CROCKFORD[byte % 32]).join('');
  return `E${localDate(at).replaceAll('-', '')}-${suffix}`;
}

/** A comment's id: eight random Crockford base-32 characters (its key also holds its time and the version it follows). */
export function newCommentId(): string {
  return [...randomBytes(8)].map((byte) => CROCKFORD[byte % 32]).join('');
}

/** A stable hash of a JSON value (keys sorted), to tell a retried request from a different one. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
