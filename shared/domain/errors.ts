/** Errors the core raises; the HTTP layer maps each to its status and the `{ error: { code, message, fields } }` body. */

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
    /** When to try again, for an answer that says "not now" (the reply's Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = code;
  }
}

export const badRequest = (message: string, fields?: FieldProblem[]) => new DomainError(400, 'bad_request', message, fields);
export const unauthorized = (message: string, fields?: FieldProblem[]) => new DomainError(401, 'unauthorized', message, fields);
export const forbidden = (message: string) => new DomainError(403, 'forbidden', message);
export const notFound = (message: string) => new DomainError(404, 'not_found', message);
export const conflict = (message: string, fields?: FieldProblem[]) => new DomainError(409, 'conflict', message, fields);
export const payloadTooLarge = (message: string) => new DomainError(413, 'payload_too_large', message);
export const unsupportedMediaType = (message: string, fields?: FieldProblem[]) =>
  new DomainError(415, 'unsupported_media_type', message, fields);
export const unprocessable = (message: string, fields?: FieldProblem[]) => new DomainError(422, 'unprocessable', message, fields);
export const serviceUnavailable = (code: string, message: string, retryAfterSeconds: number) =>
  new DomainError(503, code, message, undefined, retryAfterSeconds);
/** `retryAfterSeconds`: wall seconds until the limit's window ends (the reply's Retry-After). */
export const tooManyRequests = (message: string, retryAfterSeconds?: number) =>
  new DomainError(429, 'too_many_requests', message, undefined, retryAfterSeconds);

/**
 * The store cannot be reached (refused, silent past its timeouts, failing on its side after the retries): the
 * HTTP layer answers 503 with Retry-After; nothing was acknowledged, so a retry (with its Idempotency-Key) is safe.
 */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`The store cannot be reached: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    this.name = 'StoreUnavailable';
  }
}

/** The stored case changed since it was read: the caller re-reads and decides again. */
export class VersionConflict extends Error {
  constructor(readonly eventId: string) {
    super(`Event ${eventId} changed while this change was being made`);
    this.name = 'VersionConflict';
  }
}

/** Another version of the reference documents was applied since the one a change was based on. */
export class ReferenceVersionTaken extends Error {
  constructor(readonly expected: number | undefined) {
    super(`The reference documents are no longer at version ${expected ?? 'none'}: another version was applied meanwhile`);
    this.name = 'ReferenceVersionTaken';
  }
}

/** The SMS provider refuses for now (its rate limit): the SMS is to be sent later, not given up. */
export class SmsThrottled extends Error {
  constructor(cause: unknown) {
    super(`The SMS provider is throttling: ${String(cause)}`);
    this.name = 'SmsThrottled';
  }
}

/** A new case's id is in use already (two reports drew the same random id): draw again. */
export class EventIdTaken extends Error {
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already used`);
    this.name = 'EventIdTaken';
  }
}

/** An idempotency key is already taken (by this request's twin or by another body). */
export class IdempotencyKeyTaken extends Error {
  constructor(readonly key: string) {
    super(`Idempotency key ${key} is already used`);
    this.name = 'IdempotencyKeyTaken';
  }
}

/** A list was asked to continue from a cursor it did not hand out (or for another unit or day): the HTTP layer answers 400. */
export class InvalidCursor extends Error {
  constructor(readonly reason: string) {
    super(`cursor ${reason}`);
    this.name = 'InvalidCursor';
  }
}

/** A stored record is not what its store writes (corrupt, or written by an incompatible version): named, never cast. */
export class CorruptRecord extends Error {
  constructor(
    readonly record: string,
    readonly problem: string,
  ) {
    super(`Stored record ${record} is corrupt: ${problem}`);
    this.name = 'CorruptRecord';
  }
}

/**
 * Something the code's own rules guarantee is missing — the clock of a case that waits, the assignee of a case
 * being handled, the district of a known grid: a bug or a corrupt record, never the caller's fault (a 500). The
 * message names what is missing and the rule that promised it; it replaces a non-null assertion.
 */
export class BrokenInvariant extends Error {
  constructor(
    readonly missing: string,
    readonly promisedBy: string,
  ) {
    super(`${missing} is missing, though ${promisedBy}`);
    this.name = 'BrokenInvariant';
  }
}
