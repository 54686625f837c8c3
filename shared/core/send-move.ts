/** Sends the SMS a move calls for, after the move is stored (a failed send is recorded on the case, never lost). */
import type { Case } from '../domain/types';
import type { Move } from './case-moves';
import { notify, type NotifyDeps } from './lifecycle-messages';

export async function sendMove(deps: NotifyDeps, move: Pick<Move, 'after' | 'sms'>, before?: Case): Promise<void> {
  for (const sms of move.sms) {
    // A 督办 goes to the head of the handler who let the deadline pass, not of the next one.
    await notify(deps, sms.trigger, sms.before && before ? before : move.after, sms.extras);
  }
}
