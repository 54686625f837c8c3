/** Local mode's cursor key: made once per data folder, kept across starts, never half-written, refused when too short. */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CURSOR_KEY_FILE, localCursorKey } from '../../dev-server/adapters/cursor-key';
import { PageCursors } from '../../shared/adapters/dynamodb/cursors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridflow-cursor-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('made on the first start (owner-only, no temp file left), the same on the next', () => {
  const first = localCursorKey(dir);
  expect(first).toMatch(/^[0-9a-f]{64}$/);
  expect(statSync(join(dir, CURSOR_KEY_FILE)).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual([CURSOR_KEY_FILE]);
  expect(localCursorKey(dir)).toBe(first);
  // A cursor signed before a restart is read after it.
  const cursor = new PageCursors(first).keyCursor('timeline E20261126-7K3M9Q', 'timeline', { pk: 'x', sk: 'y' });
  expect(new PageCursors(localCursorKey(dir)).startKey('timeline E20261126-7K3M9Q', cursor)).toEqual({ pk: 'x', sk: 'y' });
  expect(() => new PageCursors(localCursorKey(dir)).startKey('timeline E20261126-AAAAAA', cursor)).toThrow('cursor');
});

test('without a data folder, a new key each time; a file holding a short key is refused, naming it', () => {
  expect(localCursorKey(undefined)).not.toBe(localCursorKey(undefined));
  writeFileSync(join(dir, CURSOR_KEY_FILE), 'short\n');
  expect(() => localCursorKey(dir)).toThrow(CURSOR_KEY_FILE);
});
