/** Local SMS: every message goes to an outbox (a JSON-lines file in the data folder) and to the console. */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, Notifier, OutgoingMessage, SendResult } from '../../ports';
import { toLocalIso } from '../../domain/calendar';

export interface OutboxEntry extends OutgoingMessage {
  id: string;
  at: string;
}

export class OutboxNotifier implements Notifier {
  private readonly entries: OutboxEntry[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) this.entries.push(JSON.parse(line));
    }
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const entry: OutboxEntry = { id: `sms-${this.entries.length + 1}`, at: toLocalIso(this.clock.now()), ...message };
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.print(`📱 SMS to ${message.to} (${message.recipientRole}, ${message.parts} part${message.parts > 1 ? 's' : ''}): ${message.text}`);
    return { messageId: entry.id };
  }

  /** Every message sent, newest last. */
  all(): OutboxEntry[] {
    return [...this.entries];
  }
}
