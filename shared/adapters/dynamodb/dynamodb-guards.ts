/** Request guards on the table: idempotency claims (written by the stores' transactions), rate windows, one-off claims. */
import type { ClaimRecord, IdempotencyClaim, RequestGuards } from '../../ports/guards';
import { recordOf } from './records';
import { ttlOf, type SingleTable, type TransactItem } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';

export class DynamoDbRequestGuards implements RequestGuards {
  constructor(private readonly table: SingleTable) {}

  async findClaim(key: string): Promise<ClaimRecord | undefined> {
    const item = await this.table.get(keys.idempotency(key), true);
    if (!item) return undefined;
    const record = recordOf<ClaimRecord & { expiresAt?: number }>(
      item,
      'idempotency claim',
      {
        bodyHash: 'string',
        eventId: 'string?',
        patrol: 'object?',
      },
      [TTL_ATTRIBUTE],
    );
    return {
      bodyHash: record.bodyHash,
      ...(record.eventId ? { eventId: record.eventId } : {}),
      ...(record.patrol ? { patrol: record.patrol } : {}),
    };
  }

  async countHit(bucket: string, expiresAt: Date): Promise<number> {
    const { Attributes } = await this.table.update({
      Key: keys.rate(bucket),
      UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':ttl': ttlOf(expiresAt) },
      ReturnValues: 'UPDATED_NEW',
    });
    return Number(Attributes?.hits ?? 1);
  }

  async claimOnce(key: string, expiresAt: Date): Promise<boolean> {
    return this.table.ifCondition(() =>
      this.table.put({
        Item: { ...keys.once(key), itemType: 'once', [TTL_ATTRIBUTE]: ttlOf(expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}

/** The claim on an Idempotency-Key, with what a retry replays: put only if the key is new (TTL). */
export function idempotencyPut(tableName: string, claim: IdempotencyClaim, made: Omit<ClaimRecord, 'bodyHash'>): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.idempotency(claim.key),
        itemType: 'idempotency',
        ...made,
        bodyHash: claim.bodyHash,
        [TTL_ATTRIBUTE]: ttlOf(claim.expiresAt),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
