/** The optional `Idempotency-Key` header of a POST that creates something: a retry with the same key replays the first reply. */
import { badRequest } from '../domain/errors';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('Idempotency-Key must be 1–128 letters, digits or ._:-', [{ field: 'Idempotency-Key', message: 'invalid' }]);
  }
  return key;
}
