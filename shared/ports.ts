/**
 * Ports: what the core needs from the outside world. The AWS adapters (shared/adapters/aws,
 * shared/adapters/dynamodb) and the local adapters (shared/adapters/local) implement them.
 */
import type { GridEvent, Severity, Stage, Status, Tier, TimelineEntry } from './domain/types';

/** Policy time. In local mode a time scale makes policy time run faster than the wall clock. */
export interface Clock {
  now(): Date;
  /** Policy seconds per wall-clock second (1 in the cloud). */
  readonly scale: number;
}

/** Per-day counters kept for a unit or a department; reports read these instead of events. */
export interface CounterIncrement {
  scope: { kind: 'unit' | 'department'; code: string };
  /** 'YYYY-MM-DD' in Asia/Shanghai. */
  day: string;
  counts: Record<string, number>;
}

/** One state change of an event: written as one transaction or not at all. */
export interface EventChange {
  event: GridEvent;
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
}

export interface IdempotencyClaim {
  key: string;
  bodyHash: string;
  expiresAt: Date;
}

export interface StoredEvent {
  event: GridEvent;
  waitingTask?: WaitingTask;
}

export interface EventQuery {
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

export interface EventPage {
  items: GridEvent[];
  nextCursor?: string;
}

export interface EventStore {
  /** Creates the event; with an idempotency claim, a second create with the same key fails with IdempotencyConflict. */
  create(change: EventChange, idempotency?: IdempotencyClaim): Promise<void>;
  /** Applies a change on the condition that the stored version is `change.expectedVersion`; else VersionConflict. */
  apply(change: EventChange): Promise<void>;
  get(id: string): Promise<StoredEvent | undefined>;
  timeline(id: string): Promise<TimelineEntry[]>;
  list(query: EventQuery): Promise<EventPage>;
  /** The event created under an idempotency key, if any. */
  findByIdempotencyKey(key: string): Promise<{ eventId: string; bodyHash: string } | undefined>;
  /** Stores the token of the workflow task that now waits on this event, if the event is still in `stage` at `version`. */
  saveWaitingTask(eventId: string, expectedVersion: number, task: WaitingTask): Promise<boolean>;
  /** Counts a hit against a fixed window; returns the hits in the window including this one. */
  countHit(bucket: string, expiresAt: Date): Promise<number>;
  /** Open cases of one handler (see assigneeKey), soonest deadline first. */
  openCasesOf(handlerKey: string, limit: number, cursor?: string): Promise<EventPage>;
  /** Open events in the units given (code prefixes), for resuming workflows and sweeping. */
  openEvents(unitPrefix: string, limit: number, cursor?: string): Promise<EventPage>;
  readCounters(scope: CounterIncrement['scope'], fromDay: string, toDay: string): Promise<{ day: string; counts: Record<string, number> }[]>;
}

export interface WorkflowPort {
  /** Starts the lifecycle of an event; starting one that already runs is not an error. */
  start(eventId: string): Promise<void>;
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
  /** SMS parts the text takes (70 characters per part for Chinese). */
  parts: number;
}

export interface SendResult {
  messageId: string;
}

export interface Notifier {
  send(message: OutgoingMessage): Promise<SendResult>;
}
