/** Reporter tokens and code hashes (shared/adapters/hmac-reporter-credentials.ts), keyed by the installation's secret. */
import { HmacReporterCredentials } from '../../shared/adapters/hmac-reporter-credentials';
import { PageCursors } from '../../shared/adapters/dynamodb/cursors';
import { reporterOf } from '../../shared/core/verify-phone';
import { pureDeps } from './pure-deps';

const KEY = 'an installation key of at least 32 characters';
const credentials = new HmacReporterCredentials(KEY);
const token = { phone: '+8613000001234', expiresAt: new Date('2026-11-24T01:00:00Z') };

test('a token reads back as issued; altered, forged or signed with another key, it reads as nothing', () => {
  const issued = credentials.issueToken(token);
  expect(credentials.readToken(issued)).toEqual(token);
  const [payload, signature] = issued.split('.');
  const other = Buffer.from(JSON.stringify({ v: 1, phone: '+8613000009999', exp: token.expiresAt.getTime() })).toString('base64url');
  for (const bad of [`${other}.${signature}`, `${payload}.`, `${payload}`, `${payload}.${signature}.x`, '', '.', 'a.b'])
    expect(credentials.readToken(bad)).toBeUndefined();
  expect(new HmacReporterCredentials(`${KEY}!`).readToken(issued)).toBeUndefined();
  // A page cursor signed with the same installation key is no token: the token's key is derived under its own label.
  const cursor = new PageCursors(KEY).keyCursor('list', 'open', { pk: 'x' });
  expect(credentials.readToken(cursor)).toBeUndefined();
});

test('a code hash is keyed and per phone: the table never gives the code away', () => {
  const hash = credentials.hashCode('+8613000001234', '482913');
  expect(hash).not.toContain('482913');
  expect(credentials.hashCode('+8613000001234', '482913')).toBe(hash);
  expect(credentials.hashCode('+8613000005678', '482913')).not.toBe(hash);
  expect(new HmacReporterCredentials(`${KEY}!`).hashCode('+8613000001234', '482913')).not.toBe(hash);
});

test("an expired token proves nothing; a token's phone is kept, another named phone is not", () => {
  const deps = pureDeps('2026-11-23T01:00:00Z');
  const issued = deps.reporterCredentials.issueToken(token);
  expect(reporterOf(deps, { name: '张', phone: '130-0000-1234' }, issued)).toEqual({
    reporter: { name: '张', phone: '130-0000-1234' },
    verifiedPhone: '+8613000001234',
  });
  expect(reporterOf(deps, { name: '张' }, issued)).toEqual({
    reporter: { name: '张', phone: '+8613000001234' },
    verifiedPhone: '+8613000001234',
  });
  const later = pureDeps('2026-11-24T01:00:00Z');
  const expired = reporterOf(later, { phone: '13000001234' }, issued);
  expect(expired.reporter).toBeUndefined();
  expect(expired.notice).toMatch(/130\*\*\*\*1234 is not verified \(the reporter token has expired\)/);
  expect(reporterOf(deps, { phone: '13000005678' }, issued)).toMatchObject({ notice: expect.stringMatching(/another number/) });
  expect(reporterOf(deps, { name: '张', phone: '13000005678' }, undefined)).toMatchObject({
    reporter: { name: '张' },
    notice: expect.stringMatching(/no reporter token/),
  });
  expect(reporterOf(deps, undefined, undefined)).toEqual({});
});
