/** The event store on one DynamoDB table (see table-design.ts). Every state change is one TransactWriteItems. */
import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { badRequest, EventIdTaken, IdempotencyKeyTaken, VersionConflict } from '../../domain/errors';
import type { Case, TimelineEntry } from '../../domain/types';
import type { ReportKind } from '../../domain/periods';
import type { Report } from '../../core/reports/build-report';
import type { Patrol } from '../../domain/patrols';
import type { Campaign, CampaignResponse, CampaignSummary } from '../../domain/campaigns';
import type {
  CounterIncrement,
  DueDigest,
  CaseChange,
  CasePage,
  CaseQuery,
  EventStore,
  FoldedReminder,
  IdempotencyClaim,
  ReminderWindow,
  StoredCase,
  WaitingTask,
} from '../../ports';
import { assigneeKey } from '../../domain/routing';
import { geohash, NEARBY_PRECISION } from '../../domain/geohash';
import { counterPart, GSI, keys, TTL_ATTRIBUTE } from './table-design';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'waitingTask',
  'itemType',
] as const;
/** Transactions that collide with another one on the same item are retried this many times. */
const CONFLICT_RETRIES = 5;

/** Reminder items (see table-design.ts): one window per phone, and the due list of digests in one partition. */
const reminderKeys = {
  window: (phone: string) => ({ pk: `REMIND#${phone}`, sk: 'REMIND' }),
  dueList: 'DIGESTS',
  due: (dueAt: string, phone: string) => ({ pk: 'DIGESTS', sk: `${dueAt}#${phone}` }),
};

/** Patrol and campaign items (see table-design.ts). */
const fieldKeys = {
  patrol: (patrol: Patrol) => ({
    pk: `PATROLS#${patrol.unitCode.slice(0, 6)}#${patrol.day}`,
    sk: `${patrol.unitCode}#${new Date(patrol.at).toISOString()}#${patrol.id}`,
  }),
  patrols: (district: string, day: string) => `PATROLS#${district}#${day}`,
  marker: (grid: string, day: string) => ({ pk: `PATROLLED#${grid.slice(0, 6)}#${day}`, sk: grid }),
  markers: (district: string, day: string) => `PATROLLED#${district}#${day}`,
  once: (key: string) => ({ pk: `ONCE#${key}`, sk: 'ONCE' }),
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  response: (id: string, person: string) => ({ pk: `CAMPAIGN#${id}`, sk: `RESP#${person}` }),
  campaignIndex: (campaign: Pick<Campaign, 'id' | 'district' | 'deadlineAt'>) => ({
    pk: `CAMPAIGNS#${campaign.district}`,
    sk: `${new Date(campaign.deadlineAt).toISOString()}#${campaign.id}`,
  }),
};
/** A day's patrol markers are kept about 13 months (the list of a past day still shows its coverage). */
const MARKER_KEEP_SECONDS = 400 * 86_400;
/** Patrols of one grid, answers to one campaign: concurrent writers share counter items, so retry longer. */
const FIELD_CONFLICT_RETRIES = 12;

export class DynamoDbEventStore implements EventStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async create(change: CaseChange, idempotency?: IdempotencyClaim): Promise<void> {
    const items: TransactItem[] = [];
    if (idempotency) items.push(this.idempotencyPut(idempotency, { eventId: change.event.id }));
    const eventIndex = items.length;
    items.push(this.eventPut(change, 'attribute_not_exists(pk)'), ...this.timelinePuts(change), ...this.counterUpdates(change.counters));
    await this.transact(items, (reasons) => {
      if (idempotency && reasons[0]?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyTaken(idempotency.key);
      if (reasons[eventIndex]?.Code === 'ConditionalCheckFailed') throw new EventIdTaken(change.event.id);
    });
  }

