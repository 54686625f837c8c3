/**
 * No one gets more than one reminder SMS per `policy.reminderWindowMinutes` of policy time. Reminders
 * are what a handler is nudged with before a deadline (the 50%/75% time-limit reminders) and the
 * re-notifications of a case nobody signed for; on a flood night many cases remind the same phone at
 * once. The first reminder in a window is sent; the others are folded into one digest, sent when the
 * window ends (the sweeper calls `flushDueDigests`), and that digest opens the next window.
 * Supervisory SMS (督办), assignments and feedback to reporters are not reminders: they are stored with
 * the change that causes them and never folded.
 *
 * Each phone's window is one item in the table. Every write to it is conditional on the window
 * the writer read, so two Lambdas reminding the same phone at the same moment cannot both send: the
 * one whose write lands first opens the window, the other reads again and folds.
 */
import { toLocalIso } from '../domain/calendar';
import { notFound } from '../domain/errors';
import { maskPhone, MAX_PARAM_CHARS } from '../domain/messages';
import type { DueDigest, FoldedReminder } from '../ports/reminders';
import type { CoreDependencies } from './dependencies';

/** What reminders need: the windows, the case a reminder is about, and sending. */
export type ReminderDeps = Pick<CoreDependencies, 'reminders' | 'cases' | 'smsIntents' | 'logger' | 'clock' | 'policy'>;
import { queueMessages, type MessageRequest } from './notify';

/** Each attempt either succeeds or saw another sender change the window; a few are plenty. */
const MAX_ATTEMPTS = 8;
/** Window items outlive their window by a day (TTL), then DynamoDB removes them. */
const KEEP_AFTER_USE_MS = 24 * 3600_000;
const DUE_PAGE = 100;

/**
 * Sends a reminder about a case now if its phone had no reminder SMS in the last window, else folds it
 * into the phone's digest. 'sent' also covers a reminder that went out with an overdue digest (its
 * window had ended but no sweep had sent the digest yet).
 */
export async function sendReminder(deps: ReminderDeps, eventId: string, request: MessageRequest): Promise<'sent' | 'folded'> {
  const stored = await deps.cases.get(eventId);
  if (!stored) throw notFound(`Event ${eventId} does not exist`);
  const phone = request.to.phone;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const window = await deps.reminders.reminderWindow(phone);
    const now = deps.clock.now();
    if (!window || Date.parse(window.endsAt) <= now.getTime()) {
      const endsAt = windowEndFrom(deps, now);
      const lateDigest = await deps.reminders.openReminderWindow(phone, window?.endsAt, endsAt, keepUntil(endsAt));
      if (lateDigest === undefined) continue; // another sender opened a window first: read it and fold
      if (lateDigest.length === 0) await queueMessages(deps, { eventId: stored.case.id }, [request]);
      else await sendDigest(deps, phone, [...lateDigest, toFolded(eventId, request, now)]);
      return 'sent';
    }
    const due = new Date(window.endsAt);
    if (await deps.reminders.foldReminder(phone, window.endsAt, toFolded(eventId, request, now), keepUntil(due))) return 'folded';
    // The window was replaced (its digest went out) between our read and our write: read again.
  }
  throw new Error(`Reminder for ${eventId} to ${maskPhone(phone)}: the phone's reminder window kept changing`);
}

/**
 * Sends every digest whose window has ended, one SMS per phone, each opening the phone's next window.
 * Returns how many digests it sent (a send that still fails after retries is recorded on the digest's
 * first case, like any SMS, and counted here too).
 */
export async function flushDueDigests(deps: ReminderDeps): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  let after: DueDigest | undefined;
  for (;;) {
    const page = await deps.reminders.dueReminderDigests(now, DUE_PAGE, after);
    for (const due of page) {
      // The new window starts at this send, not at the start of the sweep.
      const endsAt = windowEndFrom(deps, deps.clock.now());
      const folded = await deps.reminders.takeDueDigest(due, endsAt, keepUntil(endsAt));
      if (folded.length === 0) continue; // another sweep or a reminder took it; or a stale entry
      try {
        await sendDigest(deps, due.phone, folded);
        sent++;
      } catch (error) {
        // Taken reminders exist nowhere else now: say which, and go on with the other phones.
        deps.logger.error('Reminder digest not sent', { phone: maskPhone(due.phone), eventIds: caseIds(folded), error: String(error) });
      }
    }
    if (page.length < DUE_PAGE) return sent;
    after = page.at(-1);
  }
}

/**
 * The digest SMS's parameters: how many cases, and as many of their ids as fit in one parameter
 * (MAX_PARAM_CHARS), then 等 — which keeps the digest within two SMS parts.
 */
export function digestParams(eventIds: string[]): { count: string; cases: string } {
  const all = eventIds.join('、');
  if ([...all].length <= MAX_PARAM_CHARS) return { count: String(eventIds.length), cases: all };
  let listed = eventIds[0] ?? '';
  for (const id of eventIds.slice(1)) {
    const longer = `${listed}、${id}`;
    if ([...longer].length + 1 > MAX_PARAM_CHARS) break;
    listed = longer;
  }
  return { count: String(eventIds.length), cases: `${listed}等` };
}

/**
 * One SMS for the reminders folded in a window. It is recorded under its first case (`eventId`, and
 * where a failed send is noted on the timeline) and carries every case in `eventIds`, since the text
 * can only name a few.
 */
async function sendDigest(deps: ReminderDeps, phone: string, folded: FoldedReminder[]): Promise<void> {
  const eventIds = caseIds(folded);
  const first = await deps.cases.get(eventIds[0]);
  if (!first) throw notFound(`Event ${eventIds[0]} does not exist`);
  const latest = folded[folded.length - 1];
  const request: MessageRequest = {
    to: { phone, name: latest.recipientName },
    recipientRole: latest.recipientRole,
    template: 'reminder_digest',
    params: digestParams(eventIds),
  };
  await queueMessages(deps, { eventId: first.case.id, eventIds }, [request]);
}

/** Each case once, in the order it was first folded (a case reminded twice in a window is one line). */
function caseIds(folded: FoldedReminder[]): string[] {
  return [...new Set(folded.map((reminder) => reminder.eventId))];
}

export function toFolded(eventId: string, request: MessageRequest, now: Date): FoldedReminder {
  const { item, deadline } = request.params;
  return {
    eventId,
    template: request.template,
    params: request.params,
    line: [eventId, item, deadline && `${deadline}到期`].filter(Boolean).join(' '),
    recipientName: request.to.name,
    recipientRole: request.recipientRole,
    foldedAt: toLocalIso(now),
  };
}

function windowEndFrom(deps: ReminderDeps, start: Date): Date {
  return new Date(start.getTime() + deps.policy.reminderWindowMinutes * 60_000);
}

function keepUntil(windowEnd: Date): Date {
  return new Date(windowEnd.getTime() + KEEP_AFTER_USE_MS);
}
