import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { StepFunctionsWorkflow } from '../../shared/adapters/aws/sfn-workflow';
import { executionInput, executionName } from '../../shared/domain/lifecycle';
import { SnsSmsNotifier, toE164 } from '../../shared/adapters/aws/sns-notifier';
import { SmsThrottled } from '../../shared/domain/errors';
import type { OutgoingMessage } from '../../shared/ports/notifier';

const STATE_MACHINE_ARN = 'arn:aws:states:cn-north-1:123456789012:stateMachine:gridflow-event-lifecycle';
const EVENT_ID = 'E20261009-7K3M9Q';

const sfnMock = mockClient(SFNClient);
const snsMock = mockClient(SNSClient);

beforeEach(() => {
  sfnMock.reset();
  snsMock.reset();
});

afterAll(() => {
  sfnMock.restore();
  snsMock.restore();
});

const sdkError = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('StepFunctionsWorkflow.start', () => {
  const workflow = () => new StepFunctionsWorkflow(new SFNClient({ region: 'cn-north-1' }), STATE_MACHINE_ARN);

  /** The state machine starts at Register with a first decision and no rounds counted. */
  const FIRST_INPUT = {
    eventId: EVENT_ID,
    decision: { next: 'register', timeoutSeconds: 1, loops: 0, version: 0 },
    recovery: { count: 0, waitSeconds: 300 },
  };

  it('starts one execution named by the event id, with input {eventId, decision: register, 0 loops}', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    await workflow().start(EVENT_ID);
    const calls = sfnMock.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: EVENT_ID,
      input: JSON.stringify(FIRST_INPUT),
    });
    expect(JSON.parse(calls[0]!.args[0].input.input!)).toEqual(FIRST_INPUT);
    expect(JSON.parse(calls[0]!.args[0].input.input!)).toEqual(executionInput(EVENT_ID));
  });

  it('names a continued execution <id>-<generation>, starting again at Register with 0 loops', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    await workflow().start(EVENT_ID, 1);
    await workflow().start(EVENT_ID, 2);
    await workflow().start(EVENT_ID, 3);
    const calls = sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.name)).toEqual([EVENT_ID, `${EVENT_ID}-2`, `${EVENT_ID}-3`]);
    for (const input of calls) expect(JSON.parse(input.input!)).toEqual(FIRST_INPUT);
    expect(executionName(EVENT_ID)).toBe(EVENT_ID);
    expect(executionName(EVENT_ID, 2)).toBe(`${EVENT_ID}-2`);
  });

  it("answers 'started' for a new (or the same running) execution, and puts the recovery wait it is given in the input", async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    await expect(new StepFunctionsWorkflow(new SFNClient({ region: 'cn-north-1' }), STATE_MACHINE_ARN, 5).start(EVENT_ID)).resolves.toBe(
      'started',
    );
    expect(JSON.parse(sfnMock.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual(executionInput(EVENT_ID, 5));
  });

  it("answers 'exists' for ExecutionAlreadyExists (a closed execution's name): nothing was started", async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution already exists', $metadata: {} }));
    await expect(workflow().start(EVENT_ID)).resolves.toBe('exists');
  });

  it('recognises the error by name, whatever its class', async () => {
    sfnMock.on(StartExecutionCommand).rejects(sdkError('ExecutionAlreadyExists'));
    await expect(workflow().start(EVENT_ID)).resolves.toBe('exists');
  });

  it.each(['ExecutionLimitExceeded', 'StateMachineDoesNotExist', 'ThrottlingException', 'AccessDeniedException'])(
    'propagates %s',
    async (name) => {
      sfnMock.on(StartExecutionCommand).rejects(sdkError(name));
      await expect(workflow().start(EVENT_ID)).rejects.toMatchObject({ name });
    },
  );
});

