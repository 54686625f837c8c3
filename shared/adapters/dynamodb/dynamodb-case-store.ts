/** Cases on the table: the case item (versioned), its timeline and its index entries; every change one transaction. */
import { EventIdTaken, IdempotencyKeyTaken, InvalidCursor, VersionConflict } from '../../domain/errors';
import type { Case, TimelineEntry } from '../../domain/types';
import type { CaseChange, CasePage, CaseQuery, CaseStore, StoredCase, TimelinePage, WaitingTask } from '../../ports/cases';
import type { IdempotencyClaim } from '../../ports/guards';
import { counterUpdates } from './counter-writes';
import { cursorPositions, type PageCursors, type Positions } from './cursors';
import { idempotencyPut } from './dynamodb-guards';
import { withIntentsThatFit } from './dynamodb-owed-sms';
import { storeIntents } from './dynamodb-sms-intents';
import { CASE_SHAPE, recordOf, TIMELINE_SHAPE, WAITING_TASK_SHAPE } from './records';
import { conditionFailed, type Item, type SingleTable, type TransactItem } from './single-table';
import { caseIndexAttributes, GSI, keys } from './table-design';
import { mergedQuery } from './merged-query';
import { listIndex, listPartitions, unitQuery } from './unit-query';

/** The list a timeline cursor is signed for: the case's (its status is this name). */
const TIMELINE_CURSOR = 'timeline';
const timelineList = (id: string) => `${TIMELINE_CURSOR} ${id}`;
/** The list a case list's cursor is signed for: the query without its page (the same filters, any limit). */
const caseList = ({ limit: _limit, cursor: _cursor, ...filters }: CaseQuery) => `cases ${JSON.stringify(filters)}`;
/** A case awaiting its lifecycle is in byUnstarted; its first wait clears the mark (see saveWaitingTask). */
const UNSTARTED_KEYS = [GSI.byUnstarted.partitionKey, GSI.byUnstarted.sortKey] as const;

export class DynamoDbCaseStore implements CaseStore {
  constructor(
    private readonly table: SingleTable,
    private readonly cursors: PageCursors,
  ) {}

  async create(change: CaseChange, idempotency?: IdempotencyClaim): Promise<void> {
    const items: TransactItem[] = [];
    if (idempotency) items.push(idempotencyPut(this.table.name, idempotency, { eventId: change.case.id }));
    const caseIndex = items.length;
    items.push(
      this.casePut(change, 'attribute_not_exists(pk)'),
      ...this.timelinePuts(change),
      ...counterUpdates(this.table.name, change.counters, change.case.id),
    );
    const owed = withIntentsThatFit(this.table.name, items, change.messages ?? []);
    await this.table.transact(items, (reasons) => {
      if (idempotency && conditionFailed(reasons[0])) throw new IdempotencyKeyTaken(idempotency.key);
      if (conditionFailed(reasons[caseIndex])) throw new EventIdTaken(change.case.id);
    });
    await storeIntents(this.table, owed);
  }

  async apply(change: CaseChange, ...others: CaseChange[]): Promise<void> {
    const changes = [change, ...others];
    const items = changes.flatMap((each) => {
      if (each.expectedVersion === undefined) throw new Error('apply() needs the version each change was computed from');
      return [this.casePut(each, 'version = :expected', { ':expected': each.expectedVersion }), ...this.timelinePuts(each)];
    });
    // The changes' counters merged: one transaction may not touch an item twice.
    items.push(
      ...counterUpdates(
        this.table.name,
        changes.flatMap((each) => each.counters),
        change.case.id,
      ),
    );
    // The SMS the changes cause commit with them: those with no room in the transaction packed, stored after it.
    const owed = withIntentsThatFit(
      this.table.name,
      items,
      changes.flatMap((each) => each.messages ?? []),
    );
    await this.table.transact(items, (reasons) => {
      // Any case's version check failing (or colliding) means: read again and decide again.
      const caseFailed = reasons.some(
        (reason, index) => (conditionFailed(reason) || reason.Code === 'TransactionConflict') && isCasePut(items[index]),
      );
      if (caseFailed) throw new VersionConflict(change.case.id);
    });
    await storeIntents(this.table, owed);
  }

