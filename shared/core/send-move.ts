/**
 * The SMS a move calls for: stored with the move's change (the SMS sender sends them once it is committed);
 * reminders go through the folding rule (reminders.ts) after it.
 */
import { SMS_RULES } from '../domain/sms-rules';
import type { Case } from '../domain/types';
import type { CaseChange } from '../ports/cases';
import type { Move } from './case-moves';
import { type Addressing, messagesFor, type NotifyDeps } from './lifecycle-messages';
import { withMessages } from './notify';
import { sendReminder } from './reminders';

type MoveSms = Pick<Move, 'sms'>;

/** The change with the move's SMS (not its reminders), addressed as the case is after it. */
export function withMoveMessages(deps: Addressing, change: CaseChange, move: MoveSms, before?: Case): CaseChange {
  const requests = move.sms
    .filter((sms) => !SMS_RULES[sms.trigger].reminder)
    // A 督办 goes to the head of the handler who let the deadline pass, not of the next one.
    .flatMap((sms) => messagesFor(deps, sms.trigger, sms.before && before ? before : change.case, sms.extras));
  return withMessages(change, requests);
}

/** The move's reminders, once its change is stored: each is sent, or folded into the phone's digest. */
export async function sendMoveReminders(deps: NotifyDeps, move: MoveSms, after: Case): Promise<void> {
  for (const sms of move.sms.filter((candidate) => SMS_RULES[candidate.trigger].reminder)) {
    for (const message of messagesFor(deps, sms.trigger, after, sms.extras)) await sendReminder(deps, after.id, message);
  }
}
