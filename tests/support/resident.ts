/**
 * A resident who verified their phone (issue 13 item 2): POST /verifications, the code read from the outbox (what the
 * phone got), POST /verifications/confirm. The reporter token goes with a report as X-Reporter-Token.
 */
import { toE164 } from '../../shared/domain/phones';
import type { Stack } from './local-stack';

/** The code of the latest verification SMS to `phone`. */
export function verificationCodeSentTo(stack: Stack, phone: string): string {
  const sent = stack.platform.outbox
    .all()
    .filter((message) => message.template === 'verification_code' && toE164(message.to) === toE164(phone));
  const code = /(\d{6})/.exec(sent.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`No verification code was sent to ${phone}`);
  return code;
}

/** Verifies `phone` and returns its reporter token (as headers for a report). */
export async function reporterTokenFor(stack: Stack, phone: string): Promise<{ 'x-reporter-token': string }> {
  const asked = await stack.call('POST', '/verifications', { body: { phone } });
  if (asked.status !== 202) throw new Error(`POST /verifications answered ${asked.status}: ${JSON.stringify(asked.body)}`);
  const confirmed = await stack.call('POST', '/verifications/confirm', { body: { phone, code: verificationCodeSentTo(stack, phone) } });
  if (confirmed.status !== 200)
    throw new Error(`POST /verifications/confirm answered ${confirmed.status}: ${JSON.stringify(confirmed.body)}`);
  return { 'x-reporter-token': confirmed.body.token };
}
