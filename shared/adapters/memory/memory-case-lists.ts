/** The lists a case is on, in memory: the same order as the DynamoDB store's indexes (membership from shared/domain/case-lists.ts). */
import { awaitsLifecycle, isDuplicateCandidate, isOpenCase, plainWeekYear, sweeperDueAt, waitsOnHandler } from '../../domain/case-lists';
import { geohash, NEARBY_PRECISION } from '../../domain/geohash';
import { assigneeKey } from '../../domain/routing';
import type { Case } from '../../domain/types';
import type { CaseLists } from '../../ports/case-lists';
import type { CasePage, NearbyCase } from '../../ports/cases';
import { byKey, copy, decodeCursor, pageOf } from './memory-table';

/** Sorts a case without a deadline after every dated one. */
const NO_DEADLINE = '9999';

export class MemoryCaseLists implements CaseLists {
  constructor(private readonly cases: { all(): Case[] }) {}

  async openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage> {
    const entries = this.cases
      .all()
      .filter((event) => waitsOnHandler(event) && event.assignee && assigneeKey(event.assignee) === handlerKey)
      .map((event) => ({ key: `${event.deadlineAt ?? NO_DEADLINE}#${event.id}`, item: copy(event) }));
    return pageOf(byKey(entries), limit, 'open', cursor ? decodeCursor(cursor).after : undefined);
  }

  async mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage> {
    const entries = this.cases
      .all()
      .filter((event) => isOpenCase(event) && event.gridCode.startsWith(unitPrefix))
      .map((event) => ({ key: `${event.severity}#${event.deadlineAt ?? NO_DEADLINE}#${event.id}`, item: copy(event) }));
    return pageOf(byKey(entries), limit, 'open', cursor ? decodeCursor(cursor).after : undefined);
  }

  async changedSince(unitPrefix: string, since: string, limit: number, cursor?: string): Promise<CasePage> {
    const from = new Date(since).toISOString();
    const entries = this.cases
      .all()
      .filter((event) => event.gridCode.startsWith(unitPrefix))
      .map((event) => ({ key: `${new Date(event.updatedAt).toISOString()}#${event.id}`, item: copy(event) }))
      .filter((entry) => entry.key >= from);
    return pageOf(byKey(entries), limit, 'changed', cursor ? decodeCursor(cursor).after : undefined);
  }

  async *unstartedEvents(district: string, createdBefore: string): AsyncIterable<string> {
    const entries = this.cases
      .all()
      .filter((event) => awaitsLifecycle(event) && event.gridCode.startsWith(district))
      .map((event) => ({ key: `${event.createdAt}#${event.id}`, item: event.id }))
      .filter((entry) => entry.key < createdBefore);
    yield* byKey(entries).map((entry) => entry.item);
  }

  async *dueCases(district: string, until: Date): AsyncIterable<string> {
    const entries = this.cases
      .all()
      .filter((event) => event.gridCode.startsWith(district))
      .flatMap((event) => {
        const due = sweeperDueAt(event);
        return due && due.getTime() <= until.getTime() ? [{ key: `${due.toISOString()}#${event.id}`, item: event.id }] : [];
      });
    yield* byKey(entries).map((entry) => entry.item);
  }

  async *plainWeekCases(district: string): AsyncIterable<{ eventId: string; year: number }> {
    const entries = this.cases
      .all()
      .filter((event) => event.gridCode.startsWith(district))
      .flatMap((event) => {
        const year = plainWeekYear(event);
        return year === undefined ? [] : [{ key: `${year}#${event.id}`, item: { eventId: event.id, year } }];
      });
    yield* byKey(entries).map((entry) => entry.item);
  }

  async recentOpenOfItemNear(itemCode: string, cells: string[], since: string): Promise<NearbyCase[]> {
    return this.cases
      .all()
      .filter((event) => isDuplicateCandidate(event) && event.itemCode === itemCode && `${event.createdAt}#${event.id}` >= since)
      .filter((event) => event.location && cells.includes(geohash(event.location.lat, event.location.lng, NEARBY_PRECISION)))
      .map(({ id, itemCode: item, gridCode, location, createdAt, duplicateOf }) =>
        copy({ id, itemCode: item, gridCode, location, createdAt, ...(duplicateOf ? { duplicateOf } : {}) }),
      );
  }
}
