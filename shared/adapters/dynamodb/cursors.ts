/** A page's cursor: the key to start after (and which status list it is in), opaque to callers. */
import { InvalidCursor } from '../../domain/errors';
import type { Item } from './single-table';

export interface Cursor {
  status: string;
  key: Item;
}

export function encodeCursor(status: string, key: Item): string {
  return Buffer.from(JSON.stringify({ status, key })).toString('base64url');
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
  if (typeof candidate?.status !== 'string' || typeof candidate.key !== 'object' || candidate.key === null) {
    throw new InvalidCursor('is not one this API returned');
  }
  return candidate as Cursor;
}
