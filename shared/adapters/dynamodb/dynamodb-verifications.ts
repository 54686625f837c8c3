/** Phone verification codes on the table: `VERIFY#<phone>` / `VERIFY`, the code's keyed hash and its tries (TTL). */
import type { PendingCode, VerificationStore } from '../../ports/verifications';
import { recordOf } from './records';
import { ttlOf, type SingleTable } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';

export class DynamoDbVerificationStore implements VerificationStore {
  constructor(private readonly table: SingleTable) {}

  async putCode(phone: string, codeHash: string, expiresAt: Date, keepUntil: Date): Promise<void> {
    await this.table.put({
      Item: {
        ...keys.verification(phone),
        itemType: 'verification',
        codeHash,
        tries: 0,
        codeExpiresAt: expiresAt.toISOString(),
        [TTL_ATTRIBUTE]: ttlOf(keepUntil),
      },
    });
  }

  async countTry(phone: string): Promise<PendingCode | undefined> {
    let attributes: Record<string, unknown> | undefined;
    const counted = await this.table.ifCondition(async () => {
      const { Attributes } = await this.table.update({
        Key: keys.verification(phone),
        UpdateExpression: 'ADD tries :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      });
      attributes = Attributes;
    });
    if (!counted || !attributes) return undefined;
    const record = recordOf<{ codeHash: string; tries: number; codeExpiresAt: string }>(
      attributes,
      'verification code',
      { codeHash: 'string', tries: 'number', codeExpiresAt: 'string' },
      [TTL_ATTRIBUTE, 'itemType'],
    );
    return { codeHash: record.codeHash, tries: record.tries, expiresAt: new Date(record.codeExpiresAt) };
  }

  useCode(phone: string, codeHash: string): Promise<boolean> {
    return this.table.ifCondition(() =>
      this.table.delete({
        Key: keys.verification(phone),
        ConditionExpression: 'codeHash = :hash',
        ExpressionAttributeValues: { ':hash': codeHash },
      }),
    );
  }
}
