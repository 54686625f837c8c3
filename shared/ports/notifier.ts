/** SMS out (SNS in the cloud, the outbox on one machine). */
export interface OutgoingMessage {
  to: string;
  /** Whom the message is for, for the record: e.g. `reporter`, `assignee`, `head`. */
  recipientRole: string;
  template: string;
  params: Record<string, string>;
  /** The rendered zh-CN text (what is sent) and its English gloss (for the record). */
  text: string;
  textEn: string;
  eventId?: string;
  /** Every case a message covers when it covers several (a reminder digest); `eventId` is the first. */
  eventIds?: string[];
  /** SMS parts the text takes (70 characters per part for Chinese). */
  parts: number;
}

export interface SendResult {
  messageId: string;
}

export interface Notifier {
  send(message: OutgoingMessage): Promise<SendResult>;
}
