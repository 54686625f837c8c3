/** Reminder windows on the table: one window item per phone and the due list of digests in one partition. */
import type { DueDigest, FoldedReminder, ReminderStore, ReminderWindow } from '../../ports/reminders';
import { FOLDED_REMINDER_SHAPE, recordOf } from './records';
import { ttlOf, type Item, type SingleTable } from './single-table';
import { keys, TTL_ATTRIBUTE } from './table-design';

export class DynamoDbReminderStore implements ReminderStore {
  constructor(private readonly table: SingleTable) {}

  async reminderWindow(phone: string): Promise<ReminderWindow | undefined> {
    const item = await this.table.get(keys.reminderWindow(phone), true);
    if (!item) return undefined;
    const window = recordOf<{ endsAt: string; folded?: Item[] }>(item, 'reminder window', { endsAt: 'string', folded: 'array?' });
    return { phone, endsAt: window.endsAt, folded: foldedOf(item, window.folded) };
  }

  async openReminderWindow(
    phone: string,
    seenEndsAt: string | undefined,
    endsAt: Date,
    expiresAt: Date,
  ): Promise<FoldedReminder[] | undefined> {
    return this.replaceWindow(phone, seenEndsAt, endsAt, expiresAt, false);
  }

  async foldReminder(phone: string, seenEndsAt: string, reminder: FoldedReminder, expiresAt: Date): Promise<boolean> {
    const ttl = ttlOf(expiresAt);
    // Listed as due first, folded second: a digest is never pending without its due entry. Not one
    // transaction: concurrent transactions on one hot phone item cancel each other (TransactionConflict),
    // while plain conditional updates just queue. A due entry whose fold then fails is stale, and the
    // sweep that finds it drops it (takeDueDigest).
    await this.table.put({
      Item: { ...keys.dueDigest(seenEndsAt, phone), itemType: 'digest_due', phone, dueAt: seenEndsAt, [TTL_ATTRIBUTE]: ttl },
    });
    return this.table.ifCondition(() =>
      this.table.update({
        Key: keys.reminderWindow(phone),
        UpdateExpression: 'SET folded = list_append(if_not_exists(folded, :none), :reminder), #ttl = :ttl',
        ConditionExpression: 'endsAt = :seen',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':none': [], ':reminder': [reminder], ':seen': seenEndsAt, ':ttl': ttl },
      }),
    );
  }

  async dueReminderDigests(now: Date, limit: number, after?: DueDigest): Promise<DueDigest[]> {
    const { Items } = await this.table.query({
      KeyConditionExpression: 'pk = :list AND sk <= :upTo',
      ExpressionAttributeValues: { ':list': keys.dueDigests, ':upTo': keys.dueUpTo(now) },
      ConsistentRead: true,
      Limit: limit,
      ...(after ? { ExclusiveStartKey: keys.dueDigest(after.dueAt, after.phone) } : {}),
    });
    return (Items ?? []).map((item) => {
      const due = recordOf<DueDigest>(item, 'due digest', { phone: 'string', dueAt: 'string' });
      return { phone: due.phone, dueAt: due.dueAt };
    });
  }

  async takeDueDigest(due: DueDigest, endsAt: Date, expiresAt: Date): Promise<FoldedReminder[]> {
    const folded = await this.replaceWindow(due.phone, due.dueAt, endsAt, expiresAt, true);
    if (folded !== undefined) return folded;
    // Not taken. While the phone is still in that window, a fold may be between listing the digest and
    // adding to it: the entry stays for the next sweep. Otherwise the digest was taken by someone else
    // (who removed the entry, or is about to) or the entry is stale: drop it.
    const window = await this.reminderWindow(due.phone);
    if (window?.endsAt !== due.dueAt) await this.forgetDueDigest(due.dueAt, due.phone);
    return [];
  }

  /**
   * Replaces the phone's window by one ending at `endsAt` if it is still the one read (`seenEndsAt`;
   * undefined: none) — and, with `onlyWithFolded`, only if reminders were folded into it. The folded
   * reminders are removed and returned in the same write, so exactly one caller gets them.
   */
  private async replaceWindow(
    phone: string,
    seenEndsAt: string | undefined,
    endsAt: Date,
    expiresAt: Date,
    onlyWithFolded: boolean,
  ): Promise<FoldedReminder[] | undefined> {
    const values: Record<string, unknown> = {
      ':phone': phone,
      ':endsAt': endsAt.toISOString(),
      ':ttl': ttlOf(expiresAt),
      ':type': 'reminder_window',
    };
    let condition = 'attribute_not_exists(pk)';
    if (seenEndsAt !== undefined) {
      values[':seen'] = seenEndsAt;
      // `folded` is never stored empty: it is absent until the first fold and removed by every take.
      condition = onlyWithFolded ? 'endsAt = :seen AND attribute_exists(folded)' : 'endsAt = :seen';
    }
    let old: Item | undefined;
    const replaced = await this.table.ifCondition(async () => {
      ({ Attributes: old } = await this.table.update({
        Key: keys.reminderWindow(phone),
        UpdateExpression: 'SET itemType = :type, phone = :phone, endsAt = :endsAt, #ttl = :ttl REMOVE folded',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }));
    });
    if (!replaced) return undefined;
    const folded = old ? foldedOf(old, old.folded) : [];
    if (folded.length > 0 && seenEndsAt !== undefined) await this.forgetDueDigest(seenEndsAt, phone);
    return folded;
  }

  /**
   * Removes a due entry. After a take it must not throw (the caller holds reminders only it can send):
   * an entry left behind is stale, and the next sweep drops it.
   */
  private async forgetDueDigest(dueAt: string, phone: string): Promise<void> {
    try {
      await this.table.delete({ Key: keys.dueDigest(dueAt, phone) });
    } catch {
      // Left for the next sweep.
    }
  }
}

function foldedOf(window: Item, folded: unknown): FoldedReminder[] {
  if (folded === undefined) return [];
  if (!Array.isArray(folded)) return recordOf(window, 'reminder window', { folded: 'array' });
  return folded.map((reminder: Item) =>
    recordOf<FoldedReminder>(reminder, `folded reminder of ${String(window.pk)}`, FOLDED_REMINDER_SHAPE),
  );
}
