/** The case aggregate: the case (versioned) and its timeline; the lists it is on are in case-lists.ts. */
import type { Case, Severity, Stage, Status, Tier, TimelineEntry } from '../domain/types';
import type { CounterIncrement } from '../domain/counters';
import type { WaitingFor } from '../domain/lifecycle';
import type { IdempotencyClaim } from './guards';
import type { SmsIntent } from './sms-intents';

/** One state change of a case: written as one transaction (case, timeline, counters) or not at all. */
export interface CaseChange {
  case: Case;
  /** The version the change was computed from (undefined when the case is new). */
  expectedVersion?: number;
  timeline: TimelineEntry[];
  counters: CounterIncrement[];
  /** The workflow task waiting on this case after the change; `null` or absent: none. */
  waitingTask?: WaitingTask | null;
  /** The SMS the change causes, stored with it (the SMS sender sends them). */
  messages?: SmsIntent[];
}

export interface WaitingTask {
  token: string;
  /** What the workflow waits for (the lifecycle contract's WAITS). */
  waitingFor: WaitingFor;
  since: string;
  /** The execution's round count when it began waiting (an action's wake-up carries it on). */
  loops: number;
}

export interface StoredCase {
  case: Case;
  waitingTask?: WaitingTask;
}

export interface CaseQuery {
  /** Unit code prefix: a town code covers all its communities and grids. */
  unitPrefix: string;
  status?: Status;
  stage?: Stage;
  tier?: Tier;
  overdue?: boolean;
  severity?: Severity;
  from?: string;
  to?: string;
  /** Department staff: only cases one of these teams handles or handled (`441302:urban-management`). */
  involvedDepartments?: string[];
  limit: number;
  /** A `nextCursor` this store returned for the same list; any other fails with InvalidCursor. */
  cursor?: string;
}

export interface TimelinePage {
  entries: TimelineEntry[];
  olderCursor?: string;
}

export interface CasePage {
  items: Case[];
  nextCursor?: string;
}

/** What the likely-duplicate check reads of a nearby case. */
export type NearbyCase = Pick<Case, 'id' | 'itemCode' | 'gridCode' | 'location' | 'createdAt' | 'duplicateOf'>;

export interface CaseStore {
  /**
   * Creates the case; with an idempotency claim (written in the same transaction), a second create with
   * the same key fails with IdempotencyKeyTaken; an id in use fails with EventIdTaken.
   */
  create(change: CaseChange, idempotency?: IdempotencyClaim): Promise<void>;
  /**
   * Applies a change on the condition that the stored version is `change.expectedVersion`; else
   * VersionConflict. Changes of other cases given too commit in the same transaction.
   */
  apply(change: CaseChange, ...others: CaseChange[]): Promise<void>;
  /**
   * Appends a comment to a case's timeline as an item of its own: the case is not touched (no version, no
   * conflict with its changes). It sorts right after the entry `seq` (timelineOrderKey). Written on the
   * condition that it is not there yet, so writing it twice (a replay) fails and changes nothing. The caller
   * has read the case (cases are never deleted).
   */
  appendComment(comment: TimelineEntry & { id: string }): Promise<void>;
  get(id: string): Promise<StoredCase | undefined>;
  /** The whole timeline, in order (timelineOrderKey). */
  timeline(id: string): Promise<TimelineEntry[]>;
  /**
   * The latest `limit` entries of the timeline (before `cursor`, a `olderCursor` this store returned for this
   * case; any other fails with InvalidCursor), in order; `olderCursor` when older entries remain.
   */
  timelinePage(id: string, limit: number, cursor?: string): Promise<TimelinePage>;
  /** Cases of a unit by status (open first), then grid and time. */
  list(query: CaseQuery): Promise<CasePage>;
  /** Stores the token of the workflow task that now waits on this case, if the case is still at `expectedVersion`. */
  saveWaitingTask(eventId: string, expectedVersion: number, task: WaitingTask): Promise<boolean>;
  /**
   * Removes the waiting task's token once an action has woken it, if the case still holds that token (a newer
   * wait's is kept); the version moves, so an action that read the spent token reads again. False if not held.
   */
  clearWaitingTask(eventId: string, token: string): Promise<boolean>;
}
