/**
 * The sweeper's index (byUnstarted): a stored report is in it until its lifecycle first waits on it —
 * whatever else writes to it meanwhile — and the sweeper reads only it. Against a mocked client.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { buildChange, SYSTEM_ACTOR } from '../../shared/core/changes';
import { parseLocal } from '../../shared/domain/calendar';
import { sampleEvent } from './pure-deps';

const documents = mockClient(DynamoDBDocumentClient);
const store = createDynamoDbStores(new DynamoDBClient({ region: 'ap-east-1' }), 'gridflow');
beforeEach(() => documents.reset());

const at = parseLocal('2026-11-23 09:00');
const putItem = () =>
  documents.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!.find((item) => item.Put?.Item?.itemType === 'event')!.Put!
    .Item!;

it('a stored report awaiting its lifecycle is in byUnstarted; an action keeps it there; a closed one is not', async () => {
  documents.on(TransactWriteCommand).resolves({});
  const { version: _v, updatedAt: _u, ...fresh } = sampleEvent({ awaitingLifecycle: true });
  await store.cases.create(buildChange(undefined, fresh, { type: 'registered', actor: fresh.reportedBy, at, count: ['reported'] }));
  expect(putItem()).toMatchObject({ gsi5pk: '441302#unstarted', gsi5sk: `${fresh.createdAt}#${fresh.id}` });

  documents.reset();
  documents.on(TransactWriteCommand).resolves({});
  const stored = sampleEvent({ awaitingLifecycle: true });
  await store.cases.apply(buildChange(stored, stored, { type: 'commented', actor: stored.reportedBy, at }));
  expect(putItem()).toMatchObject({ gsi5pk: '441302#unstarted' });

  documents.reset();
  documents.on(TransactWriteCommand).resolves({});
  await store.cases.apply(
    buildChange(stored, { ...stored, status: 'closed', stage: 'voided' }, { type: 'voided', actor: SYSTEM_ACTOR, at }),
  );
  expect(putItem().gsi5pk).toBeUndefined();
});

it('its first wait takes it out (with the flag), and the sweeper asks only for those past their grace', async () => {
  documents.on(UpdateCommand).resolves({});
  await store.cases.saveWaitingTask('E20261123-7K3M9Q', 2, {
    token: 't',
    waitingFor: 'handling',
    since: '2026-11-23T09:00:01+08:00',
    loops: 1,
  });
  expect(documents.commandCalls(UpdateCommand)[0].args[0].input.UpdateExpression).toMatch(/REMOVE awaitingLifecycle, gsi5pk, gsi5sk$/);

  documents
    .on(QueryCommand)
    .resolves({ Items: [{ id: 'E20261123-AAAAAA', gsi5pk: '441302#unstarted', gsi5sk: '2026-11-23T08:50:00+08:00#E20261123-AAAAAA' }] });
  const found: string[] = [];
  for await (const id of store.caseLists.unstartedCases('441302', '2026-11-23T08:58:00+08:00')) found.push(id);
  expect(found).toEqual(['E20261123-AAAAAA']);
  expect(documents.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
    IndexName: 'byUnstarted',
    KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk < :before',
    ExpressionAttributeValues: { ':pk': '441302#unstarted', ':before': '2026-11-23T08:58:00+08:00' },
  });
});