describe('StepFunctionsWorkflow.status', () => {
  const workflow = () => new StepFunctionsWorkflow(new SFNClient({ region: 'cn-north-1' }), STATE_MACHINE_ARN);

  it.each([
    ['RUNNING', 'running'],
    ['SUCCEEDED', 'closed'],
    ['FAILED', 'closed'],
    ['TIMED_OUT', 'closed'],
    ['ABORTED', 'closed'],
  ] as const)('describes the execution of that generation by its ARN: %s is %s', async (status, expected) => {
    sfnMock.on(DescribeExecutionCommand).resolves({ status });
    await expect(workflow().status(EVENT_ID, 2)).resolves.toBe(expected);
    expect(sfnMock.commandCalls(DescribeExecutionCommand)[0]!.args[0].input).toEqual({
      executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${EVENT_ID}-2`,
    });
  });

  it("answers 'none' for ExecutionDoesNotExist, and propagates anything else", async () => {
    sfnMock.on(DescribeExecutionCommand).rejects(sdkError('ExecutionDoesNotExist'));
    await expect(workflow().status(EVENT_ID)).resolves.toBe('none');
    sfnMock.on(DescribeExecutionCommand).rejects(sdkError('ThrottlingException'));
    await expect(workflow().status(EVENT_ID)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('StepFunctionsWorkflow.sendTaskSuccess', () => {
  const workflow = () => new StepFunctionsWorkflow(new SFNClient({ region: 'cn-north-1' }), STATE_MACHINE_ARN);

  it('sends the token and the JSON-encoded output, and returns true', async () => {
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    const output = { action: 'complete', by: '欧阳玲巧', photos: ['https://p.example/after.jpg'] };
    await expect(workflow().sendTaskSuccess('token-123', output)).resolves.toBe(true);
    const calls = sfnMock.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ taskToken: 'token-123', output: JSON.stringify(output) });
    expect(JSON.parse(calls[0]!.args[0].input.output!)).toEqual(output);
  });

  it.each([
    ['TaskTimedOut', () => new TaskTimedOut({ message: 'timed out', $metadata: {} })],
    ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: 'no such task', $metadata: {} })],
    ['InvalidToken', () => new InvalidToken({ message: 'bad token', $metadata: {} })],
  ])('returns false for %s (the wait is over)', async (_name, error) => {
    sfnMock.on(SendTaskSuccessCommand).rejects(error());
    await expect(workflow().sendTaskSuccess('stale-token', {})).resolves.toBe(false);
  });

  it.each(['ThrottlingException', 'InvalidOutput', 'ServiceUnavailable'])('propagates %s', async (name) => {
    sfnMock.on(SendTaskSuccessCommand).rejects(sdkError(name));
    await expect(workflow().sendTaskSuccess('token-123', {})).rejects.toMatchObject({ name });
  });
});

describe('SnsSmsNotifier', () => {
  const message: OutgoingMessage = {
    to: '13000001001',
    recipientRole: 'assignee',
    template: 'case_assigned',
    params: { eventId: EVENT_ID },
    text: '【网格通】新案件E20261009-7K3M9Q：排水口或下水道堵塞，金源社区第1网格，请于10月10日16:00前办结。',
    textEn: 'GridFlow: new case …',
    eventId: EVENT_ID,
    parts: 1,
  };
  const client = () => new SNSClient({ region: 'cn-north-1' });

  it('publishes the text to the +86 number as a transactional SMS and returns the message id', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-1' });
    const notifier = new SnsSmsNotifier(client(), { smsType: 'Transactional' });
    await expect(notifier.send(message)).resolves.toEqual({ messageId: 'msg-1' });
    const calls = snsMock.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613000001001',
      Message: message.text,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('adds the sender id only when one is set', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-2' });
    await new SnsSmsNotifier(client(), { smsType: 'Transactional', senderId: 'GridFlow' }).send(message);
    expect(snsMock.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'GridFlow' },
    });
  });

  it('passes the configured SMS type', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-3' });
    await new SnsSmsNotifier(client(), { smsType: 'Promotional' }).send(message);
    expect(snsMock.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes?.['AWS.SNS.SMS.SMSType']?.StringValue).toBe(
      'Promotional',
    );
  });

  it("a publish still throttled after the SDK's retries is SmsThrottled (sent later); other refusals are passed on", async () => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const notifier = new SnsSmsNotifier(new SNSClient({ region: 'cn-north-1', maxAttempts: 1 }), { smsType: 'Transactional' });
    await expect(notifier.send(message)).rejects.toBeInstanceOf(SmsThrottled);
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameterException' }));
    await expect(notifier.send(message)).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('returns an empty message id when SNS gives none', async () => {
    snsMock.on(PublishCommand).resolves({});
    await expect(new SnsSmsNotifier(client(), { smsType: 'Transactional' }).send(message)).resolves.toEqual({ messageId: '' });
  });

  it('propagates a failed publish', async () => {
    snsMock.on(PublishCommand).rejects(sdkError('InvalidParameterException'));
    await expect(new SnsSmsNotifier(client(), { smsType: 'Transactional' }).send(message)).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('toE164', () => {
  it('prefixes an 11-digit mainland mobile number with +86', () => {
    expect(toE164('13000001001')).toBe('+8613000001001');
  });

  it('drops spaces and dashes', () => {
    expect(toE164('130 0000 1001')).toBe('+8613000001001');
    expect(toE164('130-0000-1001')).toBe('+8613000001001');
  });

  it('keeps a number already in E.164', () => {
    expect(toE164('+8613000001001')).toBe('+8613000001001');
    expect(toE164('+85291234567')).toBe('+85291234567');
  });

  it('adds only the plus to a number that already carries its country code', () => {
    expect(toE164('8613000001001')).toBe('+8613000001001');
  });
});
