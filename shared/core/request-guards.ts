/**
 * The request guards of the core, one of each: the idempotency guard of a POST that creates something
 * (POST /events, POST /patrols) and the hourly rate limits (their numbers in the policy).
 *
 * Idempotency: a request with an `Idempotency-Key` is made once per caller, operation and key; a retry with
 * the same body gets what the first made (`created: false`), another body is a 409. The claim commits in
 * the same transaction as what the request makes, so two racing twins cannot both make it: the loser waits
 * briefly for the winner's record (REPLAY_WAITS_MS), and answers 409 "still being processed" if it is not there yet.
 */
import { conflict, IdempotencyKeyTaken, tooManyRequests } from '../domain/errors';
import type { ClaimRecord, IdempotencyClaim } from '../ports/guards';
import type { CoreDependencies } from './dependencies';
import { hashOf } from './ids';

/** What a key is claimed for: a key is the caller's for one operation. */
export type IdempotentOperation = 'event' | 'patrol';

/** The waits before each read of the winner's record, when a twin lost the race for the key. */
export const REPLAY_WAITS_MS = [0, 20, 40, 60, 80] as const;

export interface IdempotentRequest {
  operation: IdempotentOperation;
  /** Who asks: the caller's `sub`, or `citizen` without a token. */
  caller: string;
  /** The `Idempotency-Key` header; absent: the request is simply made. */
  key?: string;
  body: unknown;
}

/**
 * Makes the request once per key: `make` gets the claim to commit with what it stores (undefined without
 * a key); `replay` turns an earlier request's record into its result (undefined: not there (yet)).
 */
export async function onceForKey<T>(
  deps: Pick<CoreDependencies, 'guards' | 'clock' | 'policy'>,
  request: IdempotentRequest,
  replay: (record: ClaimRecord) => Promise<T | undefined>,
  make: (claim: IdempotencyClaim | undefined) => Promise<T>,
): Promise<{ result: T; created: boolean }> {
  if (request.key === undefined) return { result: await make(undefined), created: true };
  const claim: IdempotencyClaim = {
    key: `${request.caller}#${request.operation}#${request.key}`,
    bodyHash: hashOf(request.body),
    expiresAt: new Date(deps.clock.now().getTime() + deps.policy.idempotencyHours * 3600_000),
  };
  const earlier = await replayOf(deps, claim, replay, [0]);
  if (earlier !== undefined) return { result: earlier, created: false };
  try {
    return { result: await make(claim), created: true };
  } catch (error) {
    if (!(error instanceof IdempotencyKeyTaken) || error.key !== claim.key) throw error;
  }
  // A twin with the same key committed first: its record is there, or about to be.
  const twin = await replayOf(deps, claim, replay, REPLAY_WAITS_MS);
  if (twin !== undefined) return { result: twin, created: false };
  throw conflict('The request with this Idempotency-Key is still being processed; retry shortly', [
    { field: 'Idempotency-Key', message: 'in use' },
  ]);
}

async function replayOf<T>(
  deps: Pick<CoreDependencies, 'guards'>,
  claim: IdempotencyClaim,
  replay: (record: ClaimRecord) => Promise<T | undefined>,
  waits: readonly number[],
): Promise<T | undefined> {
  for (const wait of waits) {
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const record = await deps.guards.findClaim(claim.key);
    if (!record) continue;
    if (record.bodyHash !== claim.bodyHash) {
      throw conflict('This Idempotency-Key was used with a different body', [
        { field: 'Idempotency-Key', message: 'reused with another body' },
      ]);
    }
    const result = await replay(record);
    if (result !== undefined) return result;
  }
  return undefined;
}

/** The hourly rate limits, by what they limit; each number is in the policy. */
export type HourlyLimit = 'citizenReportsPerHour' | 'ratingTriesPerHour' | 'commentsPerHour' | 'verificationRequestsPerHour';
/** The daily rate limits, likewise. */
export type DailyLimit = 'verificationCodesPerDay' | 'ratingCodesPerCasePerDay';

const WALL_HOUR_MS = 3600_000;
const WALL_DAY_MS = 24 * WALL_HOUR_MS;

/**
 * Counts a request of `bucket` against this hour's window of the limit and refuses it (429, with `message` and the
 * wall seconds left in the window as Retry-After) once the policy's number is exceeded. The window is a fixed hour
 * of the WALL clock, kept two windows: local mode's clock may run `scale` times faster than the wall (a working
 * day's deadline in seconds, for demos), and a limit on guessing or abuse must not pass with it.
 */
export function enforceHourlyLimit(
  deps: Pick<CoreDependencies, 'guards' | 'clock' | 'policy'>,
  limit: HourlyLimit,
  bucket: string,
  message: (perHour: number) => string,
): Promise<void> {
  return enforceWallWindow(deps, deps.policy[limit], WALL_HOUR_MS, bucket, message);
}

/** As enforceHourlyLimit, over a fixed wall-clock day (UTC days of the wall clock; the window is all that matters). */
export function enforceDailyLimit(
  deps: Pick<CoreDependencies, 'guards' | 'clock' | 'policy'>,
  limit: DailyLimit,
  bucket: string,
  message: (perDay: number) => string,
): Promise<void> {
  return enforceWallWindow(deps, deps.policy[limit], WALL_DAY_MS, `${bucket}#day`, message);
}

async function enforceWallWindow(
  deps: Pick<CoreDependencies, 'guards' | 'clock'>,
  allowed: number,
  wallMs: number,
  bucket: string,
  message: (allowed: number) => string,
): Promise<void> {
  // A wall window is `scale` times as long in policy time, which is what the clock tells.
  const span = wallMs * deps.clock.scale;
  const now = deps.clock.now().getTime();
  const window = Math.floor(now / span);
  const endsAt = (window + 1) * span;
  const hits = await deps.guards.countHit(`${bucket}#${window}`, new Date(endsAt + span));
  if (hits > allowed) throw tooManyRequests(message(allowed), Math.max(1, Math.ceil((endsAt - now) / deps.clock.scale / 1000)));
}
