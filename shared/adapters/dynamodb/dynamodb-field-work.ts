/** Patrols and campaigns on the table (see table-design.ts): a patrol with its counters and day marker in one transaction. */
import { summaryOfNew, type Campaign, type CampaignResponse, type CampaignSummary } from '../../domain/campaigns';
import { IdempotencyKeyTaken, InvalidCursor } from '../../domain/errors';
import type { Patrol } from '../../domain/patrols';
import type { CounterIncrement } from '../../domain/counters';
import type { FieldWorkStore, FirstOfDay, PatrolPage } from '../../ports/field-work';
import type { IdempotencyClaim } from '../../ports/guards';
import { counterUpdates } from './counter-writes';
import type { PageCursors } from './cursors';
import { idempotencyPut } from './dynamodb-guards';
import { CAMPAIGN_RESPONSE_SHAPE, CAMPAIGN_SHAPE, CAMPAIGN_SUMMARY_SHAPE, PATROL_SHAPE, recordOf } from './records';
import { conditionFailed, type SingleTable, type TransactItem } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';
import { districtOf } from '../../domain/unit-codes';

/** The grid's marker for the day was there already: the patrol is stored without it. */
class GridPatrolledToday extends Error {}
/** The target answered before: the answer replaces the first. */
class AnsweredBefore extends Error {}

export class DynamoDbFieldWorkStore implements FieldWorkStore {
  constructor(
    private readonly table: SingleTable,
    private readonly cursors: PageCursors,
  ) {}

  async savePatrol(
    patrol: Patrol,
    counters: CounterIncrement[],
    firstOfDay?: FirstOfDay,
    idempotency?: IdempotencyClaim,
  ): Promise<{ firstOfDay: boolean }> {
    try {
      await this.writePatrol(patrol, counters, firstOfDay, idempotency);
      return { firstOfDay: Boolean(firstOfDay) };
    } catch (error) {
      if (!(error instanceof GridPatrolledToday)) throw error;
    }
    // The grid was patrolled already today: this patrol without the marker and its counters.
    await this.writePatrol({ ...patrol, firstOfDay: false }, counters, undefined, idempotency);
    return { firstOfDay: false };
  }

  private async writePatrol(patrol: Patrol, counters: CounterIncrement[], firstOfDay?: FirstOfDay, idempotency?: IdempotencyClaim) {
    const stored = firstOfDay ? { ...patrol, firstOfDay: true } : patrol;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table.name,
          Item: { ...stored, ...keys.patrol(patrol), itemType: 'patrol' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (firstOfDay) {
      items.push({
        Put: {
          TableName: this.table.name,
          Item: {
            ...keys.patrolMarker(firstOfDay.grid, firstOfDay.day),
            itemType: 'patrol_marker',
            grid: firstOfDay.grid,
            day: firstOfDay.day,
            patrolId: patrol.id,
            at: patrol.at,
            [TTL_ATTRIBUTE]: keys.patrolMarkerExpiry(firstOfDay.day),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    items.push(...counterUpdates(this.table.name, firstOfDay ? [...counters, ...firstOfDay.counters] : counters, patrol.id));
    // Last, so the marker keeps its place: the patrol as replied, for a retry with the same key.
    const claimIndex = items.length;
    if (idempotency) items.push(idempotencyPut(this.table.name, idempotency, { patrol: stored }));
    await this.table.transact(items, (reasons) => {
      if (idempotency && conditionFailed(reasons[claimIndex])) throw new IdempotencyKeyTaken(idempotency.key);
      if (firstOfDay && conditionFailed(reasons[1])) throw new GridPatrolledToday();
    });
  }

  async patrolsOn(unitPrefix: string, day: string, limit: number, cursor?: string): Promise<PatrolPage> {
    const pk = keys.patrols(districtOf(unitPrefix), day);
    const list = `patrols of ${unitPrefix} on ${day}`;
    const startKey = cursor ? this.cursors.startKey(list, cursor) : undefined;
    if (startKey && (startKey.pk !== pk || !String(startKey.sk).startsWith(unitPrefix))) {
      throw new InvalidCursor('belongs to another unit or day');
    }
    const page = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :unit)',
      ExpressionAttributeValues: { ':pk': pk, ':unit': unitPrefix },
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    const items = (page.Items ?? []).map((item) => recordOf<Patrol>(item, 'patrol', PATROL_SHAPE));
    const last = page.LastEvaluatedKey;
    return { items, ...(last ? { nextCursor: this.cursors.keyCursor(list, 'patrols', { pk: last.pk, sk: last.sk }) } : {}) };
  }

  async patrolledGrids(district: string, day: string): Promise<string[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.patrolMarkers(district, day) },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return items.map((item) => String(item.sk));
  }

  async createCampaign(campaign: Campaign): Promise<void> {
    const summary = summaryOfNew(campaign);
    await this.table.transact([
      {
        Put: {
          TableName: this.table.name,
          Item: { ...campaign, ...keys.campaign(campaign.id), itemType: 'campaign' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table.name,
          Item: { ...summary, ...keys.campaignEntry(campaign), itemType: 'campaign_index' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }

  async getCampaign(id: string): Promise<{ campaign: Campaign; responses: CampaignResponse[] } | undefined> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaign(id).pk },
      ConsistentRead: true,
    });
    const campaign = items.find((item) => item.sk === keys.campaign(id).sk);
    if (!campaign) return undefined;
    const responses = items
      .filter((item) => String(item.sk).startsWith(keys.campaignResponsePrefix))
      .map((item) => recordOf<CampaignResponse>(item, 'campaign response', CAMPAIGN_RESPONSE_SHAPE));
    return { campaign: recordOf<Campaign>(campaign, 'campaign', CAMPAIGN_SHAPE), responses };
  }

  async saveCampaignResponse(
    campaign: Campaign,
    answer: Omit<CampaignResponse, 'firstAt' | 'responses'>,
  ): Promise<{ response: CampaignResponse; first: boolean }> {
    const key = keys.campaignResponse(campaign.id, answer.person);
    const response: CampaignResponse = { ...answer, firstAt: answer.at, responses: 1 };
    try {
      await this.table.transact(
        [
          {
            Put: {
              TableName: this.table.name,
              Item: { ...response, ...key, itemType: 'campaign_response' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: this.table.name,
              Key: keys.campaignEntry(campaign),
              UpdateExpression: 'ADD responded :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
        (reasons) => {
          if (conditionFailed(reasons[0])) throw new AnsweredBefore();
        },
      );
      return { response, first: true };
    } catch (error) {
      if (!(error instanceof AnsweredBefore)) throw error;
    }
    const { Attributes } = await this.table.update({
      Key: key,
      UpdateExpression: 'SET note = :note, photos = :photos, done = :done, #at = :at ADD responses :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':note': answer.note, ':photos': answer.photos, ':done': answer.done, ':at': answer.at, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    });
    return { response: recordOf<CampaignResponse>(Attributes ?? {}, 'campaign response', CAMPAIGN_RESPONSE_SHAPE), first: false };
  }

  async campaignsByDeadline(district: string, from: string, to: string): Promise<CampaignSummary[]> {
    const range = keys.campaignsBetween(district, from, to);
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
    });
    return items.map((item) => recordOf<CampaignSummary>(item, 'campaign entry', CAMPAIGN_SUMMARY_SHAPE));
  }
}
