/**
 * SMS to send, stored before they are sent: a change of a case writes the SMS it causes in its own
 * transaction; other senders (reminder digests, campaigns, patrol checks, reports ready) store them alone.
 * The SMS sender, fed by the table's stream, sends each and records the outcome (shared/core/deliver-sms.ts).
 */
import type { OutgoingMessage } from './notifier';

export interface SmsIntent {
  /** Unique; a case change's are `<case id>.<version>.<n>`, so retrying the change cannot add a second. */
  id: string;
  message: OutgoingMessage;
  createdAt: string;
}

/** What the sender found when it began an attempt. */
export type SendAttempt =
  /** Sent or given up already (a redelivered stream record): nothing to do. */
  | { settled: true }
  /** To send; `earlierAttempts` > 0 when a sender began before and did not record an outcome (it may have sent). */
  | { settled: false; earlierAttempts: number };

/** `held`: not sent by choice (past the phone's daily cap: folded into the next day's digest, or held), not a failure. */
export type SendOutcome = { sent: true; messageId: string } | { sent: false; error: string; held?: true };

/** Where an SMS stands: stored and not yet settled, sent, failed after retries, held by the daily cap. */
export type CaseMessageStatus = 'pending' | 'sent' | 'failed' | 'held' | 'expired';

/**
 * An SMS a case caused, as its record lists it: the recipient's number masked (the store keeps no more with the
 * case); `expired` once the intent's outcome is no longer kept (30 days after it was made).
 */
export interface CaseMessage {
  intentId: string;
  template: string;
  recipientRole: string;
  /** The number, masked (maskPhone). */
  recipient: string;
  createdAt: string;
  status: CaseMessageStatus;
  /** When it was sent, failed or held (absent while pending or expired). */
  settledAt?: string;
  /** Why it failed or was held. */
  error?: string;
  /**
   * How many other cases the one SMS covered as well (a reminder digest): a count, not their ids — whoever may see
   * this case may not see those.
   */
  alsoForCount?: number;
}

export interface SmsIntentStore {
  /** Stores intents outside a case's change. */
  add(intents: SmsIntent[]): Promise<void>;
  /** Counts an attempt on an intent that is not settled. */
  beginAttempt(id: string, at: Date): Promise<SendAttempt>;
  /** Takes back an attempt that certainly sent nothing (the provider throttled), so it is not counted as a possible second send. */
  releaseAttempt(id: string): Promise<void>;
  /** Records the outcome once; false when another sender recorded one first. */
  settle(id: string, outcome: SendOutcome, at: Date): Promise<boolean>;
  /**
   * Every SMS stored about a case (its changes', and those stored alone naming it: reminders, digests), oldest
   * first. Found in the case's own item collection: an SMS stored before those entries existed is not listed.
   */
  ofCase(eventId: string): Promise<CaseMessage[]>;
}
