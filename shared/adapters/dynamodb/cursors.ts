/**
 * A page's cursor, opaque to callers, encoded and checked here and nowhere else (issue 13 will sign it here):
 * which status list it is in, and where the page stopped — the key to start after, or, for a list merged from
 * several index partitions (merged-query.ts), where each partition stands.
 */
import { InvalidCursor } from '../../domain/errors';
import type { Item } from './single-table';

/** Per partition: the key of the last item returned from it, or null once it is read to its end (absent: not begun). */
export type Positions = Record<string, Item | null>;

export interface Cursor {
  status: string;
  key?: Item;
  positions?: Positions;
}

export function encodeCursor(status: string, key: Item): string {
  return encode({ status, key });
}

/** A merged list's cursor: the partitions' positions. */
export function encodeMergedCursor(status: string, positions: Positions): string {
  return encode({ status, positions });
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor's content; one this store did not hand out fails with InvalidCursor. */
export function decodeCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor('is not one this API returned');
  }
  const candidate = parsed as Partial<Cursor> | null;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  const validKey = isObject(candidate?.key);
  const validPositions =
    isObject(candidate?.positions) &&
    Object.values(candidate?.positions as object).every((position) => position === null || isObject(position));
  if (typeof candidate?.status !== 'string' || validKey === validPositions) throw new InvalidCursor('is not one this API returned');
  return candidate as Cursor;
}

/** A key-cursor's key (a list of one partition); a merged cursor here is not one this list returned. */
export function cursorKey(cursor: string): Item {
  const { key } = decodeCursor(cursor);
  if (!key) throw new InvalidCursor('is not one this API returned');
  return key;
}

/** A merged list's positions; a key-cursor here is not one this list returned. */
export function cursorPositions(cursor: Cursor): Positions {
  if (!cursor.positions) throw new InvalidCursor('is not one this API returned');
  return cursor.positions;
}
