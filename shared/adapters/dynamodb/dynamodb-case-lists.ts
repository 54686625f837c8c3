/** The lists a case is on, read from the table's indexes (byAssignee, byUrgency, byUnit, byUnstarted, byPlace, byDue, byPlainWeek, byChangeWithTeams). */
import { districtOf } from '../../domain/unit-codes';
import type { CaseLists } from '../../ports/case-lists';
import type { CasePage, NearbyCase } from '../../ports/cases';
import { cursorPositions, type PageCursors } from './cursors';
import { caseOf } from './dynamodb-case-store';
import { mergedQuery } from './merged-query';
import { NEARBY_CASE_SHAPE, recordOf } from './records';
import type { Item, SingleTable } from './single-table';
import { GSI, indexKeys, keys } from './table-design';

/**
 * What a "changed since" poll keeps of its partitions' entries, in the index (byChangeWithTeams copies both): a unit
 * below the district its grids (a street's shard may hold other streets); a department's poll its teams' cases, so
 * that it reads no other case.
 */
function changeFilter(unitPrefix: string, involving?: readonly string[]): { expression?: string; values: Record<string, string> } {
  const conditions: string[] = [];
  const values: Record<string, string> = {};
  if (unitPrefix !== districtOf(unitPrefix)) {
    conditions.push('begins_with(gridCode, :unit)');
    values[':unit'] = unitPrefix;
  }
  if (involving) {
    const teams = involving.map((team, position) => {
      values[`:team${position}`] = team;
      return `contains(involvedDepartments, :team${position})`;
    });
    // No team at all: nothing is the caller's (an impossible value keeps the expression valid).
    conditions.push(teams.length ? `(${teams.join(' OR ')})` : 'attribute_not_exists(id)');
  }
  return { ...(conditions.length ? { expression: conditions.join(' AND ') } : {}), values };
}

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

  async changedSince(unitPrefix: string, since: string, limit: number, cursor?: string, involving?: readonly string[]): Promise<CasePage> {
    const list = `changed in ${unitPrefix} since ${since}${involving ? ` involving ${involving.join(',')}` : ''}`;
    const index = GSI.byChangeWithTeams;
    const filter = changeFilter(unitPrefix, involving);
    const page = await mergedQuery(
      this.table,
      index,
      indexKeys.byChangePartitions(unitPrefix),
      (partition, pageSize) => ({
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :pk AND ${index.sortKey} >= :since`,
        ...(filter.expression ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeValues: { ':pk': partition, ':since': indexKeys.byChangeFrom(since), ...filter.values },
        Limit: pageSize,
      }),
      limit,
      cursor ? cursorPositions(this.cursors.read(list, cursor)) : {},
      filter.expression !== undefined,
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
