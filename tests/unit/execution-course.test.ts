/**
 * A case's lifecycle course on AWS (GetExecutionHistory through aws-sdk-client-mock): the states visited with
 * their times, paged histories, a missing execution; and the console link of an execution, by partition.
 */
import { ExecutionDoesNotExist, GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { COURSE_MAX_EVENTS, StepFunctionsWorkflow } from '../../shared/adapters/aws/sfn-workflow';
import { executionConsoleUrl } from '../../shared/http/console-links';

const STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:GridFlow-EventLifecycle';
const EXECUTION_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:execution:GridFlow-EventLifecycle:E20261009-7K3M9Q';
const EVENT_ID = 'E20261009-7K3M9Q';
const sfnMock = mockClient(SFNClient);
const workflow = () => new StepFunctionsWorkflow(new SFNClient({ region: 'cn-north-1' }), STATE_MACHINE_ARN);

beforeEach(() => sfnMock.reset());
afterAll(() => sfnMock.restore());

let id = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 9, 9, 2, minute));
const event = (type: string, minute: number, name?: string): HistoryEvent => ({
  id: ++id,
  type: type as HistoryEvent['type'],
  timestamp: at(minute),
  ...(name && type.endsWith('StateEntered') ? { stateEnteredEventDetails: { name } } : {}),
  ...(name && type.endsWith('StateExited') ? { stateExitedEventDetails: { name } } : {}),
});

test('the states an execution visited, each entered and left, in order; the state it waits in has no exit; it runs', async () => {
  // Asked newest first, as AWS answers `reverseOrder`.
  sfnMock.on(GetExecutionHistoryCommand).resolves({
    events: [
      event('ExecutionStarted', 0),
      event('TaskStateEntered', 0, 'Register'),
      event('TaskScheduled', 0),
      event('TaskSucceeded', 1),
      event('TaskStateExited', 1, 'Register'),
      event('ChoiceStateEntered', 1, 'What next?'),
      event('ChoiceStateExited', 1, 'What next?'),
      event('TaskStateEntered', 2, 'Handle'),
      event('TaskSubmitted', 2),
    ].reverse(),
  });
  expect(await workflow().course(EVENT_ID)).toEqual({
    name: EVENT_ID,
    arn: EXECUTION_ARN,
    status: 'running',
    startedAt: at(0).toISOString(),
    states: [
      { name: 'Register', type: 'Task', enteredAt: at(0).toISOString(), exitedAt: at(1).toISOString() },
      { name: 'What next?', type: 'Choice', enteredAt: at(1).toISOString(), exitedAt: at(1).toISOString() },
      { name: 'Handle', type: 'Task', enteredAt: at(2).toISOString() },
    ],
  });
  const [call] = sfnMock.commandCalls(GetExecutionHistoryCommand);
  expect(call?.args[0].input).toEqual({ executionArn: EXECUTION_ARN, maxResults: 1000, reverseOrder: true, includeExecutionData: false });
});

test('a later generation, a history over several pages, how it ended; a very long one keeps its latest events up to the cap, marked truncated', async () => {
  sfnMock
    .on(GetExecutionHistoryCommand, { nextToken: undefined })
    .resolves({ events: [event('ExecutionSucceeded', 4), event('PassStateExited', 3, 'Archive')], nextToken: 'page-2' })
    .on(GetExecutionHistoryCommand, { nextToken: 'page-2' })
    .resolves({ events: [event('PassStateEntered', 0, 'Archive'), event('ExecutionStarted', 0)] });
  const course = await workflow().course(EVENT_ID, 2);
  expect(course).toMatchObject({ name: `${EVENT_ID}-2`, arn: `${EXECUTION_ARN}-2`, status: 'succeeded', stoppedAt: at(4).toISOString() });
  expect(course?.states).toEqual([{ name: 'Archive', type: 'Pass', enteredAt: at(0).toISOString(), exitedAt: at(3).toISOString() }]);
  expect(course).not.toHaveProperty('truncated');

  sfnMock.reset();
  // A long history, newest first: its end (succeeded, the last state Archive) on the first page, its start past the cap.
  const newest = [event('ExecutionSucceeded', 59), event('PassStateEntered', 58, 'Archive')];
  const full = Array.from({ length: 1000 }, (_, index) => event('PassStateEntered', 0, `S${index}`));
  sfnMock
    .on(GetExecutionHistoryCommand, { nextToken: undefined })
    .resolves({ events: [...newest, ...full.slice(2)], nextToken: 'more' })
    .on(GetExecutionHistoryCommand, { nextToken: 'more' })
    .resolves({ events: full, nextToken: 'more' });
  const long = await workflow().course(EVENT_ID);
  expect(sfnMock.commandCalls(GetExecutionHistoryCommand)).toHaveLength(COURSE_MAX_EVENTS / 1000);
  expect(long).toMatchObject({ truncated: true, status: 'succeeded', stoppedAt: at(59).toISOString() });
  expect(long?.states).toHaveLength(COURSE_MAX_EVENTS - 1);
  expect(long?.states.at(-1)).toMatchObject({ name: 'Archive' });
});

test('an execution never started has no course; other errors are thrown', async () => {
  sfnMock.on(GetExecutionHistoryCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
  expect(await workflow().course(EVENT_ID)).toBeUndefined();
  sfnMock.reset();
  sfnMock.on(GetExecutionHistoryCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
  await expect(workflow().course(EVENT_ID)).rejects.toThrow('denied');
});

test("the console link of an execution: the partition's console host, the region, the ARN; none for anything else", () => {
  expect(executionConsoleUrl(EXECUTION_ARN)).toBe(
    `https://cn-north-1.console.amazonaws.cn/states/home?region=cn-north-1#/v2/executions/details/${encodeURIComponent(EXECUTION_ARN)}`,
  );
  const global = 'arn:aws:states:ap-southeast-1:123456789012:execution:GridFlow-EventLifecycle:E1';
  expect(executionConsoleUrl(global)).toBe(
    `https://ap-southeast-1.console.aws.amazon.com/states/home?region=ap-southeast-1#/v2/executions/details/${encodeURIComponent(global)}`,
  );
  expect(executionConsoleUrl('arn:aws-us-gov:states:us-gov-west-1:1:execution:M:E1')).toMatch(
    /^https:\/\/console\.amazonaws-us-gov\.com\//,
  );
  expect(executionConsoleUrl('arn:aws:sns:ap-southeast-1:1:topic')).toBeUndefined();
  expect(executionConsoleUrl('not an arn')).toBeUndefined();
});
