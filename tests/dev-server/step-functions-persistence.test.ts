/**
 * The engine's executions, history and definition versions in its DynamoDB Local table: they survive a
 * restart (a parked execution waits again on its token and its timer), a closed name stays refused, and an
 * execution runs the definition version it started with while new executions run the new one.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { DynamoDbExecutionStore } from '../../dev-server/step-functions/dynamodb-execution-store';
import { LocalWorkflowEngine, StepFunctionsError } from '../../dev-server/step-functions/local-workflow-engine';

const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Waits on a task, then ends in a Pass state that says which version ran. */
function versionedMachine(version: string) {
  return {
    StartAt: 'Await',
    States: {
      Await: {
        Type: 'Task',
        Resource: LAMBDA_INVOKE_WAIT,
        Parameters: { FunctionName: 'notify', Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
        TimeoutSecondsPath: '$.timeoutSeconds',
        ResultPath: '$.wake',
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Timed out' }],
        Next: 'Answered',
      },
      Answered: { Type: 'Pass', Result: `answered by ${version}`, ResultPath: '$.ending', End: true },
      'Timed out': { Type: 'Pass', Result: `timed out in ${version}`, ResultPath: '$.ending', End: true },
    },
  };
}

let dynamoDb: DynamoDbLocal;
let store: DynamoDbExecutionStore;
const tokens = new Map<string, string>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function engineRunning(version: string) {
  return new LocalWorkflowEngine({
    definition: versionedMachine(version),
    name: 'Cases',
    store,
    functions: {
      notify: async ({ caseId, taskToken }: { caseId: string; taskToken: string }) => {
        tokens.set(caseId, taskToken);
        return {};
      },
    },
  });
}

async function tokenOf(caseId: string): Promise<string> {
  for (let attempt = 0; attempt < 500 && !tokens.has(caseId); attempt++) await new Promise((resolve) => setTimeout(resolve, 5));
  return tokens.get(caseId)!;
}

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  store = await DynamoDbExecutionStore.open(dynamoDb.client, 'states-test');
}, 60_000);

afterAll(async () => {
  await dynamoDb?.stop();
});

describe('across a restart', () => {
  it('keeps executions and their history, re-arms tokens and timers, and runs each on its own version', async () => {
    const before = engineRunning('v1');
    await before.startExecution('X', JSON.stringify({ caseId: 'X', timeoutSeconds: 3600 }));
    await before.startExecution('T', JSON.stringify({ caseId: 'T', timeoutSeconds: 2 }));
    const tokenX = await tokenOf('X');
    await tokenOf('T');
    await before.stop();

    // The same machine with a changed definition: a new version; X and T keep version 1.
    const after = engineRunning('v2');
    try {
      expect(await after.open()).toBe(2);
      expect(after.runningExecutions().sort()).toEqual(['T', 'X']);
      expect(await after.describe('X')).toMatchObject({ status: 'RUNNING', version: 1 });
      expect((await after.describeStateMachine()).version).toBe(2);

      await after.sendTaskSuccess(tokenX, { ok: true });
      expect(await after.result('X')).toMatchObject({ status: 'SUCCEEDED', output: { ending: 'answered by v1' } });
      // T's timer was armed again: its task times out into its Catch.
      expect(await after.result('T')).toMatchObject({ status: 'SUCCEEDED', output: { ending: 'timed out in v1' } });

      await after.startExecution('Y', JSON.stringify({ caseId: 'Y', timeoutSeconds: 3600 }));
      await after.sendTaskSuccess(await tokenOf('Y'), {});
      expect(await after.result('Y')).toMatchObject({ output: { ending: 'answered by v2' } });
      expect(await after.describe('Y')).toMatchObject({ version: 2 });

      const history = (await after.history('X'))!;
      expect(history.map((event) => event.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ]);
      expect(history.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await after.history('T'))!.map((event) => event.type)).toContain('TaskTimedOut');
    } finally {
      await after.stop();
    }

    // A closed name stays taken, whoever asks, after another restart too.
    const later = engineRunning('v2');
    try {
      expect(await later.open()).toBe(0);
      const again = later.startExecution('X', JSON.stringify({ caseId: 'X', timeoutSeconds: 3600 }));
      await expect(again).rejects.toBeInstanceOf(StepFunctionsError);
      await expect(again).rejects.toMatchObject({ awsError: 'ExecutionAlreadyExists' });
      expect((await later.describeStateMachine()).version).toBe(2); // the same definition: no new version
      const { executions } = await later.listExecutions({ limit: 10 });
      expect(executions.map((execution) => [execution.name, execution.status])).toEqual([
        ['Y', 'SUCCEEDED'],
        ['T', 'SUCCEEDED'],
        ['X', 'SUCCEEDED'],
      ]);
    } finally {
      await later.stop();
    }
  });
});
