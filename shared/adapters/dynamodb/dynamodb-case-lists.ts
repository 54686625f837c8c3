/** The lists a case is on, read from the table's indexes (byAssignee, byUrgency, byUnit, byUnstarted, byPlace, byDue, byPlainWeek, byChange). */
import { districtOf } from '../../domain/unit-codes';
import type { CaseLists } from '../../ports/case-lists';
import type { CasePage, NearbyCase } from '../../ports/cases';
import { cursorPositions, type PageCursors } from './cursors';
import { caseOf } from './dynamodb-case-store';
import { mergedQuery } from './merged-query';
import { NEARBY_CASE_SHAPE, recordOf } from './records';
import type { Item, SingleTable } from './single-table';
import { GSI, indexKeys, keys } from './table-design';

export class DynamoDbCaseLists implements CaseLists {
  constructor(
    private readonly table: SingleTable,
    private readonly cursors: PageCursors,
  ) {}

  async openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage> {
    const list = `open cases of ${handlerKey}`;
    const page = await this.table.query({
      IndexName: GSI.byAssignee.name,
      KeyConditionExpression: `${GSI.byAssignee.partitionKey} = :key`,
      ExpressionAttributeValues: { ':key': handlerKey },
      Limit: limit,
      ExclusiveStartKey: cursor ? this.cursors.startKey(list, cursor) : undefined,
    });
    return {
      items: (page.Items ?? []).map(caseOf),
      ...(page.LastEvaluatedKey ? { nextCursor: this.cursors.keyCursor(list, 'open', page.LastEvaluatedKey) } : {}),
    };
  }

  async mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage> {
    const list = `most urgent in ${unitPrefix}`;
    const belowDistrict = unitPrefix !== districtOf(unitPrefix);
    // A street's shard may hold other streets too (and the partition from before shards the whole district): below
    // the district the unit is a filter.
    const page = await mergedQuery(
      this.table,
      GSI.byUrgency,
      indexKeys.byUrgencyPartitions(unitPrefix),
      (partition, pageSize) => ({
        IndexName: GSI.byUrgency.name,
        KeyConditionExpression: `${GSI.byUrgency.partitionKey} = :pk`,
        ...(belowDistrict ? { FilterExpression: 'begins_with(gridCode, :unit)' } : {}),
        ExpressionAttributeValues: { ':pk': partition, ...(belowDistrict ? { ':unit': unitPrefix } : {}) },
        Limit: pageSize,
      }),
      limit,
      cursor ? cursorPositions(this.cursors.read(list, cursor)) : {},
      belowDistrict,
    );
    return { items: page.items.map(caseOf), ...(page.next ? { nextCursor: this.cursors.mergedCursor(list, 'open', page.next) } : {}) };
  }

  async changedSince(unitPrefix: string, since: string, limit: number, cursor?: string): Promise<CasePage> {
    const list = `changed in ${unitPrefix} since ${since}`;
    const belowDistrict = unitPrefix !== districtOf(unitPrefix);
    const page = await mergedQuery(
      this.table,
      GSI.byChange,
      indexKeys.byChangePartitions(unitPrefix),
      (partition, pageSize) => ({
        IndexName: GSI.byChange.name,
        KeyConditionExpression: `${GSI.byChange.partitionKey} = :pk AND ${GSI.byChange.sortKey} >= :since`,
        ...(belowDistrict ? { FilterExpression: 'begins_with(gridCode, :unit)' } : {}),
        ExpressionAttributeValues: {
          ':pk': partition,
          ':since': indexKeys.byChangeFrom(since),
          ...(belowDistrict ? { ':unit': unitPrefix } : {}),
        },
        Limit: pageSize,
      }),
      limit,
      cursor ? cursorPositions(this.cursors.read(list, cursor)) : {},
      belowDistrict,
    );
    // The index holds only ids: the cases themselves, as they are now (a newer change is listed again later).
    const items = await Promise.all(
      page.items.map(async (entry) => {
        const { id } = recordOf<{ id: string }>(entry, 'changed case', { id: 'string' });
        const item = await this.table.get(keys.event(id));
        if (!item) throw new Error(`Case ${id} is listed as changed but not stored`);
        return caseOf(item);
      }),
    );
    return { items, ...(page.next ? { nextCursor: this.cursors.mergedCursor(list, 'changed', page.next) } : {}) };
  }

  async *unstartedCases(district: string, createdBefore: string): AsyncIterable<string> {
    let startKey: Item | undefined;
    do {
      const page = await this.table.query({
        IndexName: GSI.byUnstarted.name,
        KeyConditionExpression: `${GSI.byUnstarted.partitionKey} = :pk AND ${GSI.byUnstarted.sortKey} < :before`,
        ExpressionAttributeValues: { ':pk': indexKeys.byUnstarted(district), ':before': createdBefore },
        Limit: 100,
        ExclusiveStartKey: startKey,
      });
      yield* (page.Items ?? []).map((item) => recordOf<{ id: string }>(item, 'unstarted case', { id: 'string' }).id);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async *dueCases(district: string, until: Date): AsyncIterable<string> {
    let startKey: Item | undefined;
    do {
      const page = await this.table.query({
        IndexName: GSI.byDue.name,
        // `#` sorts before the id's letters, `~` after them: every entry due at or before `until`.
        KeyConditionExpression: `${GSI.byDue.partitionKey} = :pk AND ${GSI.byDue.sortKey} <= :until`,
        ExpressionAttributeValues: { ':pk': indexKeys.byDue(district), ':until': `${until.toISOString()}#~` },
        Limit: 100,
        ExclusiveStartKey: startKey,
      });
      yield* (page.Items ?? []).map((item) => recordOf<{ id: string }>(item, 'case due for the sweeper', { id: 'string' }).id);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async *plainWeekCases(district: string): AsyncIterable<{ eventId: string; year: number }> {
    let startKey: Item | undefined;
    do {
      const page = await this.table.query({
        IndexName: GSI.byPlainWeek.name,
        KeyConditionExpression: `${GSI.byPlainWeek.partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': indexKeys.byPlainWeek(district) },
        Limit: 100,
        ExclusiveStartKey: startKey,
      });
      yield* (page.Items ?? []).map((item) => {
        const { id } = recordOf<{ id: string }>(item, 'case on a plain week', { id: 'string' });
        return { eventId: id, year: Number(String(item[GSI.byPlainWeek.sortKey]).slice(0, 4)) };
      });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async recentOpenOfItemNear(itemCode: string, cells: string[], since: string): Promise<NearbyCase[]> {
    const perCell = await Promise.all(
      cells.map((cell) =>
        this.table.queryAll({
          IndexName: GSI.byPlace.name,
          KeyConditionExpression: `${GSI.byPlace.partitionKey} = :place AND ${GSI.byPlace.sortKey} >= :since`,
          ExpressionAttributeValues: { ':place': indexKeys.byPlace(itemCode, cell), ':since': since },
        }),
      ),
    );
    return perCell.flat().map((item) => recordOf<NearbyCase>(item, 'nearby case', NEARBY_CASE_SHAPE));
  }
}
