/** Phone numbers as GridFlow compares and texts them. */

/** A mainland mobile number — what can get an SMS: 11 digits starting with 1, optionally after +86. */
export const MAINLAND_MOBILE = /^(\+86)?1\d{10}$/;
export const MAINLAND_MOBILE_MESSAGE = 'a mainland mobile number: 11 digits starting with 1, optionally +86';

/**
 * E.164 (+86…), what SNS wants and how two ways of typing a number compare equal. Mainland numbers are stored as
 * typed (13000001001, 0752-1234567, +86 130 0000 1001).
 */
export function toE164(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '');
  if (digits.startsWith('+')) return digits;
  if (/^86\d{11}$/.test(digits)) return `+${digits}`;
  if (digits.startsWith('0')) return `+86${digits.slice(1)}`;
  return `+86${digits}`;
}
