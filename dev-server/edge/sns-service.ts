/**
 * Amazon SNS on the edge port, as far as GridFlow uses it: `Publish` to a phone number (SMS) over the query
 * protocol (a form-encoded POST, `Action=Publish`, `Version=2010-03-31`), answered in SNS's XML — what the
 * SDK v3 `SNSClient` and the `aws` CLI parse. Each SMS lands in the outbox instead of a phone.
 *
 * Failure injection, from the platform's environment:
 * - `GRIDFLOW_SMS_FAIL_RATE` (0–1): that share of publishes fail with `InternalError` (500, as a passing
 *   fault of SNS's; the SDK retries it like any 5xx);
 * - `GRIDFLOW_SMS_FAIL_NUMBERS` (comma list, typed or E.164): publishes to these always fail with
 *   `InvalidParameter` (400, not retried by the SDK);
 * - `GRIDFLOW_SMS_MAX_PER_SECOND` (default 20, SNS's default SMS quota per account; 0 turns it off): above
 *   that rate `Publish` answers `Throttling` (400; the SDK backs off and retries).
 *
 * Local records: a message the cloud notifier tagged with `GridFlow.Record` (its recipient, template and
 * case, see shared/adapters/aws/sns-notifier.ts) is filed with those; others with what SNS itself knows.
 */
import { randomUUID } from 'node:crypto';
import { RECORD_ATTRIBUTE, toE164 } from '../../shared/adapters/aws/sns-notifier';
import { smsParts } from '../../shared/domain/messages';
import type { OutgoingMessage } from '../../shared/ports/notifier';
import type { AwsService, EdgeReply, EdgeRequest } from './aws-service';

export const SNS_VERSION = '2010-03-31';
const XMLNS = `http://sns.amazonaws.com/doc/${SNS_VERSION}/`;
/** SNS's default SMS throughput per account. */
export const DEFAULT_SMS_PER_SECOND = 20;
/** SNS's limit on a message (text plus attributes). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** Where a published SMS goes (the outbox). */
export interface SmsSink {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

export interface SnsServiceOptions {
  outbox: SmsSink;
  /** The platform's environment: failure injection and the throughput limit. */
  env?: NodeJS.ProcessEnv;
  /** A number in [0, 1) per publish (tests fix it). */
  random?: () => number;
  /** Wall-clock milliseconds, for the throughput limit (tests drive it). */
  now?: () => number;
}

export function snsService(options: SnsServiceOptions): AwsService {
  const settings = smsFaults(options.env ?? {});
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const bucket = new TokenBucket(settings.maxPerSecond, now);

  async function publish(params: URLSearchParams, requestId: string): Promise<EdgeReply> {
    const phone = params.get('PhoneNumber');
    const text = params.get('Message');
    if (params.get('TopicArn') || params.get('TargetArn'))
      return snsError(400, 'InvalidParameter', 'Invalid parameter: only PhoneNumber is served locally', requestId);
    if (!phone)
      return snsError(
        400,
        'InvalidParameter',
        'Invalid parameter: PhoneNumber or TopicArn or TargetArn Reason: no value for required parameter',
        requestId,
      );
    if (!text) return snsError(400, 'InvalidParameter', 'Invalid parameter: Message Reason: Empty message', requestId);
    if (!/^\+[1-9]\d{1,14}$/.test(phone))
      return snsError(400, 'InvalidParameter', `Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to`, requestId);
    const attributes = messageAttributes(params);
    const reserved = Object.keys(attributes).find((name) => name.startsWith('AWS.') && !SMS_ATTRIBUTES.has(name));
    if (reserved)
      return snsError(400, 'InvalidParameter', `Invalid parameter: MessageAttributes Reason: ${reserved} is reserved`, requestId);
    const smsType = attributes['AWS.SNS.SMS.SMSType'];
    if (smsType !== undefined && smsType !== 'Transactional' && smsType !== 'Promotional')
      return snsError(400, 'InvalidParameter', `Invalid parameter: MessageAttributes Reason: SMSType ${smsType} is not valid`, requestId);
    const size =
      Buffer.byteLength(text) + Object.entries(attributes).reduce((sum, [name, value]) => sum + name.length + Buffer.byteLength(value), 0);
    if (size > MAX_MESSAGE_BYTES) return snsError(400, 'InvalidParameter', 'Invalid parameter: Message too long', requestId);

    if (!bucket.take()) return snsError(400, 'Throttling', 'Rate exceeded', requestId);
    if (settings.failNumbers.has(phone))
      return snsError(
        400,
        'InvalidParameter',
        `Invalid parameter: PhoneNumber Reason: ${phone} cannot receive SMS (GRIDFLOW_SMS_FAIL_NUMBERS)`,
        requestId,
      );
    if (settings.failRate > 0 && random() < settings.failRate)
      return snsError(500, 'InternalError', 'Internal error (GRIDFLOW_SMS_FAIL_RATE)', requestId, 'Receiver');

    const { messageId } = await options.outbox.send(outboxEntry(phone, text, attributes[RECORD_ATTRIBUTE]));
    return xmlReply(
      200,
      `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${escapeXml(messageId)}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      requestId,
    );
  }

  return {
    name: 'sns',
    accepts: (request) => isForm(request) && formOf(request).get('Version') === SNS_VERSION,
    async handle(request) {
      const params = formOf(request);
      const requestId = randomUUID();
      const action = params.get('Action');
      if (action === 'Publish') return publish(params, requestId);
      return snsError(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint.`, requestId);
    },
  };
}

