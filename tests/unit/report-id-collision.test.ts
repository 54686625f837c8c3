/**
 * Two reports of a day can draw the same random id (six characters: about one day in twenty at 10,000
 * reports a day). The report's transaction then fails on the event's condition, and the report is
 * stored under a fresh id instead of failing: the store adapter (against a mocked client) says
 * EventIdTaken, and reportCase draws again.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { callerFromClaims } from '../../shared/auth/caller';
import { reportCase } from '../../shared/core/report-case';
import type { Notifier } from '../../shared/ports/notifier';
import type { WorkflowPort } from '../../shared/ports/workflow';
import { ReportEventBody } from '../../shared/schemas/events';
import { sampleClaims } from '../../bin/sample-users';
import { pureDeps } from './pure-deps';

const documents = mockClient(DynamoDBDocumentClient);
beforeEach(() => documents.reset());

const GRID = '441302010001001';
const idTaken = () =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });

function deps() {
  const started: string[] = [];
  const workflow: WorkflowPort = {
    start: async (id: string) => {
      started.push(id);
      return 'started';
    },
    status: async () => 'running',
    sendTaskSuccess: async () => true,
    course: async () => undefined,
  };
  const notifier: Notifier = { send: async () => ({ messageId: 'm1' }) };
  const store = createDynamoDbStores(new DynamoDBClient({ region: 'ap-east-1' }), 'gridflow');
  return { deps: pureDeps('2026-11-24T01:00:00Z', { ports: { ...store, workflow, notifier } }), started };
}

const body = ReportEventBody.parse({ itemCode: '01-01', gridCode: GRID, description: '金英街排水口堵塞' });

it('stores the report under a fresh id when its first id is taken', async () => {
  documents.on(TransactWriteCommand).rejectsOnce(idTaken()).resolves({});
  const { deps: core, started } = deps();
  const caller = callerFromClaims(sampleClaims(core.directory, 'grid_worker', GRID));

  const { case: event, created } = await reportCase(core, { body, caller, clientId: 'test' });

  const written = documents.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems![0].Put!.Item!.id as string);
  expect(written).toHaveLength(2);
  expect(written[1]).not.toBe(written[0]);
  expect(created).toBe(true);
  expect(event.id).toBe(written[1]);
  expect(started).toEqual([event.id]);
});

it('gives up after five draws, with the store’s error', async () => {
  documents.on(TransactWriteCommand).rejects(idTaken());
  const { deps: core } = deps();
  const caller = callerFromClaims(sampleClaims(core.directory, 'grid_worker', GRID));

  await expect(reportCase(core, { body, caller, clientId: 'test' })).rejects.toMatchObject({ name: 'EventIdTaken' });
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(5);
});
