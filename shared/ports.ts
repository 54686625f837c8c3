/**
 * Ports: what the core needs from the outside world. The AWS adapters (shared/adapters/aws,
 * shared/adapters/dynamodb) and the local adapters (shared/adapters/local) implement them.
 */
import type { Case, Severity, Stage, Status, Tier, TimelineEntry } from './domain/types';
import type { ReportKind } from './domain/periods';
import type { Report } from './core/reports/build-report';
import type { Patrol } from './domain/patrols';
import type { Campaign, CampaignResponse, CampaignSummary } from './domain/campaigns';

/** Policy time. In local mode a time scale makes policy time run faster than the wall clock. */
export interface Clock {
  now(): Date;
  /** Policy seconds per wall-clock second (1 in the cloud). */
  readonly scale: number;
}

/** Per-day counters kept for a unit or a department; reports read these instead of events. */
export interface CounterIncrement {
  /** A unit (and every unit above the grid), a department team (`<unit>:<department>`), or a person (a grid worker's scorecard). */
  scope: { kind: 'unit' | 'department' | 'person'; code: string };
  /** 'YYYY-MM-DD' in Asia/Shanghai. */
  day: string;
  counts: Record<string, number>;
}

/** One state change of an event: written as one transaction or not at all. */
export interface CaseChange {
  event: Case;
  /** The version the change was computed from (undefined when the event is new). */
  expectedVersion?: number;
  timeline: TimelineEntry[];
  counters: CounterIncrement[];
  /** The workflow task waiting on this event after the change; `null` or absent: none. */
  waitingTask?: WaitingTask | null;
}

export interface WaitingTask {
  token: string;
  /** What the workflow waits for, e.g. `acceptance` or `handling`. */
  waitingFor: string;
  since: string;
  /** The execution's round count when it began waiting (an action's wake-up carries it on). */
  loops: number;
}

export interface IdempotencyClaim {
  key: string;
  bodyHash: string;
  expiresAt: Date;
}

export interface StoredCase {
  event: Case;
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
  cursor?: string;
}

export interface CasePage {
  items: Case[];
  nextCursor?: string;
}

export interface EventStore {
  /** Creates the event; with an idempotency claim, a second create with the same key fails with IdempotencyKeyTaken; an id in use fails with EventIdTaken. */
  create(change: CaseChange, idempotency?: IdempotencyClaim): Promise<void>;
  /**
   * Applies a change on the condition that the stored version is `change.expectedVersion`; else
   * VersionConflict. Changes of other events given too commit in the same transaction.
   */
  apply(change: CaseChange, ...others: CaseChange[]): Promise<void>;
  get(id: string): Promise<StoredCase | undefined>;
  timeline(id: string): Promise<TimelineEntry[]>;
  list(query: CaseQuery): Promise<CasePage>;
  /** The event created under an idempotency key, if any. */
  /** What an earlier request with this key made: an event's id (POST /events) or the patrol itself (POST /patrols). */
  findByIdempotencyKey(key: string): Promise<{ eventId?: string; patrol?: Patrol; bodyHash: string } | undefined>;
  /** Stores the token of the workflow task that now waits on this event, if the event is still in `stage` at `version`. */
  saveWaitingTask(eventId: string, expectedVersion: number, task: WaitingTask): Promise<boolean>;
  /** Counts a hit against a fixed window; returns the hits in the window including this one. */
  countHit(bucket: string, expiresAt: Date): Promise<number>;
  /** Open cases of one handler (see assigneeKey), soonest deadline first. */
  openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<CasePage>;
  /** Stores a published report (one per kind, scope and period). */
  saveReport(report: Report): Promise<void>;
  getReport(kind: ReportKind, scopeCode: string, period: string): Promise<Report | undefined>;
  /** How many cases of a unit are open now (an index count, no items read into the caller). */
  countOpen(unitPrefix: string): Promise<number>;
  /** Open cases of a unit most urgent first: severity (level 1 first), then the least time left. */
  mostUrgent(unitPrefix: string, limit: number, cursor?: string): Promise<CasePage>;
  /**
   * The ids of a district's open events stored before `createdBefore` (local ISO time) that their
   * lifecycle has not yet waited on (`awaitingLifecycle`: it never started, or stopped before its first
   * wait), a page at a time: what the sweeper starts. Normally none, whatever the number of open cases.
   */
  unstartedEvents(district: string, createdBefore: string): AsyncIterable<string>;
  /**
   * Open cases of an item in a street reported since a moment, with a location (for likely duplicates).
   * Only their id, item, grid, location, time and duplicate link are filled in.
   */
  recentOpenOfItemNear(
    itemCode: string,
    cells: string[],
    since: string,
  ): Promise<Pick<Case, 'id' | 'itemCode' | 'gridCode' | 'location' | 'createdAt' | 'duplicateOf'>[]>;
  readCounters(
    scope: CounterIncrement['scope'],
    fromDay: string,
    toDay: string,
  ): Promise<{ day: string; counts: Record<string, number> }[]>;

  // Reminder windows (shared/core/reminders.ts): one reminder SMS per phone per window, the rest folded
  // into a digest. Each write is conditional on the window the caller read, so concurrent senders
  // cannot both open a window or fold into one that has just been replaced.

