/**
 * Local SMS: every message SNS on the edge port accepts (edge/sns-service.ts) goes to an outbox (a
 * JSON-lines file in the data folder) and to the console. The functions publish to SNS; this is its sink.
 * Only the latest messages are kept in memory (for GET /_local/outbox and the tests): a platform
 * left running for weeks, or a flood of thousands of cases, must not grow with every message sent.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../shared/ports/clock';
import type { Notifier, OutgoingMessage, SendResult } from '../../shared/ports/notifier';
import { toLocalIso } from '../../shared/domain/calendar';

export interface OutboxEntry extends OutgoingMessage {
  id: string;
  at: string;
}

/** How many of the latest messages stay in memory. */
export const OUTBOX_KEPT_IN_MEMORY = 2_000;

export class OutboxNotifier implements Notifier {
  private entries: OutboxEntry[] = [];
  /** Messages sent over the outbox's life (the file's lines), which numbers the next one. */
  private sent = 0;

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {
    if (file && existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      this.sent = lines.length;
      this.entries = lines.slice(-OUTBOX_KEPT_IN_MEMORY).map((line) => JSON.parse(line) as OutboxEntry);
    }
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent += 1;
    const entry: OutboxEntry = { id: `sms-${this.sent}`, at: toLocalIso(this.clock.now()), ...message };
    this.entries.push(entry);
    if (this.entries.length > OUTBOX_KEPT_IN_MEMORY * 1.5) this.entries = this.entries.slice(-OUTBOX_KEPT_IN_MEMORY);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.print(`📱 SMS to ${message.to} (${message.recipientRole}, ${message.parts} part${message.parts > 1 ? 's' : ''}): ${message.text}`);
    return { messageId: entry.id };
  }

  /** The latest messages (up to OUTBOX_KEPT_IN_MEMORY; the file has them all), newest last. */
  all(): OutboxEntry[] {
    return this.entries.slice(-OUTBOX_KEPT_IN_MEMORY);
  }
}
