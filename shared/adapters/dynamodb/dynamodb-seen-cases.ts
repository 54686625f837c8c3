/** Cases a person opened on the table: `SEEN#<person id>` / `<case id>`, the first time (TTL). */
import type { SeenCase, SeenCaseStore } from '../../ports/seen-cases';
import { recordOf } from './records';
import { ttlOf, type SingleTable } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';

export class DynamoDbSeenCaseStore implements SeenCaseStore {
  constructor(private readonly table: SingleTable) {}

  async markSeen(person: string, caseId: string, at: Date, keepUntil: Date): Promise<SeenCase> {
    const { Attributes } = await this.table.update({
      Key: keys.seenCase(person, caseId),
      // The first opening stays; the keeping is counted from the last.
      UpdateExpression: 'SET itemType = :type, caseId = :id, seenAt = if_not_exists(seenAt, :at), #ttl = :ttl',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':type': 'seen-case', ':id': caseId, ':at': at.toISOString(), ':ttl': ttlOf(keepUntil) },
      ReturnValues: 'ALL_NEW',
    });
    return seenCaseOf(Attributes ?? {});
  }

  async seenBy(person: string): Promise<SeenCase[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.seenCases(person) },
    });
    return items.map(seenCaseOf);
  }
}

function seenCaseOf(item: Record<string, unknown>): SeenCase {
  const record = recordOf<{ caseId: string; seenAt: string }>(item, 'seen case', { caseId: 'string', seenAt: 'string' }, [
    'itemType',
    TTL_ATTRIBUTE,
  ]);
  return { id: record.caseId, at: record.seenAt };
}
