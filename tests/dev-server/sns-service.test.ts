/**
 * SNS on the edge port: the SDK v3 SNSClient and the cloud's SnsSmsNotifier publish SMS to the local gateway,
 * which files them in the outbox; failure injection and throttling answer as SNS does.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SnsSmsNotifier } from '../../shared/adapters/aws/sns-notifier';
import type { AppDependencies } from '../../shared/http/api-handler';
import type { OutgoingMessage } from '../../shared/ports/notifier';
import { startGateway } from '../../dev-server/gateway';
import { OutboxNotifier } from '../../dev-server/adapters/outbox-notifier';
import { snsService } from '../../dev-server/edge/sns-service';

const clock = { now: () => new Date('2026-11-24T01:00:00Z'), scale: 1 };
const silent = { info: () => {}, warn: () => {}, error: () => {} };
let outbox: OutboxNotifier;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let wallMs = 0;
let draw = 0.5;

beforeAll(async () => {
  outbox = new OutboxNotifier(clock, undefined, () => {});
  const env = {
    GRIDFLOW_SMS_FAIL_RATE: '0.25',
    GRIDFLOW_SMS_FAIL_NUMBERS: '13000000666, +8613000000777',
    GRIDFLOW_SMS_MAX_PER_SECOND: '5',
  };
  gateway = await startGateway({
    port: 0,
    deps: { logger: silent } as unknown as AppDependencies,
    awsServices: [snsService({ outbox, env, random: () => draw, now: () => wallMs })],
  });
});

afterAll(async () => {
  await gateway?.close();
});

/** A fresh second of wall-clock time (the throughput limit refills), unless a test spends it. */
const nextSecond = () => (wallMs += 1000);

const client = () =>
  new SNSClient({
    endpoint: gateway.url,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

const message: OutgoingMessage = {
  to: '13000001001',
  recipientRole: 'reporter',
  template: 'feedback_to_reporter',
  params: { id: 'E20261124-ABCDEF' },
  text: '【网格通】您反映的问题已办结 <&>',
  textEn: 'Your report was resolved',
  eventId: 'E20261124-ABCDEF',
  parts: 1,
};

test('the SDK publishes an SMS with its attributes; it lands in the outbox and the reply carries its id', async () => {
  nextSecond();
  const reply = await client().send(
    new PublishCommand({
      PhoneNumber: '+8613000002002',
      Message: '测试 & <test>',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'GridFlow' },
      },
    }),
  );
  const entry = outbox.all().at(-1)!;
  expect(reply.MessageId).toBe(entry.id);
  expect(reply.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(entry).toMatchObject({ to: '+8613000002002', text: '测试 & <test>', parts: 1 });
});

test("the cloud's SnsSmsNotifier sends through it, and its record files the message under its case", async () => {
  nextSecond();
  const notifier = new SnsSmsNotifier(client(), { smsType: 'Transactional', senderId: 'GridFlow', record: true });
  const { messageId } = await notifier.send(message);
  expect(outbox.all().at(-1)).toEqual({ ...message, id: messageId, at: expect.any(String) });
});

test('without the record the outbox keeps what SNS knows', async () => {
  nextSecond();
  await new SnsSmsNotifier(client(), { smsType: 'Transactional' }).send(message);
  expect(outbox.all().at(-1)).toMatchObject({ to: '+8613000001001', text: message.text, template: '', parts: 1 });
});

test('numbers in GRIDFLOW_SMS_FAIL_NUMBERS always fail, typed or in E.164', async () => {
  nextSecond();
  const before = outbox.all().length;
  for (const to of ['13000000666', '13000000777']) {
    await expect(new SnsSmsNotifier(client(), { smsType: 'Transactional' }).send({ ...message, to })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  }
  expect(outbox.all()).toHaveLength(before);
});

test('GRIDFLOW_SMS_FAIL_RATE fails that share of publishes as a passing fault of SNS', async () => {
  nextSecond();
  draw = 0.2;
  try {
    await expect(client().send(new PublishCommand({ PhoneNumber: '+8613000001001', Message: 'x' }))).rejects.toMatchObject({
      name: 'InternalErrorException',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
  } finally {
    draw = 0.5;
  }
  await expect(client().send(new PublishCommand({ PhoneNumber: '+8613000001001', Message: 'x' }))).resolves.toHaveProperty('MessageId');
});

test('above the rate limit Publish answers Throttling, until the next second', async () => {
  nextSecond();
  const publish = () => client().send(new PublishCommand({ PhoneNumber: '+8613000001001', Message: 'flood' }));
  for (let index = 0; index < 5; index++) await publish();
  await expect(publish()).rejects.toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
  wallMs += 200; // one more token
  await expect(publish()).resolves.toHaveProperty('MessageId');
  await expect(publish()).rejects.toMatchObject({ name: 'Throttling' });
});

test('invalid requests get SNS error documents', async () => {
  nextSecond();
  await expect(client().send(new PublishCommand({ PhoneNumber: '13000001001', Message: 'x' }))).rejects.toMatchObject({
    name: 'InvalidParameterException',
  });
  await expect(
    client().send(new PublishCommand({ TopicArn: 'arn:aws:sns:ap-east-1:000000000000:topic', Message: 'x' })),
  ).rejects.toMatchObject({
    name: 'InvalidParameterException',
  });
  const raw = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=CreateTopic&Version=2010-03-31&Name=x',
  });
  expect(raw.status).toBe(400);
  expect(await raw.text()).toMatch(
    /^<\?xml version="1.0"\?>\n<ErrorResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
  );
});
