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
      .filter((theCase) => waitsOnHandler(theCase) && theCase.assignee && assigneeKey(theCase.assignee) === handlerKey)
      .map((theCase) => ({ key: `${theCase.deadlineAt ?? NO_DEADLINE}#${theCase.id}`, item: copy(theCase) }));
    return pageOf(byKey(entries), limit, 'open', cursor ? decodeCursor(cursor).after : undefined);
  }

  async mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage> {
    const entries = this.cases
      .all()
      .filter((theCase) => isOpenCase(theCase) && theCase.gridCode.startsWith(unitPrefix))
      .map((theCase) => ({ key: `${theCase.severity}#${theCase.deadlineAt ?? NO_DEADLINE}#${theCase.id}`, item: copy(theCase) }));
    return pageOf(byKey(entries), limit, 'open', cursor ? decodeCursor(cursor).after : undefined);
  }

  async changedSince(unitPrefix: string, since: string, limit: number, cursor?: string, involving?: readonly string[]): Promise<CasePage> {
    const from = new Date(since).toISOString();
    const entries = this.cases
      .all()
      .filter((theCase) => theCase.gridCode.startsWith(unitPrefix))
      .filter((theCase) => !involving || theCase.involvedDepartments.some((team) => involving.includes(team)))
      .map((theCase) => ({ key: `${new Date(theCase.updatedAt).toISOString()}#${theCase.id}`, item: copy(theCase) }))
      .filter((entry) => entry.key >= from);
    return pageOf(byKey(entries), limit, 'changed', cursor ? decodeCursor(cursor).after : undefined);
  }

  async *unstartedCases(district: string, createdBefore: string): AsyncIterable<string> {
    const entries = this.cases
      .all()
      .filter((theCase) => awaitsLifecycle(theCase) && theCase.gridCode.startsWith(district))
      .map((theCase) => ({ key: `${theCase.createdAt}#${theCase.id}`, item: theCase.id }))
      .filter((entry) => entry.key < createdBefore);
    yield* byKey(entries).map((entry) => entry.item);
  }

  async *dueCases(district: string, until: Date): AsyncIterable<string> {
    const entries = this.cases
      .all()
      .filter((theCase) => theCase.gridCode.startsWith(district))
      .flatMap((theCase) => {
        const due = sweeperDueAt(theCase);
        return due && due.getTime() <= until.getTime() ? [{ key: `${due.toISOString()}#${theCase.id}`, item: theCase.id }] : [];
      });
    yield* byKey(entries).map((entry) => entry.item);
  }

  async *plainWeekCases(district: string): AsyncIterable<{ eventId: string; year: number }> {
    const entries = this.cases
      .all()
      .filter((theCase) => theCase.gridCode.startsWith(district))
      .flatMap((theCase) => {
        const year = plainWeekYear(theCase);
        return year === undefined ? [] : [{ key: `${year}#${theCase.id}`, item: { eventId: theCase.id, year } }];
      });
    yield* byKey(entries).map((entry) => entry.item);
  }

  async recentOpenOfItemNear(itemCode: string, cells: string[], since: string): Promise<NearbyCase[]> {
    return this.cases
      .all()
      .filter((theCase) => isDuplicateCandidate(theCase) && theCase.itemCode === itemCode && `${theCase.createdAt}#${theCase.id}` >= since)
      .filter((theCase) => theCase.location && cells.includes(geohash(theCase.location.lat, theCase.location.lng, NEARBY_PRECISION)))
      .map(({ id, itemCode: item, gridCode, location, createdAt, duplicateOf }) =>
        copy({ id, itemCode: item, gridCode, location, createdAt, ...(duplicateOf ? { duplicateOf } : {}) }),
      );
  }
}
