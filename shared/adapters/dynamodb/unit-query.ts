/** The Query for a list of a unit's cases with one status, its filters as filter expressions: byUnit, or byOverdue for the open overdue ones. */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseQuery } from '../../ports/cases';
import { GSI, indexKeys } from './table-design';
import { districtOf, levelOfCode } from '../../domain/unit-codes';

/** The index a list of one status reads: the open overdue cases have their own (sparse) one, in byUnit's order. */
export function listIndex(query: Pick<CaseQuery, 'overdue'>, status: string): typeof GSI.byUnit | typeof GSI.byOverdue {
  return status === 'open' && query.overdue === true ? GSI.byOverdue : GSI.byUnit;
}

/** The index partitions the list reads (merged in sort order when there are several). */
export function listPartitions(query: Pick<CaseQuery, 'overdue' | 'unitPrefix'>, status: string): string[] {
  return listIndex(query, status) === GSI.byOverdue
    ? [indexKeys.byOverdue(districtOf(query.unitPrefix))]
    : indexKeys.byUnitPartitions(query.unitPrefix, status);
}

/** The Query of one of the list's partitions; `Limit` is left to the merge. */
export function unitQuery(query: CaseQuery, status: string, partition: string): Omit<QueryCommandInput, 'TableName' | 'Limit'> {
  const source = listIndex(query, status);
  const values: Record<string, unknown> = { ':pk': partition };
  const names: Record<string, string> = {};
  const filters: string[] = [];
  let keyCondition: string;
  if (levelOfCode(query.unitPrefix) === 'grid' && (query.from || query.to)) {
    // A grid's cases are in time order within its key range.
    keyCondition = `${source.partitionKey} = :pk AND ${source.sortKey} BETWEEN :skFrom AND :skTo`;
    values[':skFrom'] = `${query.unitPrefix}#${query.from ?? ''}`;
    values[':skTo'] = `${query.unitPrefix}#${query.to ?? '~'}~`;
  } else {
    keyCondition = `${source.partitionKey} = :pk AND begins_with(${source.sortKey}, :prefix)`;
    values[':prefix'] = query.unitPrefix;
  }
  const equals = (attribute: string, value: unknown) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  };
  if (query.stage) equals('stage', query.stage);
  if (query.tier) equals('tier', query.tier);
  // The overdue index holds only overdue cases: no filter needed there.
  if (query.overdue !== undefined && source !== GSI.byOverdue) equals('overdue', query.overdue);
  if (query.severity) equals('severity', query.severity);
  if (query.from && !values[':skFrom']) {
    names['#createdAt'] = 'createdAt';
    values[':from'] = query.from;
    filters.push('#createdAt >= :from');
  }
  if (query.to && !values[':skTo']) {
    names['#createdAt'] = 'createdAt';
    values[':to'] = query.to;
    filters.push('#createdAt <= :to');
  }
  if (query.involvedDepartments?.length) {
    names['#involved'] = 'involvedDepartments';
    const alternatives = query.involvedDepartments.map((code, index) => {
      values[`:dept${index}`] = code;
      return `contains(#involved, :dept${index})`;
    });
    filters.push(`(${alternatives.join(' OR ')})`);
  }
  return {
    IndexName: source.name,
    KeyConditionExpression: keyCondition,
    ExpressionAttributeValues: values,
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
  };
}
