/**
 * The Step Functions service on the edge port, driven through the real SDK client (`SFNClient` pointed at
 * the local gateway with dummy credentials), over the local engine: AWS's name rules, task tokens and
 * error shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { stepFunctionsService } from '../../dev-server/edge/step-functions-service';
import { startGateway } from '../../dev-server/gateway';
import { newTaskToken } from '../../dev-server/step-functions/aws-errors';
import { lifecycleStateMachineArn, stateMachineArn } from '../../dev-server/step-functions/arns';
import { LocalWorkflowEngine } from '../../dev-server/step-functions/local-workflow-engine';
import type { AppDependencies } from '../../shared/http/api-handler';

const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const REGION = 'ap-southeast-1';
const ACCOUNT = '123456789012';

/** One waiting task; its answer, or its failure caught, ends the execution. */
const waitingMachine = {
  StartAt: 'Wait for the case',
  States: {
    'Wait for the case': {
      Type: 'Task',
      Resource: LAMBDA_INVOKE_WAIT,
      Parameters: { FunctionName: 'notify', Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.wake',
      Catch: [{ ErrorEquals: ['Case.Voided'], ResultPath: '$.failure', Next: 'Voided' }],
      End: true,
    },
    Voided: { Type: 'Pass', Result: 'voided', ResultPath: '$.ending', End: true },
  },
};

/** Tokens dispatched, by case id. */
const tokens = new Map<string, string[]>();
let policyNow = new Date('2026-12-01T09:00:00.000Z');
let engine: LocalWorkflowEngine;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let sfn: SFNClient;
const machineArn = stateMachineArn({ region: REGION, accountId: ACCOUNT }, 'Cases');

beforeAll(async () => {
  engine = new LocalWorkflowEngine({
    definition: waitingMachine,
    functions: {
      notify: async (payload: { caseId: string; taskToken: string }) => {
        tokens.set(payload.caseId, [...(tokens.get(payload.caseId) ?? []), payload.taskToken]);
        return {};
      },
    },
    clock: { now: () => policyNow },
  });
  const logger = { info() {}, warn() {}, error() {} };
  gateway = await startGateway({
    port: 0,
    deps: { logger } as unknown as AppDependencies,
    awsServices: [stepFunctionsService({ Cases: engine }, { region: REGION, accountId: ACCOUNT })],
  });
  sfn = new SFNClient({
    endpoint: gateway.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await gateway?.close();
  await engine?.stop();
});

/** The token the execution's task was dispatched with (its function runs as the execution starts). */
async function tokenOf(caseId: string, index = 0): Promise<string> {
  for (let attempt = 0; attempt < 200 && !tokens.get(caseId)?.[index]; attempt++) await new Promise((resolve) => setImmediate(resolve));
  const token = tokens.get(caseId)?.[index];
  if (!token) throw new Error(`No token dispatched for ${caseId}`);
  return token;
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode, message: failure.message };
  }
  throw new Error('Expected the call to be refused');
}

describe('StartExecution and DescribeExecution', () => {
  it('starts an execution, returns the running one for the same name and input, refuses another input', async () => {
    const input = JSON.stringify({ caseId: 'E1' });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E1', input }));
    expect(started.executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:Cases:E1`);
    expect(started.startDate).toEqual(policyNow);

    policyNow = new Date('2026-12-01T09:05:00.000Z');
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E1', input }));
    expect(again).toMatchObject({ executionArn: started.executionArn, startDate: started.startDate });
    expect(tokens.get('E1')).toHaveLength(1); // one execution, dispatched once

    const other = sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E1', input: '{"caseId":"other"}' }));
    expect(await rejection(other)).toMatchObject({ name: 'ExecutionAlreadyExists', status: 400 });

    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn: machineArn,
      name: 'E1',
      status: 'RUNNING',
      input,
      startDate: new Date('2026-12-01T09:00:00.000Z'),
    });
    expect(running.stopDate).toBeUndefined();
  });

  it('refuses the name of a closed execution, whatever its input', async () => {
    const input = JSON.stringify({ caseId: 'E2' });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E2', input }));
    policyNow = new Date('2026-12-02T10:00:00.000Z');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf('E2'), output: '{"answer":"done"}' }));
    await engine.result('E2');

    const closed = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(closed).toMatchObject({ status: 'SUCCEEDED', stopDate: policyNow });
    expect(JSON.parse(closed.output!)).toEqual({ caseId: 'E2', wake: { answer: 'done' } });

    const reused = sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E2', input }));
    expect(await rejection(reused)).toMatchObject({ name: 'ExecutionAlreadyExists', status: 400 });
  });

  it('answers for the lifecycle machine when given one engine', () => {
    const service = stepFunctionsService(engine, { region: REGION, accountId: ACCOUNT });
    expect(service.name).toBe('states');
    expect(lifecycleStateMachineArn({ region: REGION, accountId: ACCOUNT })).toBe(
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:GridFlow-EventLifecycle`,
    );
  });

  it('refuses unknown machines and executions, bad ARNs, names and inputs as AWS does', async () => {
    const refusals = await Promise.all([
      rejection(
        sfn.send(
          new StartExecutionCommand({ stateMachineArn: stateMachineArn({ region: REGION, accountId: ACCOUNT }, 'Nope'), name: 'x' }),
        ),
      ),
      rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn', name: 'x' }))),
      rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'has space' }))),
      rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E3', input: '{not json' }))),
      rejection(
        sfn.send(
          new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E4', input: JSON.stringify({ pad: 'x'.repeat(256 * 1024) }) }),
        ),
      ),
      rejection(sfn.send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Cases:never` }))),
    ]);
    expect(refusals.map(({ name, status }) => [name, status])).toEqual([
      ['StateMachineDoesNotExist', 400],
      ['InvalidArn', 400],
      ['InvalidName', 400],
      ['InvalidExecutionInput', 400],
      ['ValidationException', 400],
      ['ExecutionDoesNotExist', 400],
    ]);
  });

  it('replies with AWS’s error shape on the wire', async () => {
    const reply = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
      body: JSON.stringify({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Cases:never` }),
    });
    expect(reply.status).toBe(400);
    expect(await reply.json()).toEqual({ __type: 'ExecutionDoesNotExist', message: expect.stringContaining('never') });
  });
});

describe('SendTaskSuccess and SendTaskFailure', () => {
  it('fails the task with the error and cause given, which Catch sees', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E5', input: JSON.stringify({ caseId: 'E5' }) }),
    );
    await sfn.send(new SendTaskFailureCommand({ taskToken: await tokenOf('E5'), error: 'Case.Voided', cause: 'withdrawn' }));
    await engine.result('E5');
    const ended = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(ended.status).toBe('SUCCEEDED');
    expect(JSON.parse(ended.output!)).toEqual({ caseId: 'E5', failure: { Error: 'Case.Voided', Cause: 'withdrawn' }, ending: 'voided' });
  });

  it('names a used token TaskTimedOut, a stranger’s TaskDoesNotExist and garbage InvalidToken', async () => {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'E6', input: JSON.stringify({ caseId: 'E6' }) }));
    const token = await tokenOf('E6');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await engine.result('E6');

    const refusals = await Promise.all([
      rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))),
      rejection(sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Late' }))),
      rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: newTaskToken('no-such-execution'), output: '{}' }))),
      rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))),
      rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' }))),
    ]);
    expect(refusals.map(({ name, status }) => [name, status])).toEqual([
      ['TaskTimedOut', 400],
      ['TaskTimedOut', 400],
      ['TaskDoesNotExist', 400],
      ['InvalidToken', 400],
      ['InvalidOutput', 400],
    ]);
  });
});