  async apply(change: CaseChange, ...others: CaseChange[]): Promise<void> {
    const changes = [change, ...others];
    const items = changes.flatMap((each) => {
      if (each.expectedVersion === undefined) throw new Error('apply() needs the version each change was computed from');
      return [this.eventPut(each, 'version = :expected', { ':expected': each.expectedVersion }), ...this.timelinePuts(each)];
    });
    // The changes' counters merged: one transaction may not touch an item twice.
    items.push(...this.counterUpdates(changes.flatMap((each) => each.counters)));
    await this.transact(items, (reasons) => {
      // Any event's version check failing (or colliding) means: read again and decide again.
      const eventFailed = reasons.some(
        (reason, index) => (reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict') && isEventPut(items[index]),
      );
      if (eventFailed) throw new VersionConflict(change.event.id);
    });
  }

  async get(id: string): Promise<StoredCase | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.event(id), ConsistentRead: true }));
    if (!Item) return undefined;
    return { event: eventOf(Item), ...(Item.waitingTask ? { waitingTask: Item.waitingTask as WaitingTask } : {}) };
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
      ExpressionAttributeValues: { ':pk': keys.event(id).pk, ':tl': 'TL#' },
      ConsistentRead: true,
    });
    return items.map((item) => stripKeys(item) as unknown as TimelineEntry);
  }

  async list(query: CaseQuery): Promise<CasePage> {
    const statuses = query.status ? [query.status] : (['open', 'closed'] as const);
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const items: Case[] = [];
    for (const status of statuses.slice(cursor ? statuses.indexOf(cursor.status as 'open') : 0)) {
      let startKey = cursor?.status === status ? cursor.key : undefined;
      do {
        const page = await this.documents.send(new QueryCommand({ ...this.unitQuery(query, status), ExclusiveStartKey: startKey }));
        for (const item of page.Items ?? []) {
          items.push(eventOf(item));
          if (items.length === query.limit) {
            const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.at(-1) || status !== statuses.at(-1);
            return { items, ...(more ? { nextCursor: encodeCursor(status, pickKeys(item)) } : {}) };
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return { items };
  }

  async openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI.byAssignee.name,
        KeyConditionExpression: `${GSI.byAssignee.partitionKey} = :key`,
        ExpressionAttributeValues: { ':key': handlerKey },
        Limit: limit,
        ExclusiveStartKey: cursor ? decodeCursor(cursor).key : undefined,
      }),
    );
    return {
      items: (page.Items ?? []).map(eventOf),
      ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor('open', page.LastEvaluatedKey) } : {}),
    };
  }

  async mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage> {
    const items: Case[] = [];
    let startKey = cursor ? decodeCursor(cursor).key : undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI.byUrgency.name,
          KeyConditionExpression: `${GSI.byUrgency.partitionKey} = :pk`,
          ...(unitPrefix.length > 6 ? { FilterExpression: 'begins_with(gridCode, :unit)' } : {}),
          ExpressionAttributeValues: { ':pk': `${unitPrefix.slice(0, 6)}#open`, ...(unitPrefix.length > 6 ? { ':unit': unitPrefix } : {}) },
          // A town or community filters the district's index; the district reads exactly what it returns.
          Limit: unitPrefix.length > 6 ? Math.min(Math.max(limit * 2, 25), 200) : Math.min(limit, 200),
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        items.push(eventOf(item));
        if (items.length === limit) {
          const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.at(-1);
          const key = {
            pk: item.pk,
            sk: item.sk,
            [GSI.byUrgency.partitionKey]: item[GSI.byUrgency.partitionKey],
            [GSI.byUrgency.sortKey]: item[GSI.byUrgency.sortKey],
          };
          return { items, ...(more ? { nextCursor: encodeCursor('open', key) } : {}) };
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { items };
  }

  async *unstartedEvents(district: string, createdBefore: string): AsyncIterable<string> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI.byUnstarted.name,
          KeyConditionExpression: `${GSI.byUnstarted.partitionKey} = :pk AND ${GSI.byUnstarted.sortKey} < :before`,
          ExpressionAttributeValues: { ':pk': `${district}#unstarted`, ':before': createdBefore },
          Limit: 100,
          ExclusiveStartKey: startKey,
        }),
      );
      yield* (page.Items ?? []).map((item) => String(item.id));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async saveReport(report: Report): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.report(report.kind, report.scope.code, report.period.label), itemType: 'report', report },
      }),
    );
  }

  async getReport(kind: ReportKind, scopeCode: string, period: string): Promise<Report | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.report(kind, scopeCode, period) }));
    return Item?.report as Report | undefined;
  }

  async countOpen(unitPrefix: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI.byUnit.name,
          KeyConditionExpression: `${GSI.byUnit.partitionKey} = :pk AND begins_with(${GSI.byUnit.sortKey}, :unit)`,
          ExpressionAttributeValues: { ':pk': `${unitPrefix.slice(0, 6)}#open`, ':unit': unitPrefix },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async recentOpenOfItemNear(itemCode: string, cells: string[], since: string): Promise<Case[]> {
    const perCell = await Promise.all(
      cells.map((cell) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: GSI.byPlace.name,
          KeyConditionExpression: `${GSI.byPlace.partitionKey} = :place AND ${GSI.byPlace.sortKey} >= :since`,
          ExpressionAttributeValues: { ':place': placeKey(itemCode, cell), ':since': since },
        }),
      ),
    );
    return perCell.flat().map(eventOf);
  }

  async findByIdempotencyKey(key: string): Promise<{ eventId?: string; patrol?: Patrol; bodyHash: string } | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(key), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      ...(Item.eventId ? { eventId: Item.eventId as string } : {}),
      ...(Item.patrol ? { patrol: Item.patrol as Patrol } : {}),
      bodyHash: Item.bodyHash as string,
    };
  }

  async saveWaitingTask(eventId: string, expectedVersion: number, task: WaitingTask): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.event(eventId),
          // The version moves too, so an action that read the old token retries and sees the new one; the
          // lifecycle waits on the case now, so the sweeper need not start it.
          UpdateExpression: `SET waitingTask = :task, version = version + :one REMOVE awaitingLifecycle, ${UNSTARTED_KEYS.join(', ')}`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':task': task, ':one': 1, ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async countHit(bucket: string, expiresAt: Date): Promise<number> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rate(bucket),
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.floor(expiresAt.getTime() / 1000) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.hits ?? 1);
  }

  async readCounters(
    scope: CounterIncrement['scope'],
    fromDay: string,
    toDay: string,
  ): Promise<{ day: string; counts: Record<string, number> }[]> {
    const { pk } = keys.counters(scope.kind, scope.code, fromDay, '');
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // `~` sorts after `#<part>`: the last day's parts are in the range.
      ExpressionAttributeValues: { ':pk': pk, ':from': `DAY#${fromDay}`, ':to': `DAY#${toDay}~` },
    });
    // The day's parts, merged back into one set of counts per day.
    const days = new Map<string, Record<string, number>>();
    for (const { pk: _pk, sk, itemType: _type, scope: _scope, day: _day, ...counts } of items) {
      const day = String(sk).slice(4, 14);
      days.set(day, Object.assign(days.get(day) ?? {}, counts));
    }
    return [...days].map(([day, counts]) => ({ day, counts }));
  }

  async reminderWindow(phone: string): Promise<ReminderWindow | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: reminderKeys.window(phone), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { phone, endsAt: Item.endsAt as string, folded: (Item.folded as FoldedReminder[] | undefined) ?? [] };
  }

  async openReminderWindow(
    phone: string,
    seenEndsAt: string | undefined,
    endsAt: Date,
    expiresAt: Date,
  ): Promise<FoldedReminder[] | undefined> {
    return this.replaceReminderWindow(phone, seenEndsAt, endsAt, expiresAt, false);
  }

  async foldReminder(phone: string, seenEndsAt: string, reminder: FoldedReminder, expiresAt: Date): Promise<boolean> {
    const ttl = Math.floor(expiresAt.getTime() / 1000);
    // Listed as due first, folded second: a digest is never pending without its due entry. Not one
    // transaction: concurrent transactions on one hot phone item cancel each other (TransactionConflict),
    // while plain conditional updates just queue. A due entry whose fold then fails is stale, and the
    // sweep that finds it drops it (takeDueDigest).
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...reminderKeys.due(seenEndsAt, phone), itemType: 'digest_due', phone, dueAt: seenEndsAt, [TTL_ATTRIBUTE]: ttl },
      }),
    );
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reminderKeys.window(phone),
          UpdateExpression: 'SET folded = list_append(if_not_exists(folded, :none), :reminder), #ttl = :ttl',
          ConditionExpression: 'endsAt = :seen',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':none': [], ':reminder': [reminder], ':seen': seenEndsAt, ':ttl': ttl },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async dueReminderDigests(now: Date, limit: number, after?: DueDigest): Promise<DueDigest[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        // `#` sorts before the digits and `+` of a phone, `~` after them: every entry due at or before now.
        KeyConditionExpression: 'pk = :list AND sk <= :upTo',
        ExpressionAttributeValues: { ':list': reminderKeys.dueList, ':upTo': `${now.toISOString()}#~` },
        ConsistentRead: true,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: reminderKeys.due(after.dueAt, after.phone) } : {}),
      }),
    );
    return (Items ?? []).map((item) => ({ phone: item.phone as string, dueAt: item.dueAt as string }));
  }

  async takeDueDigest(due: DueDigest, endsAt: Date, expiresAt: Date): Promise<FoldedReminder[]> {
    const folded = await this.replaceReminderWindow(due.phone, due.dueAt, endsAt, expiresAt, true);
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
  private async replaceReminderWindow(
    phone: string,
    seenEndsAt: string | undefined,
    endsAt: Date,
    expiresAt: Date,
    onlyWithFolded: boolean,
  ): Promise<FoldedReminder[] | undefined> {
    const values: Record<string, unknown> = {
      ':phone': phone,
      ':endsAt': endsAt.toISOString(),
      ':ttl': Math.floor(expiresAt.getTime() / 1000),
      ':type': 'reminder_window',
    };
    let condition = 'attribute_not_exists(pk)';
    if (seenEndsAt !== undefined) {
      values[':seen'] = seenEndsAt;
      // `folded` is never stored empty: it is absent until the first fold and removed by every take.
      condition = onlyWithFolded ? 'endsAt = :seen AND attribute_exists(folded)' : 'endsAt = :seen';
    }
    let old: Record<string, unknown> | undefined;
    try {
      ({ Attributes: old } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reminderKeys.window(phone),
          UpdateExpression: 'SET itemType = :type, phone = :phone, endsAt = :endsAt, #ttl = :ttl REMOVE folded',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      ));
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
    const folded = (old?.folded as FoldedReminder[] | undefined) ?? [];
    if (folded.length > 0 && seenEndsAt !== undefined) await this.forgetDueDigest(seenEndsAt, phone);
    return folded;
  }

  /**
   * Removes a due entry. After a take it must not throw (the caller holds reminders only it can send):
   * an entry left behind is stale, and the next sweep drops it.
   */
  private async forgetDueDigest(dueAt: string, phone: string): Promise<void> {
    try {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: reminderKeys.due(dueAt, phone) }));
    } catch {
      // Left for the next sweep.
    }
  }

  async savePatrol(
    patrol: Patrol,
    counters: CounterIncrement[],
    firstOfDay?: { grid: string; day: string; counters: CounterIncrement[] },
    idempotency?: IdempotencyClaim,
  ): Promise<{ firstOfDay: boolean }> {
    let first = Boolean(firstOfDay);
    for (let attempt = 0; ; attempt++) {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...patrol, ...(firstOfDay ? { firstOfDay: first } : {}), ...fieldKeys.patrol(patrol), itemType: 'patrol' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (first && firstOfDay) {
        items.push({
          Put: {
            TableName: this.tableName,
            Item: {
              ...fieldKeys.marker(firstOfDay.grid, firstOfDay.day),
              itemType: 'patrol_marker',
              grid: firstOfDay.grid,
              day: firstOfDay.day,
              patrolId: patrol.id,
              at: patrol.at,
              [TTL_ATTRIBUTE]: Math.floor(Date.parse(`${firstOfDay.day}T00:00:00+08:00`) / 1000) + MARKER_KEEP_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      items.push(...this.counterUpdates(first && firstOfDay ? [...counters, ...firstOfDay.counters] : counters));
      // Last, so the marker keeps its place: the patrol as replied, for a retry with the same key.
      const claimIndex = items.length;
      if (idempotency)
        items.push(this.idempotencyPut(idempotency, { patrol: { ...patrol, ...(firstOfDay ? { firstOfDay: first } : {}) } }));
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
        return { firstOfDay: first };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (idempotency && reasons[claimIndex]?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyTaken(idempotency.key);
        // The grid was patrolled already today: store this patrol without the marker and its counters.
        if (first && reasons[1]?.Code === 'ConditionalCheckFailed') {
          first = false;
          continue;
        }
        if (!isConflictOnly(reasons) || attempt >= FIELD_CONFLICT_RETRIES) throw error;
        await backOff(attempt);
      }
    }
  }

  async patrolsOn(unitPrefix: string, day: string, limit: number, cursor?: string): Promise<{ items: Patrol[]; nextCursor?: string }> {
    const pk = fieldKeys.patrols(unitPrefix.slice(0, 6), day);
    const startKey = cursor ? decodeCursor(cursor).key : undefined;
    if (startKey && (startKey.pk !== pk || !String(startKey.sk).startsWith(unitPrefix))) {
      throw badRequest('cursor belongs to another unit or day', [{ field: 'cursor', message: 'invalid' }]);
    }
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :unit)',
        ExpressionAttributeValues: { ':pk': pk, ':unit': unitPrefix },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (page.Items ?? []).map((item) => stripKeys(item) as unknown as Patrol);
    return {
      items,
      ...(page.LastEvaluatedKey
        ? { nextCursor: encodeCursor('patrols', { pk: page.LastEvaluatedKey.pk, sk: page.LastEvaluatedKey.sk }) }
        : {}),
    };
  }

  async patrolledGrids(district: string, day: string): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': fieldKeys.markers(district, day) },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return items.map((item) => String(item.sk));
  }

  async claimOnce(key: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...fieldKeys.once(key), itemType: 'once', [TTL_ATTRIBUTE]: Math.floor(expiresAt.getTime() / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async createCampaign(campaign: Campaign): Promise<void> {
    const summary: CampaignSummary = {
      id: campaign.id,
      title: campaign.title,
      deadlineAt: campaign.deadlineAt,
      units: campaign.units,
      createdBy: campaign.createdBy,
      creatorUnits: campaign.creatorUnits,
      createdAt: campaign.createdAt,
      targets: campaign.targets.length,
      responded: 0,
    };
    await this.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...campaign, ...fieldKeys.campaign(campaign.id), itemType: 'campaign' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...summary, ...fieldKeys.campaignIndex(campaign), itemType: 'campaign_index' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async getCampaign(id: string): Promise<{ campaign: Campaign; responses: CampaignResponse[] } | undefined> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': fieldKeys.campaign(id).pk },
      ConsistentRead: true,
    });
    const campaign = items.find((item) => item.sk === 'CAMPAIGN');
    if (!campaign) return undefined;
    const responses = items
      .filter((item) => String(item.sk).startsWith('RESP#'))
      .map((item) => stripKeys(item) as unknown as CampaignResponse);
    return { campaign: stripKeys(campaign) as unknown as Campaign, responses };
  }

  async saveCampaignResponse(
    campaign: Campaign,
    answer: Omit<CampaignResponse, 'firstAt' | 'responses'>,
  ): Promise<{ response: CampaignResponse; first: boolean }> {
    const key = fieldKeys.response(campaign.id, answer.person);
    for (let attempt = 0; ; attempt++) {
      const response: CampaignResponse = { ...answer, firstAt: answer.at, responses: 1 };
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...response, ...key, itemType: 'campaign_response' },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.tableName,
                  Key: fieldKeys.campaignIndex(campaign),
                  UpdateExpression: 'ADD responded :one',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        );
        return { response, first: true };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') break; // answered before: replace below
        if (!isConflictOnly(reasons) || attempt >= FIELD_CONFLICT_RETRIES) throw error;
        await backOff(attempt);
      }
    }
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET note = :note, photos = :photos, done = :done, #at = :at ADD responses :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':note': answer.note, ':photos': answer.photos, ':done': answer.done, ':at': answer.at, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { response: stripKeys(Attributes ?? {}) as unknown as CampaignResponse, first: false };
  }

  async campaignsByDeadline(district: string, from: string, to: string): Promise<CampaignSummary[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      // `#` sorts before the id's letters, `~` after: every deadline from `from` up to and including `to`.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `CAMPAIGNS#${district}`, ':from': from, ':to': `${to}~` },
    });
    return items.map((item) => stripKeys(item) as unknown as CampaignSummary);
  }

  /** Every item a query matches, page after page (for small partitions: a timeline, a month of counters). */
  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private eventPut(change: CaseChange, condition: string, values?: Record<string, unknown>): TransactItem {
    const { event } = change;
    // The handler index holds only cases waiting on their handler (sparse: nothing else is written to it).
    const assigned = (event.stage === 'routed' || event.stage === 'handling') && event.assignee;
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...event,
          ...keys.event(event.id),
          itemType: 'event',
          [GSI.byUnit.partitionKey]: `${event.gridCode.slice(0, 6)}#${event.status}`,
          [GSI.byUnit.sortKey]: `${event.gridCode}#${event.createdAt}#${event.id}`,
          ...(assigned && event.assignee
            ? {
                [GSI.byAssignee.partitionKey]: assigneeKey(event.assignee),
                [GSI.byAssignee.sortKey]: `${event.deadlineAt ?? '9999'}#${event.id}`,
              }
            : {}),
          ...(event.status === 'open'
            ? {
                [GSI.byUrgency.partitionKey]: `${event.gridCode.slice(0, 6)}#open`,
                [GSI.byUrgency.sortKey]: `${event.severity}#${event.deadlineAt ?? NO_DEADLINE}#${event.id}`,
              }
            : {}),
          ...(event.status === 'open' && event.location && !event.duplicateOf
            ? {
                [GSI.byPlace.partitionKey]: placeKey(event.itemCode, geohash(event.location.lat, event.location.lng, NEARBY_PRECISION)),
                [GSI.byPlace.sortKey]: `${event.createdAt}#${event.id}`,
              }
            : {}),
          ...(event.awaitingLifecycle && event.status === 'open'
            ? {
                [GSI.byUnstarted.partitionKey]: `${event.gridCode.slice(0, 6)}#unstarted`,
                [GSI.byUnstarted.sortKey]: `${event.createdAt}#${event.id}`,
              }
            : {}),
          ...(change.waitingTask ? { waitingTask: change.waitingTask } : {}),
        },
        ConditionExpression: condition,
        ...(values ? { ExpressionAttributeValues: values } : {}),
      },
    };
  }

  /** The claim on an Idempotency-Key, with what a retry replays: put only if the key is new (TTL). */
  private idempotencyPut(claim: IdempotencyClaim, made: { eventId: string } | { patrol: Patrol }): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.idempotency(claim.key),
          itemType: 'idempotency',
          ...made,
          bodyHash: claim.bodyHash,
          [TTL_ATTRIBUTE]: Math.floor(claim.expiresAt.getTime() / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The timeline entries that commit with the event. */
  private timelinePuts(change: CaseChange): TransactItem[] {
    return change.timeline.map((entry) => ({
      Put: {
        TableName: this.tableName,
        Item: { ...entry, ...keys.timeline(entry.eventId, entry.seq), itemType: 'timeline' },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
  }

  /** The increments merged, then one update per counter item they touch (see counterPart). */
  private counterUpdates(increments: CounterIncrement[]): TransactItem[] {
    return mergeIncrements(increments).flatMap((increment) => this.counterItemUpdates(increment));
  }

  private counterItemUpdates(increment: CounterIncrement): TransactItem[] {
    const parts = new Map<string, [string, number][]>();
    // A counter with nothing to add would make an invalid expression: it is left out.
    for (const [name, amount] of Object.entries(increment.counts)) {
      const part = counterPart(name);
      parts.set(part, [...(parts.get(part) ?? []), [name, amount]]);
    }
    return [...parts].map(([part, counts]) => {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {
        ':scope': `${increment.scope.kind}:${increment.scope.code}`,
        ':day': increment.day,
        ':type': 'counters',
      };
      const additions = counts.map(([name, amount], index) => {
        names[`#c${index}`] = name;
        values[`:c${index}`] = amount;
        return `#c${index} :c${index}`;
      });
      return {
        Update: {
          TableName: this.tableName,
          Key: keys.counters(increment.scope.kind, increment.scope.code, increment.day, part),
          UpdateExpression: `SET #scope = :scope, #day = :day, itemType = :type ADD ${additions.join(', ')}`,
          ExpressionAttributeNames: { ...names, '#scope': 'scope', '#day': 'day' },
          ExpressionAttributeValues: values,
        },
      };
    });
  }

  private unitQuery(query: CaseQuery, status: string): QueryCommandInput {
    const values: Record<string, unknown> = { ':pk': `${query.unitPrefix.slice(0, 6)}#${status}` };
    const names: Record<string, string> = {};
    const filters: string[] = [];
    let keyCondition: string;
    if (query.unitPrefix.length === 15 && (query.from || query.to)) {
      // A grid's events are in time order within its key range.
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
      TableName: this.tableName,
      IndexName: GSI.byUnit.name,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeValues: values,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      // Without a filter a page of `limit` is exactly what is returned; a filter drops some of what is read.
      Limit: filters.length ? Math.min(Math.max(query.limit * 2, 25), 200) : Math.min(query.limit, 200),
    };
  }

  private async transact(items: TransactItem[], onCancelled: (reasons: { Code?: string }[]) => void): Promise<void> {
    if (items.length > MAX_TRANSACTION_ITEMS)
      throw new Error(`A change of ${items.length} items is over DynamoDB's ${MAX_TRANSACTION_ITEMS} items per transaction`);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) && (error as Error).name !== 'TransactionCanceledException') throw error;
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        onCancelled(reasons);
        const conflictOnly =
          reasons.some((reason) => reason.Code === 'TransactionConflict') &&
          reasons.every((reason) => !reason.Code || reason.Code === 'None' || reason.Code === 'TransactionConflict');
        if (!conflictOnly || attempt >= CONFLICT_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }
}

/** The reasons a transaction was cancelled, or undefined if the error is something else. */
function cancellationReasons(error: unknown): { Code?: string }[] | undefined {
  if (!(error instanceof TransactionCanceledException) && (error as Error)?.name !== 'TransactionCanceledException') return undefined;
  return (error as TransactionCanceledException).CancellationReasons ?? [];
}

/** Cancelled only because another transaction touched the same items at the same moment. */
function isConflictOnly(reasons: { Code?: string }[]): boolean {
  return (
    reasons.some((reason) => reason.Code === 'TransactionConflict') &&
    reasons.every((reason) => !reason.Code || reason.Code === 'None' || reason.Code === 'TransactionConflict')
  );
}

function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(400, 10 * 2 ** attempt)));
}

