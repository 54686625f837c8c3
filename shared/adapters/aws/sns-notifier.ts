/**
 * SMS through Amazon SNS `Publish` to a phone number, transactional. Numbers in mainland China (+86)
 * need registered templates and a sender registration; the message is the template's rendered text.
 */
import { toE164 } from '../../domain/phones';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SmsThrottled } from '../../domain/errors';
import type { Notifier, OutgoingMessage, SendResult } from '../../ports/notifier';

export interface SmsSettings {
  smsType: 'Transactional' | 'Promotional';
  senderId?: string;
  /**
   * Tags each message with a `GridFlow.Record` attribute (its recipient's role, template, parameters and
   * case, as JSON) so that whoever keeps the messages can file them; SNS does not deliver attributes to
   * phones. Local mode's outbox files by it (SMS_RECORD_ATTRIBUTE=on).
   */
  record?: boolean;
}

export const RECORD_ATTRIBUTE = 'GridFlow.Record';

export class SnsSmsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly settings: SmsSettings,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const result = await this.publish(message);
    return { messageId: result.MessageId ?? '' };
  }

  private async publish(message: OutgoingMessage) {
    try {
      return await this.publishOnce(message);
    } catch (error) {
      // Still throttled after the SDK's own backoff: the sender tries again later instead of giving the SMS up.
      if ((error as Error).name === 'Throttling' || (error as Error).name === 'ThrottlingException') throw new SmsThrottled(error);
      throw error;
    }
  }

  private publishOnce(message: OutgoingMessage) {
    return this.client.send(
      new PublishCommand({
        PhoneNumber: toE164(message.to),
        Message: message.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: this.settings.smsType },
          ...(this.settings.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.settings.senderId } } : {}),
          ...(this.settings.record ? { [RECORD_ATTRIBUTE]: { DataType: 'String', StringValue: recordOf(message) } } : {}),
        },
      }),
    );
  }
}

function recordOf({ text: _text, ...record }: OutgoingMessage): string {
  return JSON.stringify(record);
}

export { toE164 };
