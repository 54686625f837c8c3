/**
 * The rest of the Step Functions service on the edge port, through `SFNClient`: history with AWS's event
 * types, listing, stopping, heartbeats, the state machines — and AWS's limits: 25,000 history events,
 * 256 KiB of state output, one year of policy time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { stepFunctionsService } from '../../dev-server/edge/step-functions-service';
import { startGateway } from '../../dev-server/gateway';
import { stateMachineArn } from '../../dev-server/step-functions/arns';
import { LocalWorkflowEngine, type LocalWorkflowEngineOptions } from '../../dev-server/step-functions/local-workflow-engine';
import type { AppDependencies } from '../../shared/http/api-handler';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const location = { region: 'ap-southeast-1', accountId: '123456789012' };
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Score (a Lambda task), Route? (a Choice), a waiting task, then Done. */
const caseMachine = {
  StartAt: 'Score',
  States: {
    Score: {
      Type: 'Task',
      Resource: LAMBDA_INVOKE,
      Parameters: { FunctionName: 'score', Payload: { 'caseId.$': '$.caseId' } },
      TimeoutSeconds: 60,
      ResultSelector: { 'score.$': '$.Payload.score' },
      ResultPath: '$.scored',
      Next: 'Route?',
    },
    'Route?': { Type: 'Choice', Choices: [{ Variable: '$.scored.score', NumericGreaterThan: 100, Next: 'Done' }], Default: 'Await' },
    Await: {
      Type: 'Task',
      Resource: LAMBDA_INVOKE_WAIT,
      Parameters: { FunctionName: 'notify', Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.wake',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

/** Loops on two Pass states and a Choice until the history is full. */
const loopMachine = {
  StartAt: 'Count',
  States: {
    Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again?' },
    'Again?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 1_000_000, Next: 'Count' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

/** A task whose result is bigger than a state may pass on. */
const bigMachine = {
  StartAt: 'Fetch',
  States: {
    Fetch: { Type: 'Task', Resource: LAMBDA_INVOKE, Parameters: { FunctionName: 'big', Payload: {} }, TimeoutSeconds: 60, End: true },
  },
};

const tokens = new Map<string, string>();
/** Every lambda:InvokeFunction the engines made, as their onInvoke hook reported it. */
const invoked: { functionName: string; caseId?: string }[] = [];
const engines: LocalWorkflowEngine[] = [];
let gateway: Awaited<ReturnType<typeof startGateway>>;
let sfn: SFNClient;

/** Policy time for the one-year machine: a year passes in about a quarter of a second of wall time. */
const fastStart = Date.now();
const fastClock = { scale: YEAR_MS / 250, now: () => new Date(Date.UTC(2026, 11, 1) + (Date.now() - fastStart) * (YEAR_MS / 250)) };

function engine(options: Omit<LocalWorkflowEngineOptions, 'functions'> & Partial<Pick<LocalWorkflowEngineOptions, 'functions'>>) {
  const created = new LocalWorkflowEngine({
    functions: {
      score: async ({ caseId }: { caseId: string }) => ({ score: caseId === 'high' ? 200 : 10 }),
      notify: async ({ caseId, taskToken }: { caseId: string; taskToken: string }) => {
        tokens.set(caseId, taskToken);
        return { sent: true };
      },
      big: async () => 'x'.repeat(300 * 1024),
    },
    onInvoke: (functionName, payload) => invoked.push({ functionName, caseId: (payload as { caseId?: string }).caseId }),
    ...options,
  });
  engines.push(created);
  return created;
}

const arn = (name: string) => stateMachineArn(location, name);

beforeAll(async () => {
  const machines = {
    Cases: engine({ definition: caseMachine, name: 'Cases' }),
    Loop: engine({ definition: loopMachine, name: 'Loop' }),
    Big: engine({ definition: bigMachine, name: 'Big' }),
    Year: engine({ definition: caseMachine, name: 'Year', clock: fastClock }),
  };
  gateway = await startGateway({
    port: 0,
    deps: { logger: { info() {}, warn() {}, error() {} } } as unknown as AppDependencies,
    awsServices: [stepFunctionsService(machines, location)],
  });
  sfn = new SFNClient({
    endpoint: gateway.url,
    region: location.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await gateway?.close();
  await Promise.all(engines.map((created) => created.stop()));
});

async function tokenOf(caseId: string): Promise<string> {
  for (let attempt = 0; attempt < 500 && !tokens.has(caseId); attempt++) await new Promise((resolve) => setTimeout(resolve, 2));
  return tokens.get(caseId)!;
}

async function start(machine: string, name: string, input: object) {
  return sfn.send(new StartExecutionCommand({ stateMachineArn: arn(machine), name, input: JSON.stringify(input) }));
}

async function settled(executionArn: string) {
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function history(executionArn: string, options: { reverseOrder?: boolean } = {}): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken, ...options }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe('GetExecutionHistory', () => {
  it('lists AWS’s event types: five for a Lambda task, six for a waiting one, two for a Choice', async () => {
    const { executionArn } = await start('Cases', 'C1', { caseId: 'C1' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf('C1'), output: '{"done":true}' }));
    expect((await settled(executionArn!)).status).toBe('SUCCEEDED');

    const events = await history(executionArn!);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(events.map((_, index) => [index + 1, index]));
    expect(events[0].executionStartedEventDetails?.input).toBe('{"caseId":"C1"}');
    expect(events[1].stateEnteredEventDetails?.name).toBe('Score');
    expect(events[9].taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      timeoutInSeconds: 3600,
    });
    expect(JSON.parse(events[9].taskScheduledEventDetails!.parameters!)).toMatchObject({ FunctionName: 'notify' });
    expect(events[12].taskSucceededEventDetails?.output).toBe('{"done":true}');
    expect(events[0].timestamp).toBeInstanceOf(Date);

    // The permission check's record: each Lambda invocation, by function name.
    expect(invoked.filter(({ caseId }) => caseId === 'C1').map(({ functionName }) => functionName)).toEqual(['score', 'notify']);

    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }));
    expect(reversed.events!.map((event) => event.type)).toEqual(['ExecutionSucceeded', 'SucceedStateExited']);
    expect(reversed.nextToken).toBeDefined();
    const withoutData = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1 }));
    expect(withoutData.events![0].executionStartedEventDetails?.input).toBeUndefined();
  });

  it('fails an execution whose history would pass 25,000 events, with the failure as event 25,000', async () => {
    const { executionArn } = await start('Loop', 'L1', { n: 0 });
    const ended = await settled(executionArn!);
    expect(ended).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(ended.cause).toContain('25000');
    const events = await history(executionArn!);
    expect(events).toHaveLength(25_000);
    expect(events.at(-1)).toMatchObject({ id: 25_000, type: 'ExecutionFailed' });
  }, 120_000);
});

