/** The read-side lists a case is on (membership: shared/domain/case-lists.ts), apart from the case's own store. */
import type { CasePage, NearbyCase } from './cases';

export interface CaseLists {
  /** Cases waiting on one handler (see assigneeKey and waitsOnHandler), soonest deadline first. */
  openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage>;
  /** Open cases of a unit, most urgent first: severity (level 1 first), then the least time left. */
  mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage>;
  /**
   * The cases of a unit, open or closed, that changed at or after `since` (an ISO instant), the earliest change first:
   * what a board polls to keep its list. A case that changes again while the pages are read moves to a later page.
   * `involving`: only the cases one of these department teams (`<unit>:<department>`) handles or handled.
   */
  changedSince(unitPrefix: string, since: string, limit: number, cursor?: string, involving?: readonly string[]): Promise<CasePage>;
  /**
   * The ids of a district's open cases stored before `createdBefore` (local ISO time) that their lifecycle
   * has not yet waited on (awaitsLifecycle), a page at a time: what the sweeper starts.
   */
  unstartedCases(district: string, createdBefore: string): AsyncIterable<string>;
  /**
   * The ids of a district's open cases the sweeper is to look at by `until` (sweeperDueAt: a reminder to send, or a
   * deadline its lifecycle has not acted on), soonest first, a page at a time.
   */
  dueCases(district: string, until: Date): AsyncIterable<string>;
  /**
   * A district's open cases whose deadline was counted on a plain week (plainWeekYear), each with the first year it
   * waits for: what the sweeper counts again once the calendar knows that year. Normally empty.
   */
  plainWeekCases(district: string): AsyncIterable<{ eventId: string; year: number }>;
  /** Duplicate candidates (isDuplicateCandidate) of an item in these geohash cells reported since a moment. */
  recentOpenOfItemNear(itemCode: string, cells: string[], since: string): Promise<NearbyCase[]>;
}
