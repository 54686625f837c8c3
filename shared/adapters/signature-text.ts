/**
 * Whether `given` is the very text of `expected` in base64url. Compared as text, not as decoded bytes: several
 * texts decode to one 32-byte HMAC (the last character's 2 spare bits), and a changed character must not pass.
 */
import { timingSafeEqual } from 'node:crypto';

export function isSignatureText(given: string, expected: Buffer): boolean {
  const givenText = Buffer.from(given, 'utf8');
  const expectedText = Buffer.from(expected.toString('base64url'), 'utf8');
  return givenText.length === expectedText.length && timingSafeEqual(givenText, expectedText);
}
