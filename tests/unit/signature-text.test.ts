/**
 * A signature is compared as the text the API handed out. Several base64url texts decode to one 32-byte HMAC
 * (its last character carries 2 spare bits), so comparing decoded bytes let a cursor or token with a changed
 * last character through — the hostile-input test's tampered cursor passed 1 run in ~20 (CI, 12-05).
 */
import { HmacReporterCredentials } from '../../shared/adapters/hmac-reporter-credentials';
import { PageCursors } from '../../shared/adapters/dynamodb/cursors';

const KEY = 'an installation key of at least 32 characters';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The texts other than `signed` whose signature decodes to the very same bytes (another last character). */
function sameBytesOtherText(signed: string): string[] {
  const dot = signed.lastIndexOf('.');
  const signature = signed.slice(dot + 1);
  const bytes = Buffer.from(signature, 'base64url');
  return [...ALPHABET]
    .map((last) => `${signed.slice(0, dot + 1)}${signature.slice(0, -1)}${last}`)
    .filter((text) => text !== signed && Buffer.from(text.slice(dot + 1), 'base64url').equals(bytes));
}

test('a cursor whose last character was changed is refused, even where it decodes to the same signature', () => {
  const cursors = new PageCursors(KEY);
  for (const stop of ['a', 'b', 'c', 'd', 'e', 'f']) {
    const cursor = cursors.keyCursor('list', 'open', { pk: stop });
    expect(cursors.read('list', cursor)).toEqual({ status: 'open', key: { pk: stop } });
    const variants = sameBytesOtherText(cursor);
    expect(variants).toHaveLength(3);
    for (const variant of variants) expect(() => cursors.read('list', variant)).toThrow('is not one this API returned');
  }
});

test('a reporter token whose last character was changed reads as nothing', () => {
  const credentials = new HmacReporterCredentials(KEY);
  const token = credentials.issueToken({ phone: '+8613000001234', expiresAt: new Date('2026-11-24T01:00:00Z') });
  expect(credentials.readToken(token)).toBeDefined();
  const variants = sameBytesOtherText(token);
  expect(variants).toHaveLength(3);
  for (const variant of variants) expect(credentials.readToken(variant)).toBeUndefined();
});
