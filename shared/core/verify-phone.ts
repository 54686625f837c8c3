/**
 * Verified phones for residents (issue 13 item 2). A resident reporting without an account names a phone to hear
 * back on; before, any number was texted the result and the rating code, so any stranger could make GridFlow text
 * anyone. Now the resident proves the number is theirs: a 6-digit code is texted to it (POST /verifications; at
 * most `verificationCodesPerDay` to a number and `verificationRequestsPerHour` from a client), and the code,
 * confirmed (POST /verifications/confirm; `verificationTries` wrong tries void it), gives a reporter token: signed
 * by the installation, carrying the phone, good for `reporterTokenHours`. A report carries it (X-Reporter-Token);
 * a phone without a valid token for it is never texted and not kept (`reporterOf`).
 *
 * Every duration here is wall-clock time (a policy span of `scale` times as long): local mode's sped-up clock
 * must not expire a code in a wall second, nor give a guesser a new day.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { forbidden, unprocessable } from '../domain/errors';
import { maskPhone } from '../domain/messages';
import { toE164 } from '../domain/phones';
import type { Reporter } from '../domain/types';
import type { CoreDependencies } from './dependencies';
import { queueMessages } from './notify';
import { enforceDailyLimit, enforceHourlyLimit } from './request-guards';

export type VerifyDeps = Pick<CoreDependencies, 'verifications' | 'reporterCredentials' | 'guards' | 'clock' | 'policy' | 'smsIntents'>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** `wallMs` of wall-clock time as a policy-time span. */
const wall = (deps: Pick<CoreDependencies, 'clock'>, wallMs: number) => wallMs * deps.clock.scale;

/** POST /verifications: texts a new code to the phone (replacing any pending one). */
export async function requestCode(deps: VerifyDeps, typedPhone: string, clientId: string): Promise<{ phone: string; expiresAt: Date }> {
  const phone = toE164(typedPhone);
  await enforceHourlyLimit(
    deps,
    'verificationRequestsPerHour',
    `verify-client#${clientId}`,
    (perHour) => `At most ${perHour} verification codes an hour from one client address; please try later`,
  );
  await enforceDailyLimit(
    deps,
    'verificationCodesPerDay',
    `verify-phone#${phone}`,
    (perDay) => `At most ${perDay} codes a day to one number; please try again tomorrow`,
  );
  const code = String(randomInt(100_000, 1_000_000));
  const now = deps.clock.now();
  const minutes = deps.policy.verificationCodeMinutes;
  const expiresAt = new Date(now.getTime() + wall(deps, minutes * MINUTE_MS));
  const keepUntil = new Date(expiresAt.getTime() + wall(deps, 24 * HOUR_MS));
  await deps.verifications.putCode(phone, deps.reporterCredentials.hashCode(phone, code), expiresAt, keepUntil);
  await queueMessages(deps, {}, [
    { to: { phone, name: '居民' }, recipientRole: 'resident', template: 'verification_code', params: { code, minutes: String(minutes) } },
  ]);
  return { phone: maskPhone(typedPhone), expiresAt };
}

/** POST /verifications/confirm: the right code, in time and within the tries, gives a reporter token for the phone. */
export async function confirmCode(
  deps: VerifyDeps,
  typedPhone: string,
  code: string,
): Promise<{ phone: string; token: string; expiresAt: Date }> {
  const phone = toE164(typedPhone);
  const askAgain = 'ask for a new one (POST /verifications)';
  // The try is counted before the code is looked at: racing tries cannot get more than their number.
  const pending = await deps.verifications.countTry(phone);
  if (!pending) throw forbidden(`No code is pending for this number: ${askAgain}`);
  const now = deps.clock.now();
  if (pending.expiresAt.getTime() <= now.getTime()) throw forbidden(`The code has expired: ${askAgain}`);
  const tries = deps.policy.verificationTries;
  if (pending.tries > tries) throw forbidden(`The code is void after ${tries} wrong tries: ${askAgain}`);
  if (!sameHash(pending.codeHash, deps.reporterCredentials.hashCode(phone, code)))
    throw unprocessable('The code does not match', [{ field: 'code', message: 'does not match' }]);
  if (!(await deps.verifications.useCode(phone, pending.codeHash))) throw forbidden(`The code was used already: ${askAgain}`);
  const expiresAt = new Date(now.getTime() + wall(deps, deps.policy.reporterTokenHours * HOUR_MS));
  return { phone, token: deps.reporterCredentials.issueToken({ phone, expiresAt }), expiresAt };
}

/** What an X-Reporter-Token proves: the phone (E.164), or why it proves nothing. */
export type ReporterProof = { phone: string } | { problem: string };

export function reporterProof(deps: Pick<CoreDependencies, 'reporterCredentials' | 'clock'>, token: string): ReporterProof {
  const read = deps.reporterCredentials.readToken(token);
  if (!read) return { problem: 'the reporter token is not one GridFlow signed' };
  if (read.expiresAt.getTime() <= deps.clock.now().getTime()) return { problem: 'the reporter token has expired' };
  return { phone: read.phone };
}

/**
 * The reporter of a report without an account, as stored: the phone kept only when the token proves it (the token's
 * phone when none is named); otherwise none, and a notice that says so.
 */
export function reporterOf(
  deps: Pick<CoreDependencies, 'reporterCredentials' | 'clock'>,
  named: Reporter | undefined,
  token: string | undefined,
): { reporter?: Reporter; verifiedPhone?: string; notice?: string } {
  const proof = token === undefined ? undefined : reporterProof(deps, token);
  const verifiedPhone = proof && 'phone' in proof ? proof.phone : undefined;
  if (!named?.phone) return { ...withoutPhone(named, verifiedPhone), ...(verifiedPhone ? { verifiedPhone } : {}) };
  if (verifiedPhone && toE164(named.phone) === verifiedPhone) return { reporter: named, verifiedPhone };
  const why =
    proof && 'problem' in proof ? proof.problem : verifiedPhone ? 'the reporter token is for another number' : 'no reporter token';
  const { phone: _unverified, ...rest } = named;
  return {
    ...(Object.keys(rest).length ? { reporter: rest } : {}),
    ...(verifiedPhone ? { verifiedPhone } : {}),
    notice:
      `The phone ${maskPhone(named.phone)} is not verified (${why}): GridFlow will not text it and did not keep it. ` +
      'To hear back, verify it (POST /verifications, then /verifications/confirm) and send the reporter token as X-Reporter-Token.',
  };
}

function withoutPhone(named: Reporter | undefined, verifiedPhone: string | undefined): { reporter?: Reporter } {
  if (verifiedPhone) return { reporter: { ...named, phone: verifiedPhone } };
  return named && Object.keys(named).length ? { reporter: named } : {};
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
