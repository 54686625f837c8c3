/**
 * The per-destination daily cap (issue 13 item 2): every SMS GridFlow sends counts against its phone's day (Asia/
 * Shanghai, policy time — the day the digest mechanism runs on), at most `policy.smsPerPhonePerDay`. The SMS
 * sender asks here before each send. Past the cap, a message about a case is folded into the phone's digest
 * (reminders.ts), due when the next day begins, where it opens the phone's new day; the digest itself is always
 * sent. A message about no case (a verification code, a campaign task, a patrol check, a report ready) is held:
 * recorded as not sent, with why — a code or a task a day late would mislead more than it helps.
 *
 * Verification codes are capped before they are made, too (verify-phone.ts: 5 a number a day), so a resident's
 * phone meets this cap only when GridFlow texts it a great deal about cases.
 */
import { parseLocal, toLocalIso } from '../domain/calendar';
import { maskPhone, type TemplateName } from '../domain/messages';
import { toE164 } from '../domain/phones';
import type { OutgoingMessage } from '../ports/notifier';
import type { FoldedReminder } from '../ports/reminders';
import type { CoreDependencies } from './dependencies';
import { toFolded } from './reminders';

export type CapDeps = Pick<CoreDependencies, 'guards' | 'reminders' | 'clock' | 'policy'>;

/** send: within the day's cap (or a digest); folded: into the next day's digest; held: not sent (no case to fold under). */
export type CapVerdict = 'send' | 'folded' | 'held';

const DAY_MS = 24 * 3600_000;
/** Each attempt either succeeds or saw another sender change the phone's window; a few are plenty. */
const MAX_ATTEMPTS = 8;

export async function dailyCapVerdict(deps: CapDeps, message: OutgoingMessage): Promise<CapVerdict> {
  const now = deps.clock.now();
  const day = toLocalIso(now).slice(0, 10);
  const nextDay = new Date(parseLocal(`${day} 00:00`).getTime() + DAY_MS);
  const sentToday = await deps.guards.countHit(`sms-day#${toE164(message.to)}#${day}`, new Date(nextDay.getTime() + DAY_MS));
  if (sentToday <= deps.policy.smsPerPhonePerDay || message.template === 'reminder_digest') return 'send';
  if (!message.eventId) return 'held';
  const request = {
    to: { phone: message.to, name: '' },
    recipientRole: message.recipientRole,
    template: message.template as TemplateName,
    params: message.params,
  };
  await foldIntoNextDay(deps, message.to, [toFolded(message.eventId, request, now)], nextDay);
  return 'folded';
}

/** Why a held or folded message was not sent, as recorded on its intent. */
export function capReason(deps: Pick<CoreDependencies, 'policy'>, verdict: Exclude<CapVerdict, 'send'>, to: string): string {
  const cap = `the daily cap of ${deps.policy.smsPerPhonePerDay} SMS to ${maskPhone(to)}`;
  return verdict === 'folded' ? `folded into the next day's digest: ${cap}` : `not sent: ${cap} (nothing to fold it under)`;
}

/**
 * Folds into the digest due at `nextDay`: the phone's reminder window is made to end then (what an earlier window
 * had folded goes along into that digest), so every reminder to the phone until then folds there too.
 */
async function foldIntoNextDay(deps: CapDeps, phone: string, pending: FoldedReminder[], nextDay: Date): Promise<void> {
  const keepUntil = new Date(nextDay.getTime() + DAY_MS);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt++) {
    const window = await deps.reminders.reminderWindow(phone);
    if (window && Date.parse(window.endsAt) >= nextDay.getTime()) {
      while (pending.length > 0 && (await deps.reminders.foldReminder(phone, window.endsAt, pending[0] as FoldedReminder, keepUntil)))
        pending.shift();
      continue;
    }
    const carried = await deps.reminders.openReminderWindow(phone, window?.endsAt, nextDay, keepUntil);
    if (carried) pending.unshift(...carried);
  }
  if (pending.length > 0) throw new Error(`SMS to ${maskPhone(phone)} past its daily cap: the phone's window kept changing`);
}