const SMS_ATTRIBUTES = new Set(['AWS.SNS.SMS.SMSType', 'AWS.SNS.SMS.SenderID', 'AWS.SNS.SMS.MaxPrice', 'AWS.MM.SMS.OriginationNumber']);

export interface SmsFaults {
  failRate: number;
  /** In E.164. */
  failNumbers: Set<string>;
  maxPerSecond: number;
}

export function smsFaults(env: NodeJS.ProcessEnv): SmsFaults {
  const rate = Number(env.GRIDFLOW_SMS_FAIL_RATE || 0);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`GRIDFLOW_SMS_FAIL_RATE must be between 0 and 1, not "${env.GRIDFLOW_SMS_FAIL_RATE}"`);
  const max = Number(env.GRIDFLOW_SMS_MAX_PER_SECOND || DEFAULT_SMS_PER_SECOND);
  if (!(max >= 0)) throw new Error(`GRIDFLOW_SMS_MAX_PER_SECOND must be a non-negative number, not "${env.GRIDFLOW_SMS_MAX_PER_SECOND}"`);
  const numbers = (env.GRIDFLOW_SMS_FAIL_NUMBERS ?? '')
    .split(',')
    .map((number) => number.trim())
    .filter(Boolean)
    .map(toE164);
  return { failRate: rate, failNumbers: new Set(numbers), maxPerSecond: env.GRIDFLOW_SMS_MAX_PER_SECOND === '0' ? 0 : max };
}

/** At most `perSecond` publishes in any second (a bucket of one second's worth); 0 is no limit. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = perSecond;
    this.last = now();
  }

  take(): boolean {
    if (this.perSecond === 0) return true;
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The record of a message: the notifier's own when it tagged one, else what SNS knows. */
function outboxEntry(phone: string, text: string, record: string | undefined): OutgoingMessage {
  const known = { to: phone, recipientRole: '', template: '', params: {}, text, textEn: '', parts: smsParts(text) };
  if (!record) return known;
  try {
    return { ...known, ...(JSON.parse(record) as Partial<OutgoingMessage>), text };
  } catch {
    return known;
  }
}

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue` (or `.Value.BinaryValue`), by name. */
function messageAttributes(params: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, name] of params) {
    const match = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key);
    if (!match) continue;
    const prefix = `MessageAttributes.entry.${match[1]}.Value`;
    attributes[name] = params.get(`${prefix}.StringValue`) ?? params.get(`${prefix}.BinaryValue`) ?? '';
  }
  return attributes;
}

function isForm(request: EdgeRequest): boolean {
  return /^application\/x-www-form-urlencoded/.test(request.headers['content-type'] ?? '');
}

function formOf(request: EdgeRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString('utf8'));
}

function xmlReply(status: number, body: string, requestId: string): EdgeReply {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: `<?xml version="1.0"?>\n${body}` };
}

/** SNS's error document, as the SDK reads it (`Code` names the exception). */
export function snsError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): EdgeReply {
  return xmlReply(
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    requestId,
  );
}

function escapeXml(text: string): string {
  const entities: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
  return text.replace(/[<>&'"]/g, (char) => entities[char] ?? char);
}
