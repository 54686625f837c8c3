/** The lists a case is on, read from the table's sparse indexes (byAssignee, byUrgency, byUnit, byUnstarted, byPlace). */
import { districtOf } from '../../domain/unit-codes';
import type { Case } from '../../domain/types';
import type { CaseLists } from '../../ports/case-lists';
import type { CasePage, NearbyCase } from '../../ports/cases';
import { decodeCursor, encodeCursor } from './cursors';
import { caseOf, indexKeyOf } from './dynamodb-case-store';
import { NEARBY_CASE_SHAPE, recordOf } from './records';
import type { Item, SingleTable } from './single-table';
import { GSI, indexKeys } from './table-design';

export class DynamoDbCaseLists implements CaseLists {
  constructor(private readonly table: SingleTable) {}

  async openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage> {
    const page = await this.table.query({
      IndexName: GSI.byAssignee.name,
      KeyConditionExpression: `${GSI.byAssignee.partitionKey} = :key`,
      ExpressionAttributeValues: { ':key': handlerKey },
      Limit: limit,
      ExclusiveStartKey: cursor ? decodeCursor(cursor).key : undefined,
    });
    return {
      items: (page.Items ?? []).map(caseOf),
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor('open', page.LastEvaluatedKey) } : {}),
    };
  }

  async mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage> {
    const items: Case[] = [];
    let startKey = cursor ? decodeCursor(cursor).key : undefined;
    const belowDistrict = unitPrefix !== districtOf(unitPrefix);
    do {
      const page = await this.table.query({
        IndexName: GSI.byUrgency.name,
        KeyConditionExpression: `${GSI.byUrgency.partitionKey} = :pk`,
        ...(belowDistrict ? { FilterExpression: 'begins_with(gridCode, :unit)' } : {}),
        ExpressionAttributeValues: {
          ':pk': indexKeys.byUrgency(districtOf(unitPrefix)),
          ...(belowDistrict ? { ':unit': unitPrefix } : {}),
        },
        // A town or community filters the district's index; the district reads exactly what it returns.
        Limit: belowDistrict ? Math.min(Math.max(limit * 2, 25), 200) : Math.min(limit, 200),
        ExclusiveStartKey: startKey,
      });
      for (const item of page.Items ?? []) {
        items.push(caseOf(item));
        if (items.length === limit) {
          const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.at(-1);
          return { items, ...(more ? { nextCursor: encodeCursor('open', indexKeyOf(item, GSI.byUrgency)) } : {}) };
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { items };
  }

  async *unstartedEvents(district: string, createdBefore: string): AsyncIterable<string> {
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
