/** The byUnit Query for a list of a unit's cases with one status, its filters as filter expressions. */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseQuery } from '../../ports/cases';
import { GSI, indexKeys } from './table-design';
import { districtOf, levelOfCode } from '../../domain/unit-codes';

export function unitQuery(query: CaseQuery, status: string): Omit<QueryCommandInput, 'TableName'> {
  const values: Record<string, unknown> = { ':pk': indexKeys.byUnit(districtOf(query.unitPrefix), status) };
  const names: Record<string, string> = {};
  const filters: string[] = [];
  let keyCondition: string;
  if (levelOfCode(query.unitPrefix) === 'grid' && (query.from || query.to)) {
    // A grid's cases are in time order within its key range.
    keyCondition = `${GSI.byUnit.partitionKey} = :pk AND ${GSI.byUnit.sortKey} BETWEEN :skFrom AND :skTo`;
    values[':skFrom'] = `${query.unitPrefix}#${query.from ?? ''}`;
    values[':skTo'] = `${query.unitPrefix}#${query.to ?? '~'}~`;
  } else {
    keyCondition = `${GSI.byUnit.partitionKey} = :pk AND begins_with(${GSI.byUnit.sortKey}, :prefix)`;
    values[':prefix'] = query.unitPrefix;
  }
  const equals = (attribute: string, value: unknown) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  };
  if (query.stage) equals('stage', query.stage);
  if (query.tier) equals('tier', query.tier);
  if (query.overdue !== undefined) equals('overdue', query.overdue);
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
    IndexName: GSI.byUnit.name,
    KeyConditionExpression: keyCondition,
    ExpressionAttributeValues: values,
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    // Without a filter a page of `limit` is exactly what is returned; a filter drops some of what is read.
    Limit: filters.length ? Math.min(Math.max(query.limit * 2, 25), 200) : Math.min(query.limit, 200),
  };
}
