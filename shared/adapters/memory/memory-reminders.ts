/** Reminder windows in memory: the same conditional replace-and-take as the DynamoDB store. */
import type { DueDigest, FoldedReminder, ReminderStore, ReminderWindow } from '../../ports/reminders';
import { byKey, copy } from './memory-table';

export class MemoryReminderStore implements ReminderStore {
  /** `folded` is absent until the first fold and removed by every take (never stored empty). */
  private readonly windows = new Map<string, { endsAt: string; folded?: FoldedReminder[] }>();
  /** The due list by `<dueAt>#<phone>`. */
  private readonly due = new Map<string, DueDigest>();

  async reminderWindow(phone: string): Promise<ReminderWindow | undefined> {
    const window = this.windows.get(phone);
    return window && { phone, endsAt: window.endsAt, folded: copy(window.folded ?? []) };
  }

  async openReminderWindow(
    phone: string,
    seenEndsAt: string | undefined,
    endsAt: Date,
    _expiresAt: Date,
  ): Promise<FoldedReminder[] | undefined> {
    return this.replaceWindow(phone, seenEndsAt, endsAt, false);
  }

  async foldReminder(phone: string, seenEndsAt: string, reminder: FoldedReminder, _expiresAt: Date): Promise<boolean> {
    this.due.set(`${seenEndsAt}#${phone}`, { phone, dueAt: seenEndsAt });
    const window = this.windows.get(phone);
    if (window?.endsAt !== seenEndsAt) return false;
    window.folded = [...(window.folded ?? []), copy(reminder)];
    return true;
  }

  async dueReminderDigests(now: Date, limit: number, after?: DueDigest): Promise<DueDigest[]> {
    const upTo = `${now.toISOString()}#~`;
    const start = after && `${after.dueAt}#${after.phone}`;
    return byKey([...this.due].map(([key, item]) => ({ key, item })))
      .filter((entry) => entry.key <= upTo && (start === undefined || entry.key > start))
      .slice(0, limit)
      .map((entry) => copy(entry.item));
  }

  async takeDueDigest(due: DueDigest, endsAt: Date, _expiresAt: Date): Promise<FoldedReminder[]> {
    const folded = this.replaceWindow(due.phone, due.dueAt, endsAt, true);
    if (folded !== undefined) return folded;
    if (this.windows.get(due.phone)?.endsAt !== due.dueAt) this.due.delete(`${due.dueAt}#${due.phone}`);
    return [];
  }

  private replaceWindow(
    phone: string,
    seenEndsAt: string | undefined,
    endsAt: Date,
    onlyWithFolded: boolean,
  ): FoldedReminder[] | undefined {
    const window = this.windows.get(phone);
    if (seenEndsAt === undefined ? window !== undefined : window?.endsAt !== seenEndsAt || (onlyWithFolded && !window.folded))
      return undefined;
    this.windows.set(phone, { endsAt: endsAt.toISOString() });
    const folded = window?.folded ?? [];
    if (folded.length > 0 && seenEndsAt !== undefined) this.due.delete(`${seenEndsAt}#${phone}`);
    return folded;
  }
}