  async appendComment(comment: TimelineEntry & { id: string }): Promise<void> {
    // One PutItem, conditioned: a replay (the local journal's, or a retried request's) fails once it is written.
    await this.table.put({
      Item: { ...comment, ...keys.timelineEntry(comment), itemType: 'timeline' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async get(id: string): Promise<StoredCase | undefined> {
    const item = await this.table.get(keys.event(id), true);
    if (!item) return undefined;
    const theCase = caseOf(item);
    if (!item.waitingTask) return { case: theCase };
    return {
      case: theCase,
      waitingTask: recordOf<WaitingTask>(item.waitingTask as Item, `waiting task of case ${id}`, WAITING_TASK_SHAPE),
    };
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
      ExpressionAttributeValues: { ':pk': keys.event(id).pk, ':tl': keys.timelinePrefix },
      ConsistentRead: true,
    });
    return items.map((item) => recordOf<TimelineEntry>(item, 'timeline entry', TIMELINE_SHAPE));
  }

  async timelinePage(id: string, limit: number, cursor?: string): Promise<TimelinePage> {
    const { pk } = keys.event(id);
    const start = cursor ? this.cursors.startKey(timelineList(id), cursor) : undefined;
    if (start && (start.pk !== pk || typeof start.sk !== 'string' || !start.sk.startsWith(keys.timelinePrefix)))
      throw new InvalidCursor('is not one this API returned for this case');
    // Newest first, one more than asked: whether older entries remain, without an empty last page.
    const { Items = [] } = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
      ExpressionAttributeValues: { ':pk': pk, ':tl': keys.timelinePrefix },
      ScanIndexForward: false,
      Limit: limit + 1,
      ConsistentRead: true,
      ...(start ? { ExclusiveStartKey: { pk, sk: start.sk } } : {}),
    });
    const page = Items.slice(0, limit).reverse();
    const oldest = page[0];
    return {
      entries: page.map((item) => recordOf<TimelineEntry>(item, 'timeline entry', TIMELINE_SHAPE)),
      ...(Items.length > limit && oldest
        ? { olderCursor: this.cursors.keyCursor(timelineList(id), TIMELINE_CURSOR, { pk, sk: oldest.sk }) }
        : {}),
    };
  }

  async list(query: CaseQuery): Promise<CasePage> {
    const statuses = query.status ? [query.status] : (['open', 'closed'] as const);
    const list = caseList(query);
    const cursor = query.cursor ? this.cursors.read(list, query.cursor) : undefined;
    const from = cursor ? statuses.indexOf(cursor.status as 'open') : 0;
    if (from < 0) throw new InvalidCursor('is not one this API returned');
    const items: Case[] = [];
    for (const [position, status] of statuses.slice(from).entries()) {
      // A list of one status: its partitions (a district's street shards) merged in the index's order.
      const start: Positions = position === 0 && cursor ? cursorPositions(cursor) : {};
      const filtered = unitQuery(query, status, '').FilterExpression !== undefined;
      const page = await mergedQuery(
        this.table,
        listIndex(query, status),
        listPartitions(query, status),
        (partition, pageSize) => ({ ...unitQuery(query, status, partition), Limit: pageSize }),
        query.limit - items.length,
        start,
        filtered,
      );
      items.push(...page.items.map(caseOf));
      if (page.next) return { items, nextCursor: this.cursors.mergedCursor(list, status, page.next) };
      const later = statuses[from + position + 1];
      if (items.length === query.limit) return { items, ...(later ? { nextCursor: this.cursors.mergedCursor(list, later, {}) } : {}) };
    }
    return { items };
  }

  async saveWaitingTask(eventId: string, expectedVersion: number, task: WaitingTask): Promise<boolean> {
    return this.table.ifCondition(() =>
      this.table.update({
        Key: keys.event(eventId),
        // The version moves too, so an action that read the old token retries and sees the new one; the
        // lifecycle waits on the case now, so the sweeper need not start it.
        UpdateExpression: `SET waitingTask = :task, version = version + :one REMOVE awaitingLifecycle, ${UNSTARTED_KEYS.join(', ')}`,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':task': task, ':one': 1, ':expected': expectedVersion },
      }),
    );
  }

  async clearWaitingTask(eventId: string, token: string): Promise<boolean> {
    return this.table.ifCondition(() =>
      this.table.update({
        Key: keys.event(eventId),
        UpdateExpression: 'REMOVE waitingTask SET version = version + :one',
        ConditionExpression: 'waitingTask.#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token, ':one': 1 },
      }),
    );
  }

  private casePut(change: CaseChange, condition: string, values?: Record<string, unknown>): TransactItem {
    return {
      Put: {
        TableName: this.table.name,
        Item: caseItem(change.case, change.waitingTask),
        ConditionExpression: condition,
        ...(values ? { ExpressionAttributeValues: values } : {}),
      },
    };
  }

  /** The timeline entries that commit with the case. */
  private timelinePuts(change: CaseChange): TransactItem[] {
    return change.timeline.map((entry) => ({
      Put: {
        TableName: this.table.name,
        Item: { ...entry, ...keys.timelineEntry(entry), itemType: 'timeline' },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
  }
}

function isCasePut(item: TransactItem | undefined): boolean {
  return item?.Put?.Item?.itemType === 'event';
}

/** A case as the table holds it: its keys, its index keys, and the workflow task waiting on it. */
export function caseItem(theCase: Case, waitingTask?: WaitingTask | null): Item {
  return {
    ...theCase,
    ...keys.event(theCase.id),
    itemType: 'event',
    ...caseIndexAttributes(theCase),
    ...(waitingTask ? { waitingTask } : {}),
  };
}

export function caseOf(item: Item): Case {
  return recordOf<Case>(item, 'case', CASE_SHAPE, ['waitingTask']);
}