describe('AWS’s other limits', () => {
  it('fails a state whose output passes 256 KiB with States.DataLimitExceeded', async () => {
    const { executionArn } = await start('Big', 'B1', {});
    expect(await settled(executionArn!)).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('ends an execution TIMED_OUT after one year of policy time', async () => {
    const { executionArn, startDate } = await start('Year', 'Y1', { caseId: 'Y1' });
    const ended = await settled(executionArn!);
    expect(ended).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(ended.stopDate!.getTime() - startDate!.getTime()).toBeGreaterThanOrEqual(YEAR_MS);
    expect((await history(executionArn!)).at(-1)?.type).toBe('ExecutionTimedOut');
    const late = sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf('Y1'), output: '{}' }));
    await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});

describe('ListExecutions, StopExecution, SendTaskHeartbeat', () => {
  it('lists newest first, by status, a page at a time; stops a waiting execution ABORTED', async () => {
    const first = await start('Cases', 'C2', { caseId: 'C2' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await start('Cases', 'C3', { caseId: 'C3' });
    const token = await tokenOf('C2');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));

    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn('Cases'), statusFilter: 'RUNNING' }));
    expect(running.executions!.map((execution) => execution.name)).toEqual(['C3', 'C2']);
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn('Cases'), maxResults: 1 }));
    expect(page.executions!.map((execution) => execution.executionArn)).toEqual([second.executionArn]);
    const rest = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn('Cases'), maxResults: 10, nextToken: page.nextToken }));
    expect(rest.executions!.map((execution) => execution.name)).toEqual(['C2', 'C1']);

    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn: first.executionArn, error: 'Operator.Stop', cause: 'test' }),
    );
    expect(stopDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Operator.Stop',
      cause: 'test',
    });
    expect((await history(first.executionArn!)).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator.Stop' },
    });
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn('Cases'), statusFilter: 'ABORTED' }));
    expect(aborted.executions!.map((execution) => execution.name)).toEqual(['C2']);
  });
});

describe('DescribeStateMachine and ListStateMachines', () => {
  it('describes each machine with its definition, and lists them all', async () => {
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn('Loop') }));
    expect(described).toMatchObject({ name: 'Loop', status: 'ACTIVE', type: 'STANDARD', stateMachineArn: arn('Loop') });
    expect(JSON.parse(described.definition!)).toEqual(loopMachine);
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines!.map((machine) => machine.name).sort()).toEqual(['Big', 'Cases', 'Loop', 'Year']);
  });
});
