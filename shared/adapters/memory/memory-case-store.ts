/** Cases in memory; the lists they are on are in memory-case-lists.ts. */
import { EventIdTaken, IdempotencyKeyTaken, InvalidCursor, VersionConflict } from '../../domain/errors';
import type { Case, Status, TimelineEntry } from '../../domain/types';
import type { CaseChange, CasePage, CaseQuery, CaseStore, StoredCase, TimelinePage, WaitingTask } from '../../ports/cases';
import type { IdempotencyClaim } from '../../ports/guards';
import { byKey, copy, decodeCursor, type MemoryTable } from './memory-table';
import { levelOfCode } from '../../domain/unit-codes';
import { timelineOrderKey } from '../../domain/timeline';

export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, StoredCase>();
  /** Per case: entries by their order key (timelineOrderKey), as the table's sort keys order them. */
  private readonly timelines = new Map<string, Map<string, TimelineEntry>>();

  constructor(private readonly table: MemoryTable) {}

  async create(change: CaseChange, idempotency?: IdempotencyClaim): Promise<void> {
    if (idempotency && this.table.claims.has(idempotency.key)) throw new IdempotencyKeyTaken(idempotency.key);
    if (this.cases.has(change.case.id)) throw new EventIdTaken(change.case.id);
    this.checkTimeline(change);
    if (idempotency) this.table.claims.set(idempotency.key, { bodyHash: idempotency.bodyHash, eventId: change.case.id });
    this.write(change);
  }

  async apply(change: CaseChange, ...others: CaseChange[]): Promise<void> {
    const changes = [change, ...others];
    for (const each of changes) {
      if (each.expectedVersion === undefined) throw new Error('apply() needs the version each change was computed from');
      if (this.cases.get(each.case.id)?.case.version !== each.expectedVersion) throw new VersionConflict(change.case.id);
      this.checkTimeline(each);
    }
    for (const each of changes) this.write(each);
  }

  async appendComment(comment: TimelineEntry & { id: string }): Promise<void> {
    if (this.timelines.get(comment.eventId)?.has(timelineOrderKey(comment)))
      throw new Error(`Comment ${comment.eventId} ${comment.id} exists`);
    this.appendEntry(comment);
  }

  async get(id: string): Promise<StoredCase | undefined> {
    return copy(this.cases.get(id));
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    return byKey([...(this.timelines.get(id)?.entries() ?? [])].map(([key, item]) => ({ key, item }))).map((entry) => copy(entry.item));
  }

  async timelinePage(id: string, limit: number, cursor?: string): Promise<TimelinePage> {
    const list = `timeline#${id}`;
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    if (before && before.list !== list) throw new InvalidCursor('is not one this API returned for this case');
    const sorted = byKey([...(this.timelines.get(id)?.entries() ?? [])].map(([key, item]) => ({ key, item })));
    const earlier = before ? sorted.filter((entry) => entry.key < before.after) : sorted;
    const page = earlier.slice(-limit);
    return {
      entries: page.map((entry) => copy(entry.item)),
      ...(earlier.length > limit ? { olderCursor: encodeList(list, page[0].key) } : {}),
    };
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
          .filter((theCase) => theCase.status === status && matches(theCase, query))
          .map((theCase) => ({ key: `${theCase.gridCode}#${theCase.createdAt}#${theCase.id}`, item: theCase })),
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
    if (stored?.case.version !== expectedVersion) return false;
    const { awaitingLifecycle: _cleared, ...theCase } = stored.case;
    this.cases.set(eventId, { case: { ...theCase, version: expectedVersion + 1 }, waitingTask: copy(task) });
    return true;
  }

  async clearWaitingTask(eventId: string, token: string): Promise<boolean> {
    const stored = this.cases.get(eventId);
    if (stored?.waitingTask?.token !== token) return false;
    this.cases.set(eventId, { case: { ...stored.case, version: stored.case.version + 1 } });
    return true;
  }

  /** Every case as stored (not copies): what the in-memory lists read. */
  all(): Case[] {
    return [...this.cases.values()].map((stored) => stored.case);
  }

  /** Timeline entries are append-only: one that exists fails the change (as its condition does in DynamoDB). */
  private checkTimeline(change: CaseChange): void {
    for (const entry of change.timeline) {
      if (this.timelines.get(entry.eventId)?.has(timelineOrderKey(entry)))
        throw new Error(`Timeline entry ${entry.eventId} #${entry.seq} exists`);
    }
  }

  private write(change: CaseChange): void {
    this.cases.set(change.case.id, {
      case: copy(change.case),
      ...(change.waitingTask ? { waitingTask: copy(change.waitingTask) } : {}),
    });
    for (const entry of change.timeline) this.appendEntry(entry);
    this.table.counters.add(change.counters);
    this.table.smsIntents.store(change.messages ?? []);
  }

  private appendEntry(entry: TimelineEntry): void {
    const entries = this.timelines.get(entry.eventId) ?? new Map<string, TimelineEntry>();
    this.timelines.set(entry.eventId, entries);
    entries.set(timelineOrderKey(entry), copy(entry));
  }
}

function encodeList(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ list, after })).toString('base64url');
}

/** The list's filters, as the DynamoDB store's key condition and filter expressions apply them. */
function matches(theCase: Case, query: CaseQuery): boolean {
  if (!theCase.gridCode.startsWith(query.unitPrefix)) return false;
  if (query.stage && theCase.stage !== query.stage) return false;
  if (query.tier && theCase.tier !== query.tier) return false;
  if (query.overdue !== undefined && theCase.overdue !== query.overdue) return false;
  if (query.severity && theCase.severity !== query.severity) return false;
  if (query.from && theCase.createdAt < query.from) return false;
  // A grid's cases are a key range ending at `<to>~` (a time that begins with `to` is still in); a larger unit filters.
  const grid = levelOfCode(query.unitPrefix) === 'grid';
  if (query.to && theCase.createdAt > query.to && !(grid && theCase.createdAt.startsWith(query.to))) return false;
  if (query.involvedDepartments?.length && !query.involvedDepartments.some((code) => theCase.involvedDepartments.includes(code)))
    return false;
  return true;
}