  /** The phone's current reminder window (read consistently); undefined if it had no reminder lately. */
  reminderWindow(phone: string): Promise<ReminderWindow | undefined>;
  /**
   * Opens a new window for the phone, ending at `endsAt`, if its window is still the one the caller read
   * (`seenEndsAt`; undefined: none). On success the caller may send one reminder SMS, and gets back the
   * reminders folded in the window it replaced, which it must send now in that SMS ([] if none); on a
   * lost race, undefined (read again).
   */
  openReminderWindow(phone: string, seenEndsAt: string | undefined, endsAt: Date, expiresAt: Date): Promise<FoldedReminder[] | undefined>;
  /**
   * Folds a reminder into the digest due when the window the caller read (`seenEndsAt`) ends, and lists
   * that digest as due then. False if the window is no longer current (read again).
   */
  foldReminder(phone: string, seenEndsAt: string, reminder: FoldedReminder, expiresAt: Date): Promise<boolean>;
  /** Digests due at or before `now`, soonest first (a Query on the due list, never a Scan); `after` pages on. */
  dueReminderDigests(now: Date, limit: number, after?: DueDigest): Promise<DueDigest[]>;
  /**
   * Takes a due digest: opens the phone's next window (ending at `endsAt`) and returns the folded
   * reminders, which the caller must send now. [] if another caller took it first, if it is stale, or if
   * nothing is folded yet; the due listing is removed once taken or stale, and kept while the phone is
   * still in that window (a fold may be between listing the digest and adding to it).
   */
  takeDueDigest(due: DueDigest, endsAt: Date, expiresAt: Date): Promise<FoldedReminder[]>;

  // Patrols (三查) and campaigns (闭环排查): shared/core/patrols.ts, shared/core/campaigns.ts.

  /**
   * Stores a patrol and adds `counters`, in one transaction. With `firstOfDay` (a grid's daily patrol) the
   * same transaction also puts the grid's marker for the day on the condition that it is absent and adds
   * `firstOfDay.counters` (e.g. `patrolledGrids`); when the marker exists already, the patrol is stored
   * without them. Concurrent patrols of one grid therefore count the grid once. Returns whether this
   * patrol was the grid's first of the day.
   */
  savePatrol(
    patrol: Patrol,
    counters: CounterIncrement[],
    firstOfDay?: { grid: string; day: string; counters: CounterIncrement[] },
    idempotency?: IdempotencyClaim,
  ): Promise<{ firstOfDay: boolean }>;
  /** Patrols of a unit and every unit below it on a day, by unit then time (a Query); `cursor` pages on. */
  patrolsOn(unitPrefix: string, day: string, limit: number, cursor?: string): Promise<{ items: Patrol[]; nextCursor?: string }>;
  /** The grids of a district with a daily patrol logged on a day (the markers; a Query). */
  patrolledGrids(district: string, day: string): Promise<string[]>;
  /** Claims a one-off key (a reminder sent today); true for the first caller only, until it expires. */
  claimOnce(key: string, expiresAt: Date): Promise<boolean>;
  /** Stores a new campaign and its entry in its district's index by deadline. */
  createCampaign(campaign: Campaign): Promise<void>;
  /** A campaign and every answer to it (one Query). */
  getCampaign(id: string): Promise<{ campaign: Campaign; responses: CampaignResponse[] } | undefined>;
  /**
   * Stores a target's answer: the first one is created (and counted on the index entry); a later one
   * replaces its note, photos, done and `at`, keeps `firstAt` and `late`, and adds to `responses`.
   */
  saveCampaignResponse(
    campaign: Campaign,
    answer: Omit<CampaignResponse, 'firstAt' | 'responses'>,
  ): Promise<{ response: CampaignResponse; first: boolean }>;
  /** Campaigns of a district whose deadline (ISO UTC) lies between `from` and `to`, soonest first (a Query). */
  campaignsByDeadline(district: string, from: string, to: string): Promise<CampaignSummary[]>;
}

/** A phone's reminder window: until `endsAt` further reminders to it are folded. */
export interface ReminderWindow {
  phone: string;
  /** When the window ends: policy time, ISO 8601 UTC as stored (pass it back unchanged as `seenEndsAt`). */
  endsAt: string;
  /** Reminders folded into this window's digest so far, oldest first. */
  folded: FoldedReminder[];
}

/** A reminder that was not sent on its own because its phone had one within the window. */
export interface FoldedReminder {
  eventId: string;
  template: string;
  params: Record<string, string>;
  /** The reminder in a few words, e.g. `E20261126-7K3M9Q 排水口或下水道堵塞 11月27日16:00到期`. */
  line: string;
  recipientName: string;
  recipientRole: string;
  /** Policy time it was folded (ISO). */
  foldedAt: string;
}

/** A digest listed as due: the phone and when its window ends (ISO UTC). */
export interface DueDigest {
  phone: string;
  dueAt: string;
}

export interface WorkflowPort {
  /**
   * Starts the lifecycle of an event; starting one that already runs is not an error. A long case
   * continues in later generations: execution `<id>`, then `<id>-2`, `<id>-3`, …
   */
  start(eventId: string, generation?: number): Promise<void>;
  /** Wakes a waiting task. Returns false when the token is no longer valid (the task timed out or finished). */
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean>;
}

export interface OutgoingMessage {
  to: string;
  /** Whom the message is for, for the record: e.g. `reporter`, `assignee`, `head`. */
  recipientRole: string;
  template: string;
  params: Record<string, string>;
  /** The rendered zh-CN text (what is sent) and its English gloss (for the record). */
  text: string;
  textEn: string;
  eventId?: string;
  /** Every case a message covers when it covers several (a reminder digest); `eventId` is the first. */
  eventIds?: string[];
  /** SMS parts the text takes (70 characters per part for Chinese). */
  parts: number;
}

export interface SendResult {
  messageId: string;
}

export interface Notifier {
  send(message: OutgoingMessage): Promise<SendResult>;
}
