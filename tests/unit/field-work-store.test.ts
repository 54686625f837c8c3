/**
 * The DynamoDB side of patrols and campaigns, against a mocked client: the marker condition that counts a
 * grid once a day, retries when concurrent transactions collide (DynamoDB Local serializes transactions, so
 * the integration tests never see a TransactionConflict), and the first-versus-later answer to a campaign.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { counterShard } from '../../shared/adapters/dynamodb/table-design';
import type { Campaign } from '../../shared/domain/campaigns';
import type { Patrol } from '../../shared/domain/patrols';
import type { CounterIncrement } from '../../shared/domain/counters';

const documents = mockClient(DynamoDBDocumentClient);
const store = createDynamoDbStores(new DynamoDBClient({ region: 'ap-east-1' }), 'gridflow');
beforeEach(() => documents.reset());

const GRID = '441302010001001';
const DAY = '2026-11-24';
const UNITS = ['441302', '441302010', '441302010001', GRID];
const patrol: Patrol = {
  id: 'P20261124-AAAAAA',
  kind: 'daily',
  unitCode: GRID,
  unitName: '金源社区第1网格',
  at: '2026-11-24T09:00:00+08:00',
  day: DAY,
  by: { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' },
  points: [],
  findings: [],
  reportedEvents: [],
  createdAt: '2026-11-24T09:00:00+08:00',
};
const counters: CounterIncrement[] = [
  ...UNITS.map((code): CounterIncrement => ({ scope: { kind: 'unit', code }, day: DAY, counts: { patrols: 1 } })),
  { scope: { kind: 'person', code: 'gw-ouyang-lingqiao' }, day: DAY, counts: { patrols: 1 } },
];
const firstOfDay = {
  grid: GRID,
  day: DAY,
  counters: UNITS.map((code): CounterIncrement => ({ scope: { kind: 'unit', code }, day: DAY, counts: { patrolledGrids: 1 } })),
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const transactions = () => documents.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);

describe('savePatrol', () => {
  test("the grid's first patrol of the day: patrol, marker (conditional) and merged counters in one transaction", async () => {
    documents.on(TransactWriteCommand).resolves({});
    expect(await store.fieldWork.savePatrol(patrol, counters, firstOfDay)).toEqual({ firstOfDay: true });
    const [items] = transactions();
    expect(items[0].Put).toMatchObject({
      Item: { id: patrol.id, firstOfDay: true, pk: `PATROLS#441302#${DAY}`, sk: `${GRID}#2026-11-24T01:00:00.000Z#${patrol.id}` },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1].Put).toMatchObject({
      Item: { pk: `PATROLLED#441302#${DAY}`, sk: GRID },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    // One update per counter item (a unit's day keeps each counter name in its own item), each unit once per name,
    // in the shard the patrol's id picks.
    const updates = items.slice(2).map((item) => item.Update!);
    const shard = counterShard(patrol.id);
    expect(updates.map((update) => `${update.Key!.pk} ${update.Key!.sk}`).sort()).toEqual(
      [
        ...UNITS.flatMap((code) => [`AGG#UNIT#${code} DAY#${DAY}#patrols#${shard}`, `AGG#UNIT#${code} DAY#${DAY}#patrolledGrids#${shard}`]),
        `AGG#PERSON#gw-ouyang-lingqiao DAY#${DAY}#patrols#${shard}`,
      ].sort(),
    );
  });

  test('when the marker exists the patrol is stored without it and without patrolledGrids', async () => {
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None'))
      .resolves({});
    expect(await store.fieldWork.savePatrol(patrol, counters, firstOfDay)).toEqual({ firstOfDay: false });
    const [, retry] = transactions();
    expect(retry).toHaveLength(1 + 5);
    expect(retry[0].Put!.Item).toMatchObject({ firstOfDay: false });
    expect(JSON.stringify(retry)).not.toContain('patrolledGrids');
    expect(JSON.stringify(retry)).not.toContain('PATROLLED#');
  });

  test('a collision with a concurrent transaction is retried; anything else is thrown', async () => {
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'TransactionConflict', 'None', 'None', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'None', 'None', 'TransactionConflict', 'None', 'None', 'None'))
      .resolves({});
    expect(await store.fieldWork.savePatrol(patrol, counters, firstOfDay)).toEqual({ firstOfDay: true });
    expect(transactions()).toHaveLength(3);

    documents.reset();
    documents.on(TransactWriteCommand).rejects(cancelled('ValidationError'));
    await expect(store.fieldWork.savePatrol(patrol, counters, firstOfDay)).rejects.toThrow('cancelled');
    expect(transactions()).toHaveLength(1);
  });

  test('weekly and monthly checks put no marker', async () => {
    documents.on(TransactWriteCommand).resolves({});
    expect(await store.fieldWork.savePatrol({ ...patrol, kind: 'weekly', unitCode: '441302010001' }, counters.slice(0, 3))).toEqual({
      firstOfDay: false,
    });
    const [items] = transactions();
    expect(items).toHaveLength(1 + 3);
    expect(items[0].Put!.Item!.firstOfDay).toBeUndefined();
  });
});

describe('saveCampaignResponse', () => {
  const campaign = { id: 'C20261124-AAAAAA', district: '441302', deadlineAt: '2026-11-26T17:00:00+08:00' } as Campaign;
  const answer = {
    campaignId: campaign.id,
    person: 'gw-ouyang-lingqiao',
    name: '欧阳玲巧',
    grid: GRID,
    note: '已走访',
    photos: [],
    done: true,
    at: '2026-11-24T10:00:00+08:00',
    late: false,
  };

  test('the first answer is created and counted on the index entry in one transaction', async () => {
    documents.on(TransactWriteCommand).resolves({});
    expect(await store.fieldWork.saveCampaignResponse(campaign, answer)).toEqual({
      first: true,
      response: { ...answer, firstAt: answer.at, responses: 1 },
    });
    const [items] = transactions();
    expect(items[0].Put).toMatchObject({
      Item: { pk: `CAMPAIGN#${campaign.id}`, sk: 'RESP#gw-ouyang-lingqiao' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1].Update).toMatchObject({
      Key: { pk: 'CAMPAIGNS#441302', sk: `2026-11-26T09:00:00.000Z#${campaign.id}` },
      UpdateExpression: 'ADD responded :one',
    });
  });

  test('a later answer replaces the first: no second count, responses + 1', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    documents.on(UpdateCommand).resolves({
      Attributes: { ...answer, pk: 'x', sk: 'y', itemType: 'campaign_response', firstAt: '2026-11-24T09:00:00+08:00', responses: 2 },
    });
    const { first, response } = await store.fieldWork.saveCampaignResponse(campaign, answer);
    expect(first).toBe(false);
    expect(response).toEqual({ ...answer, firstAt: '2026-11-24T09:00:00+08:00', responses: 2 });
    expect(documents.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      UpdateExpression: expect.stringContaining('ADD responses :one'),
    });
  });
});
