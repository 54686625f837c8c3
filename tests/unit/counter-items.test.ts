/**
 * How the store keeps a day's counters (table-design.ts): one small item per counter name and per place,
 * so that no item grows with the day's variety (an update is billed by the whole item, and an item stops
 * at 400 KB), and a period is still read with one Query and summed per day. Against a mocked client.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbStores } from '../../shared/adapters/dynamodb/dynamodb-stores';
import { COUNTER_SHARDS, counterPart, counterShard } from '../../shared/adapters/dynamodb/table-design';
import { buildChange, SYSTEM_ACTOR } from '../../shared/core/changes';
import { parseLocal } from '../../shared/domain/calendar';
import { geohash } from '../../shared/domain/geohash';
import type { Actor, Case } from '../../shared/domain/types';
import { sampleEvent } from './pure-deps';

const documents = mockClient(DynamoDBDocumentClient);
const store = createDynamoDbStores(new DynamoDBClient({ region: 'ap-east-1' }), 'gridflow');
beforeEach(() => documents.reset());

const GRID = '441302010001001';
const UNITS = ['441302', '441302010', '441302010001', GRID];
const DAY = '2026-10-09';
const worker: Actor = { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' };
const at = parseLocal(`${DAY} 16:30`);
const location = { lat: 23.1315, lng: 114.4152 };
const cell = `cell:02-03:${geohash(location.lat, location.lng)}`;

function reported(id: string): Case {
  return sampleEvent({
    id,
    itemCode: '02-03',
    classCode: '02',
    description: '路灯不亮',
    location,
    createdAt: `${DAY}T16:30:00+08:00`,
    updatedAt: `${DAY}T16:30:00+08:00`,
  });
}

const updates = () =>
  documents
    .commandCalls(TransactWriteCommand)[0]
    .args[0].input.TransactItems!.filter((item) => item.Update)
    .map((item) => item.Update!);
const keyOf = (update: { Key?: Record<string, unknown> }) => `${update.Key!.pk} ${update.Key!.sk}`;
const added = (update: { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }) =>
  Object.fromEntries(
    Object.entries(update.ExpressionAttributeNames!)
      .filter(([alias]) => alias.startsWith('#c'))
      .map(([alias, name]) => [name, update.ExpressionAttributeValues![`:${alias.slice(1)}`]]),
  );

describe('counterPart', () => {
  it.each([
    ['reported', 'reported'],
    ['reported@02', 'reported'],
    ['reported@02-03', 'reported'],
    ['ratingTotal@01-01', 'ratingTotal'],
    ['reported@g:441302010001001', 'g:441302010001001'],
    ['overdue@g:441302010001001', 'g:441302010001001'],
    ['reported@cell:02-03:ws0e5g7', 'cell:02-03:ws0e5g7'],
  ])('%s is kept in the part %s', (counterKey, part) => {
    expect(counterPart(counterKey)).toBe(part);
  });
});

describe('writing a day’s counters', () => {
  it('a located report adds to each unit’s `reported`, grid and cell items, and to the reporter’s', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const { version: _v, updatedAt: _u, ...event } = reported('E20261009-AAAAAA');
    await store.cases.create(buildChange(undefined, event, { type: 'registered', actor: worker, at, count: ['reported'] }));

    const written = updates();
    const shard = counterShard('E20261009-AAAAAA');
    expect(written.map(keyOf).sort()).toEqual(
      [
        ...UNITS.flatMap((code) => [
          `AGG#UNIT#${code} DAY#${DAY}#reported#${shard}`,
          `AGG#UNIT#${code} DAY#${DAY}#g:${GRID}#${shard}`,
          `AGG#UNIT#${code} DAY#${DAY}#${cell}#${shard}`,
          `AGG#UNIT#${code} NOW#open#${shard}`,
        ]),
        `AGG#PERSON#${worker.id} DAY#${DAY}#reported#${shard}`,
      ].sort(),
    );
    const district = (part: string) => written.find((update) => keyOf(update) === `AGG#UNIT#441302 DAY#${DAY}#${part}#${shard}`)!;
    expect(added(district('reported'))).toEqual({ reported: 1, 'reported@02': 1, 'reported@02-03': 1 });
    expect(added(district(`g:${GRID}`))).toEqual({ [`reported@g:${GRID}`]: 1 });
    expect(added(district(cell))).toEqual({ [`reported@${cell}`]: 1 });
    expect(added(written.find((update) => keyOf(update) === `AGG#UNIT#441302 NOW#open#${shard}`)!)).toEqual({ open: 1 });
  });

  it('the shard comes from the case id: every shard is used, each about as often', () => {
    const uses = new Array<number>(COUNTER_SHARDS).fill(0);
    for (let index = 0; index < 8_000; index++) uses[counterShard(`E20261009-${index.toString(36).toUpperCase().padStart(6, '0')}`)]++;
    for (const used of uses) expect(used).toBeGreaterThan((8_000 / COUNTER_SHARDS) * 0.8);
  });

  it('two changes in one transaction touch each counter item once, with the sums', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const first = reported('E20261009-AAAAAA');
    const second = reported('E20261009-BBBBBB');
    const routedBy = (event: Case) =>
      buildChange(event, { ...event, stage: 'routed' }, { type: 'routed', actor: SYSTEM_ACTOR, at, count: ['routed'] });
    await store.cases.apply(routedBy(first), routedBy(second));

    const written = updates();
    expect(new Set(written.map(keyOf)).size).toBe(written.length);
    const district = written.find((update) => keyOf(update) === `AGG#UNIT#441302 DAY#${DAY}#routed#${counterShard(first.id)}`)!;
    expect(added(district)).toEqual({ routed: 2, 'routed@02': 2, 'routed@02-03': 2 });
  });
});

describe('readCounters', () => {
  it('reads the period with one Query to the end of its last day, and sums each day’s parts and shards (and items from before shards)', async () => {
    documents.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'AGG#UNIT#441302',
          sk: 'DAY#2026-10-09#reported',
          itemType: 'counters',
          scope: 'unit:441302',
          day: '2026-10-09',
          reported: 1,
        },
        {
          pk: 'AGG#UNIT#441302',
          sk: 'DAY#2026-10-09#reported#3',
          itemType: 'counters',
          scope: 'unit:441302',
          day: '2026-10-09',
          reported: 2,
          'reported@02': 1,
        },
        {
          pk: 'AGG#UNIT#441302',
          sk: 'DAY#2026-10-09#reported#5',
          itemType: 'counters',
          scope: 'unit:441302',
          day: '2026-10-09',
          reported: 0,
          'reported@02': 2,
        },
        {
          pk: 'AGG#UNIT#441302',
          sk: `DAY#2026-10-09#g:${GRID}#0`,
          itemType: 'counters',
          scope: 'unit:441302',
          day: '2026-10-09',
          [`reported@g:${GRID}`]: 3,
        },
        { pk: 'AGG#UNIT#441302', sk: 'DAY#2026-10-10#closed#7', itemType: 'counters', scope: 'unit:441302', day: '2026-10-10', closed: 2 },
      ],
    });

    const days = await store.counters.read({ kind: 'unit', code: '441302' }, '2026-10-09', '2026-10-10');

    expect(days).toEqual([
      { day: '2026-10-09', counts: { reported: 3, 'reported@02': 3, [`reported@g:${GRID}`]: 3 } },
      { day: '2026-10-10', counts: { closed: 2 } },
    ]);
    const [query] = documents.commandCalls(QueryCommand);
    expect(query.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':pk': 'AGG#UNIT#441302',
      ':from': 'DAY#2026-10-09',
      ':to': 'DAY#2026-10-10~',
    });
  });
});
