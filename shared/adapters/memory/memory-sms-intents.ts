/**
 * SMS intents in memory, with the same once-only rules as the DynamoDB store; `onStored` plays the table's
 * stream (the unit tests' deliver at once).
 */
import { casesOfMessage, maskPhone } from '../../domain/messages';
import type { CaseMessage, SendAttempt, SendOutcome, SmsIntent, SmsIntentStore } from '../../ports/sms-intents';
/** Copied in and out, as a database would (memory-table.ts's rule; not imported from there: it holds this store). */
const copy = <T>(value: T): T => structuredClone(value);

interface Kept {
  intent: SmsIntent;
  attempts: number;
  settled?: SendOutcome;
  settledAt?: string;
}

export class MemorySmsIntentStore implements SmsIntentStore {
  private readonly intents = new Map<string, Kept>();
  /** Called with the intents each write stored (not those already there). */
  onStored?: (intents: SmsIntent[]) => void;

  async add(intents: SmsIntent[]): Promise<void> {
    this.store(intents);
  }

  /** Stores intents (a case change's, in its write); one with a stored id is not stored again. */
  store(intents: SmsIntent[]): void {
    const stored = intents.filter((intent) => !this.intents.has(intent.id));
    for (const intent of stored) this.intents.set(intent.id, { intent: copy(intent), attempts: 0 });
    if (stored.length) this.onStored?.(stored.map(copy));
  }

  async beginAttempt(id: string, _at: Date): Promise<SendAttempt> {
    const kept = this.intents.get(id);
    if (!kept || kept.settled) return { settled: true };
    kept.attempts += 1;
    return { settled: false, earlierAttempts: kept.attempts - 1 };
  }

  async releaseAttempt(id: string): Promise<void> {
    const kept = this.intents.get(id);
    if (kept && !kept.settled && kept.attempts > 0) kept.attempts -= 1;
  }

  async settle(id: string, outcome: SendOutcome, at: Date): Promise<boolean> {
    const kept = this.intents.get(id);
    if (!kept || kept.settled) return false;
    kept.settled = copy(outcome);
    kept.settledAt = at.toISOString();
    return true;
  }

  async ofCase(eventId: string): Promise<CaseMessage[]> {
    return [...this.intents.values()]
      .filter(({ intent }) => casesOfMessage(intent.message).includes(eventId))
      .map((kept) => caseMessageOf(eventId, kept))
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.intentId.localeCompare(b.intentId));
  }

  /** Every intent stored, oldest first (tests). */
  all(): SmsIntent[] {
    return [...this.intents.values()].map((kept) => copy(kept.intent));
  }
}

function caseMessageOf(eventId: string, { intent, settled, settledAt }: Kept): CaseMessage {
  const others = casesOfMessage(intent.message).filter((id) => id !== eventId).length;
  const base = {
    intentId: intent.id,
    template: intent.message.template,
    recipientRole: intent.message.recipientRole,
    recipient: maskPhone(intent.message.to),
    createdAt: intent.createdAt,
    ...(others ? { alsoForCount: others } : {}),
  };
  if (!settled) return { ...base, status: 'pending' };
  if (settled.sent) return { ...base, status: 'sent', settledAt };
  return { ...base, status: settled.held ? 'held' : 'failed', settledAt, error: settled.error };
}
