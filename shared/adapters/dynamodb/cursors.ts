/**
 * A page's cursor, opaque to callers, made and checked here and nowhere else: which status list it is in, and
 * where the page stopped — the key to start after, or, for a list merged from several index partitions
 * (merged-query.ts), where each partition stands.
 *
 * A cursor is signed (HMAC-SHA256 with the installation's cursor key, CURSOR_KEY) together with the list it
 * was handed out for — a case's timeline, a list with its filters, a unit's patrols on a day — so a cursor
 * that was forged, altered, or handed out for another list is refused (InvalidCursor: 400 naming `cursor`)
 * before any of it reaches DynamoDB as a start key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { InvalidCursor } from '../../domain/errors';
import { isSignatureText } from '../signature-text';
import type { Item } from './single-table';

/** Per partition: the key of the last item returned from it, or null once it is read to its end (absent: not begun). */
export type Positions = Record<string, Item | null>;

export interface Cursor {
  status: string;
  key?: Item;
  positions?: Positions;
}

/** The shortest key accepted: 32 characters (e.g. 16 random bytes in hex; local mode makes 32 bytes). */
export const MIN_CURSOR_KEY_LENGTH = 32;

const NOT_OURS = 'is not one this API returned for this list';

export class PageCursors {
  private readonly key: Buffer;

  /** `key`: the installation's cursor key; none: a random one, so cursors hold only within this process. */
  constructor(key?: string) {
    if (key !== undefined && key.length < MIN_CURSOR_KEY_LENGTH)
      throw new Error(`The cursor key must have at least ${MIN_CURSOR_KEY_LENGTH} characters`);
    this.key = key === undefined ? randomBytes(32) : Buffer.from(key, 'utf8');
  }

  /** A cursor of `list` that continues after `key`. */
  keyCursor(list: string, status: string, key: Item): string {
    return this.sign(list, { status, key });
  }

  /** A merged list's cursor: the partitions' positions. */
  mergedCursor(list: string, status: string, positions: Positions): string {
    return this.sign(list, { status, positions });
  }

  /** The cursor's content, if this installation signed it for `list`; any other fails with InvalidCursor. */
  read(list: string, cursor: string): Cursor {
    const dot = cursor.lastIndexOf('.');
    const payload = cursor.slice(0, dot);
    if (dot < 0 || !isSignatureText(cursor.slice(dot + 1), this.mac(list, payload))) throw new InvalidCursor(NOT_OURS);
    return checked(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  }

  /** A key-cursor's key (a list of one partition); a merged cursor here is not one this list returned. */
  startKey(list: string, cursor: string): Item {
    const { key } = this.read(list, cursor);
    if (!key) throw new InvalidCursor(NOT_OURS);
    return key;
  }

  private sign(list: string, cursor: Cursor): string {
    const payload = Buffer.from(JSON.stringify(cursor)).toString('base64url');
    return `${payload}.${this.mac(list, payload).toString('base64url')}`;
  }

  private mac(list: string, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${list}\n${payload}`).digest();
  }
}

/** A merged list's positions; a key-cursor here is not one this list returned. */
export function cursorPositions(cursor: Cursor): Positions {
  if (!cursor.positions) throw new InvalidCursor(NOT_OURS);
  return cursor.positions;
}

/** What this module signed has this shape; checked again all the same (a key signed by an older version). */
function checked(parsed: unknown): Cursor {
  const candidate = parsed as Partial<Cursor> | null;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  const validKey = isObject(candidate?.key);
  const validPositions =
    isObject(candidate?.positions) &&
    Object.values(candidate?.positions as object).every((position) => position === null || isObject(position));
  if (typeof candidate?.status !== 'string' || validKey === validPositions) throw new InvalidCursor(NOT_OURS);
  return candidate as Cursor;
}
