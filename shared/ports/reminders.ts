/**
 * Reminder windows (shared/core/reminders.ts): one reminder SMS per phone per window, the rest folded into a
 * digest. Each write is conditional on the window the caller read, so concurrent senders cannot both open a
 * window or fold into one that has just been replaced.
 */

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

export interface ReminderStore {
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
  /** Digests due at or before `now`, soonest first (never a scan); `after` pages on. */
  dueReminderDigests(now: Date, limit: number, after?: DueDigest): Promise<DueDigest[]>;
  /**
   * Takes a due digest: opens the phone's next window (ending at `endsAt`) and returns the folded
   * reminders, which the caller must send now. [] if another caller took it first, if it is stale, or if
   * nothing is folded yet; the due listing is removed once taken or stale, and kept while the phone is
   * still in that window (a fold may be between listing the digest and adding to it).
   */
  takeDueDigest(due: DueDigest, endsAt: Date, expiresAt: Date): Promise<FoldedReminder[]>;
}
