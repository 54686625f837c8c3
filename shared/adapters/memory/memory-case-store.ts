/** Cases in memory, with the same lists as the DynamoDB store's indexes (membership from shared/domain/case-lists.ts). */
import { awaitsLifecycle, isDuplicateCandidate, isOpenCase, waitsOnHandler } from '../../domain/case-lists';
import { EventIdTaken, IdempotencyKeyTaken, InvalidCursor, VersionConflict } from '../../domain/errors';
import { geohash, NEARBY_PRECISION } from '../../domain/geohash';
import { assigneeKey } from '../../domain/routing';
import type { Case, Status, TimelineEntry } from '../../domain/types';
import type { CaseChange, CasePage, CaseQuery, CaseStore, NearbyCase, StoredCase, WaitingTask } from '../../ports/cases';
import type { IdempotencyClaim } from '../../ports/guards';
import { byKey, copy, decodeCursor, type MemoryTable, pageOf } from './memory-table';
import { levelOfCode } from '../../domain/unit-codes';

/** Sorts a case without a deadline after every dated one. */
const NO_DEADLINE = '9999';

export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, StoredCase>();
  private readonly timelines = new Map<string, Map<number, TimelineEntry>>();

  constructor(private readonly table: MemoryTable) {}

  async create(change: CaseChange, idempotency?: IdempotencyClaim): Promise<void> {
    if (idempotency && this.table.claims.has(idempotency.key)) throw new IdempotencyKeyTaken(idempotency.key);
    if (this.cases.has(change.event.id)) throw new EventIdTaken(change.event.id);
    this.checkTimeline(change);
    if (idempotency) this.table.claims.set(idempotency.key, { bodyHash: idempotency.bodyHash, eventId: change.event.id });
    this.write(change);
  }

  async apply(change: CaseChange, ...others: CaseChange[]): Promise<void> {
    const changes = [change, ...others];
    for (const each of changes) {
      if (each.expectedVersion === undefined) throw new Error('apply() needs the version each change was computed from');
      if (this.cases.get(each.event.id)?.event.version !== each.expectedVersion) throw new VersionConflict(change.event.id);
      this.checkTimeline(each);
    }
    for (const each of changes) this.write(each);
  }

  async get(id: string): Promise<StoredCase | undefined> {
    return copy(this.cases.get(id));
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    return [...(this.timelines.get(id)?.values() ?? [])].sort((a, b) => a.seq - b.seq).map(copy);
  }

  async list(query: CaseQuery): Promise<CasePage> {
    const statuses: Status[] = query.status ? [query.status] : ['open', 'closed'];
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const from = cursor ? statuses.indexOf(cursor.list as Status) : 0;
    if (from < 0) throw new InvalidCursor('is not one this API returned');
    // One sorted run: open before closed, then by grid, time and id (the DynamoDB index's order).
    const sorted = statuses.slice(from).flatMap((status, index) =>
      byKey(
        this.all()
          .filter((event) => event.status === status && matches(event, query))
          .map((event) => ({ key: `${event.gridCode}#${event.createdAt}#${event.id}`, item: event })),
      ).map((entry) => ({ ...entry, key: `${index}#${entry.key}`, status })),
    );
    const after = cursor ? `0#${cursor.after}` : undefined;
    const rest = after === undefined ? sorted : sorted.filter((entry) => entry.key > after);
    const page = rest.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((entry) => copy(entry.item)),
      ...(rest.length > query.limit && last ? { nextCursor: encodeList(last.status, last.key.slice(last.key.indexOf('#') + 1)) } : {}),
    };
  }

  async saveWaitingTask(eventId: string, expectedVersion: number, task: WaitingTask): Promise<boolean> {
    const stored = this.cases.get(eventId);
    if (stored?.event.version !== expectedVersion) return false;
    const { awaitingLifecycle: _cleared, ...event } = stored.event;
    this.cases.set(eventId, { event: { ...event, version: expectedVersion + 1 }, waitingTask: copy(task) });
    return true;
  }

  async openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage> {
    const entries = this.all()
      .filter((event) => waitsOnHandler(event) && event.assignee && assigneeKey(event.assignee) === handlerKey)
      .map((event) => ({ key: `${event.deadlineAt ?? NO_DEADLINE}#${event.id}`, item: copy(event) }));
    return pageOf(byKey(entries), limit, 'open', cursor ? decodeCursor(cursor).after : undefined);
  }

  async mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage> {
    const entries = this.all()
      .filter((event) => isOpenCase(event) && event.gridCode.startsWith(unitPrefix))
      .map((event) => ({ key: `${event.severity}#${event.deadlineAt ?? NO_DEADLINE}#${event.id}`, item: copy(event) }));
    return pageOf(byKey(entries), limit, 'open', cursor ? decodeCursor(cursor).after : undefined);
  }

  async countOpen(unitPrefix: string): Promise<number> {
    return this.all().filter((event) => isOpenCase(event) && event.gridCode.startsWith(unitPrefix)).length;
  }

  async *unstartedEvents(district: string, createdBefore: string): AsyncIterable<string> {
    const entries = this.all()
      .filter((event) => awaitsLifecycle(event) && event.gridCode.startsWith(district))
      .map((event) => ({ key: `${event.createdAt}#${event.id}`, item: event.id }))
      .filter((entry) => entry.key < createdBefore);
    yield* byKey(entries).map((entry) => entry.item);
  }

  async recentOpenOfItemNear(itemCode: string, cells: string[], since: string): Promise<NearbyCase[]> {
    return this.all()
      .filter((event) => isDuplicateCandidate(event) && event.itemCode === itemCode && `${event.createdAt}#${event.id}` >= since)
      .filter((event) => event.location && cells.includes(geohash(event.location.lat, event.location.lng, NEARBY_PRECISION)))
      .map(({ id, itemCode: item, gridCode, location, createdAt, duplicateOf }) =>
        copy({ id, itemCode: item, gridCode, location, createdAt, ...(duplicateOf ? { duplicateOf } : {}) }),
      );
  }

  private all(): Case[] {
    return [...this.cases.values()].map((stored) => stored.event);
  }

  /** Timeline entries are append-only: one that exists fails the change (as its condition does in DynamoDB). */
  private checkTimeline(change: CaseChange): void {
    for (const entry of change.timeline) {
      if (this.timelines.get(entry.eventId)?.has(entry.seq)) throw new Error(`Timeline entry ${entry.eventId} #${entry.seq} exists`);
    }
  }

  private write(change: CaseChange): void {
    this.cases.set(change.event.id, {
      event: copy(change.event),
      ...(change.waitingTask ? { waitingTask: copy(change.waitingTask) } : {}),
    });
    for (const entry of change.timeline) {
      const entries = this.timelines.get(entry.eventId) ?? new Map<number, TimelineEntry>();
      this.timelines.set(entry.eventId, entries);
      entries.set(entry.seq, copy(entry));
    }
    this.table.counters.add(change.counters);
  }
}

function encodeList(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ list, after })).toString('base64url');
}

/** The list's filters, as the DynamoDB store's key condition and filter expressions apply them. */
function matches(event: Case, query: CaseQuery): boolean {
  if (!event.gridCode.startsWith(query.unitPrefix)) return false;
  if (query.stage && event.stage !== query.stage) return false;
  if (query.tier && event.tier !== query.tier) return false;
  if (query.overdue !== undefined && event.overdue !== query.overdue) return false;
  if (query.severity && event.severity !== query.severity) return false;
  if (query.from && event.createdAt < query.from) return false;
  // A grid's cases are a key range ending at `<to>~` (a time that begins with `to` is still in); a larger unit filters.
  const grid = levelOfCode(query.unitPrefix) === 'grid';
  if (query.to && event.createdAt > query.to && !(grid && event.createdAt.startsWith(query.to))) return false;
  if (query.involvedDepartments?.length && !query.involvedDepartments.some((code) => event.involvedDepartments.includes(code)))
    return false;
  return true;
}
