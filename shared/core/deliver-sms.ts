/**
 * The SMS sender's work: one stored SMS intent (notify.ts) sent once. It counts an attempt, sends (retrying
 * a refused send briefly), then records the outcome; an intent already settled — a redelivered stream record —
 * is skipped. A sender that stops between the send and the record leaves the attempt counted: the next
 * delivery sends again, and says so in the log (a metric counts them). A provider still throttling after the
 * retries throws, so the stream retries the batch from this intent later. A send that keeps failing is recorded
 * on the case's timeline and logged for the alarm — never silently dropped.
 */
import { withRetries, type RetryPolicy } from '../domain/retry';
import { SmsThrottled } from '../domain/errors';
import { maskPhone, maskPhonesIn } from '../domain/messages';
import type { SmsIntent } from '../ports/sms-intents';
import { buildChange, SYSTEM_ACTOR } from './changes';
import type { CoreDependencies } from './dependencies';
import { updateCase } from './update-case';
import { type CapDeps, capReason, dailyCapVerdict } from './sms-cap';

/** A refused SMS is tried twice more, after 200 ms and after 1 s (the provider's throttling passes quickly). */
export const SMS_SEND_RETRY: RetryPolicy = { name: 'sms-send', retries: 2, delayMs: (attempt) => [200, 1000][attempt] ?? 1000 };

/** Logged for each SMS that still failed after its retries (the infra's metric filter matches it). */
export const SMS_FAILED_MESSAGE = 'SMS failed after retries';
/** Logged when an intent is sent again after an attempt that recorded no outcome (the infra counts them). */
export const SMS_MAYBE_TWICE_MESSAGE = 'SMS sent again after an unfinished attempt';

export type SenderDeps = Pick<CoreDependencies, 'smsIntents' | 'notifier' | 'logger' | 'clock' | 'cases'> & CapDeps;

export type Delivery = 'sent' | 'failed' | 'skipped' | 'capped';

export async function deliverIntent(deps: SenderDeps, intent: SmsIntent): Promise<Delivery> {
  const attempt = await deps.smsIntents.beginAttempt(intent.id, deps.clock.now());
  if (attempt.settled) return 'skipped';
  const { message } = intent;
  if (attempt.earlierAttempts > 0)
    deps.logger.warn(SMS_MAYBE_TWICE_MESSAGE, { intentId: intent.id, eventId: message.eventId, earlierAttempts: attempt.earlierAttempts });
  // Past the phone's daily cap: folded into its next day's digest, or held; recorded on the intent, never silently.
  const verdict = await dailyCapVerdict(deps, message);
  if (verdict !== 'send') {
    const reason = capReason(deps, verdict, message.to);
    deps.logger.warn('SMS past the daily cap', { intentId: intent.id, eventId: message.eventId, template: message.template, reason });
    await deps.smsIntents.settle(intent.id, { sent: false, error: reason, held: true }, deps.clock.now());
    return 'capped';
  }
  let messageId: string | undefined;
  let lastError: unknown;
  await withRetries(SMS_SEND_RETRY, async () => {
    messageId = (await deps.notifier.send(message)).messageId;
  }).catch((error) => {
    lastError = error;
  });
  // A provider that throttles is not a failed SMS: the batch is retried later, from this intent.
  if (lastError instanceof SmsThrottled) {
    await deps.smsIntents.releaseAttempt(intent.id);
    throw lastError;
  }
  if (messageId !== undefined) {
    await deps.smsIntents.settle(intent.id, { sent: true, messageId }, deps.clock.now());
    return 'sent';
  }
  // The provider's words may carry the number (SNS: "PhoneNumber Reason: +86… is not valid"): masked before anyone reads them.
  const failure = maskPhonesIn(String(lastError));
  deps.logger.error(SMS_FAILED_MESSAGE, {
    intentId: intent.id,
    eventId: message.eventId,
    template: message.template,
    to: maskPhone(message.to),
    error: failure,
  });
  if (!(await deps.smsIntents.settle(intent.id, { sent: false, error: failure }, deps.clock.now()))) return 'skipped';
  if (message.eventId)
    await recordFailedMessage(deps, message.eventId, `${message.template} → ${message.recipientRole} ${maskPhone(message.to)}: ${failure}`);
  return 'failed';
}

/**
 * SMS a change committed without room to store each in its own write (a store's transaction limit: a feedback to
 * hundreds of linked reporters): stored now, each then sent as any other. One stored already is left as it is, so
 * storing them twice (the writer and the sender, or a redelivered record) stores each once.
 */
export async function storeOwedIntents(deps: Pick<CoreDependencies, 'smsIntents'>, intents: SmsIntent[]): Promise<void> {
  await deps.smsIntents.add(intents);
}

async function recordFailedMessage(deps: SenderDeps, eventId: string, failure: string) {
  const at = deps.clock.now();
  await updateCase(deps, eventId, ({ case: theCase }) =>
    buildChange(theCase, theCase, {
      type: 'notification_failed',
      actor: SYSTEM_ACTOR,
      at,
      note: `SMS not delivered after retries: ${failure}`,
      count: ['smsFailed'],
    }),
  );
}