/** One update per counter item: a transaction may not touch an item twice. */
const MAX_TRANSACTION_ITEMS = 100;

/** byPlace's partition: an item in a cell of about 1.2 km × 0.6 km (see nearbyCells). */
function placeKey(itemCode: string, cell: string): string {
  return `${itemCode}#${cell}`;
}
/** Sorts an open case without a deadline after every dated one of its level in byUrgency. */
const NO_DEADLINE = '9999';
/** An event awaiting its lifecycle is in byUnstarted; its first wait clears the mark (see saveWaitingTask). */
const UNSTARTED_KEYS = [GSI.byUnstarted.partitionKey, GSI.byUnstarted.sortKey] as const;

function mergeIncrements(increments: CounterIncrement[]): CounterIncrement[] {
  const merged = new Map<string, CounterIncrement>();
  for (const increment of increments) {
    const key = `${increment.scope.kind}#${increment.scope.code}#${increment.day}`;
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { ...increment, counts: { ...increment.counts } });
      continue;
    }
    for (const [name, amount] of Object.entries(increment.counts)) existing.counts[name] = (existing.counts[name] ?? 0) + amount;
  }
  return [...merged.values()];
}

function isEventPut(item: TransactItem | undefined): boolean {
  return item?.Put?.Item?.itemType === 'event';
}

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy;
}

function eventOf(item: Record<string, unknown>): Case {
  return stripKeys(item) as unknown as Case;
}

function pickKeys(item: Record<string, unknown>): Record<string, unknown> {
  return {
    pk: item.pk,
    sk: item.sk,
    [GSI.byUnit.partitionKey]: item[GSI.byUnit.partitionKey],
    [GSI.byUnit.sortKey]: item[GSI.byUnit.sortKey],
  };
}

function encodeCursor(status: string, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ status, key })).toString('base64url');
}

function decodeCursor(cursor: string): { status: string; key: Record<string, unknown> } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed?.status !== 'string' || typeof parsed?.key !== 'object') throw new Error('shape');
    return parsed;
  } catch {
    throw badRequest('cursor is not one this API returned', [{ field: 'cursor', message: 'invalid' }]);
  }
}
