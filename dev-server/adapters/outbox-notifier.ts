/**
 * Local SMS: every message SNS on the edge port accepts (edge/sns-service.ts) goes to an outbox (a
 * JSON-lines file in the data folder) and to the console. The functions publish to SNS; this is its sink.
 * Only the latest messages are kept in memory (for GET /_local/outbox and the tests): a platform
 * left running for weeks, or a flood of thousands of cases, must not grow with every message sent.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../shared/ports/clock';
import type { Notifier, OutgoingMessage, SendResult } from '../../shared/ports/notifier';
import { toLocalIso } from '../../shared/domain/calendar';
import { JsonLinesAppender, readJsonLines } from '../durable-files';

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
  private readonly appender?: JsonLinesAppender;

  constructor(
    private readonly clock: Clock,
    file?: string,
    private readonly print: (line: string) => void = (line) => console.log(line),
    /** Where a line of the file that does not parse (cut short by a crash) is reported. */
    warn: (line: string) => void = print,
  ) {
    if (!file) return;
    const lines = readJsonLines<OutboxEntry>(file, warn);
    this.sent = lines.length;
    this.entries = lines.slice(-OUTBOX_KEPT_IN_MEMORY);
    mkdirSync(dirname(file), { recursive: true });
    this.appender = new JsonLinesAppender(file);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    this.sent += 1;
    const entry: OutboxEntry = { id: `sms-${this.sent}`, at: toLocalIso(this.clock.now()), ...message };
    this.entries.push(entry);
    if (this.entries.length > OUTBOX_KEPT_IN_MEMORY * 1.5) this.entries = this.entries.slice(-OUTBOX_KEPT_IN_MEMORY);
    await this.appender?.append(entry);
    this.print(`📱 SMS to ${message.to} (${message.recipientRole}, ${message.parts} part${message.parts > 1 ? 's' : ''}): ${message.text}`);
    return { messageId: entry.id };
  }

  /** The latest messages (up to OUTBOX_KEPT_IN_MEMORY; the file has them all), newest last. */
  all(): OutboxEntry[] {
    return this.entries.slice(-OUTBOX_KEPT_IN_MEMORY);
  }
}
