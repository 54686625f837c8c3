/** 满意度: the reporter's rating, recorded by the grid worker or station (回访) or by the reporter with the SMS code. */
import { toLocalIso } from '../../domain/calendar';
import { conflict } from '../../domain/errors';
import type { Case } from '../../domain/types';
import { assignTo } from '../case-moves';
import type { CounterEntry } from '../changes';
import type { ReferenceData } from '../dependencies';
import type { ActionFamily, ActionResult } from './outcome';

export const RATING_ACTIONS: ActionFamily<'rate'> = {
  rate: ({ deps, caller, now }, theCase, input) => rated(deps, theCase, { score: input.score, note: input.note }, caller.person, now),
};

/** 3–5 archives the case; 1 or 2 reopens it once, back to its last handler. */
export function rated(deps: ReferenceData, theCase: Case, input: { score: number; note?: string }, by: string, now: Date): ActionResult {
  if (theCase.clock?.kind === 'rating' && now >= new Date(theCase.clock.deadlineAt)) {
    throw conflict(`The rating of event ${theCase.id} closed at ${theCase.clock.deadlineAt}`, [
      { field: 'score', message: 'rating closed' },
    ]);
  }
  const rating = { score: input.score, ...(input.note ? { comment: input.note } : {}), at: toLocalIso(now), by };
  const count: CounterEntry[] = ['rated', ['ratingTotal', input.score]];
  if (input.score <= 2 && !theCase.reopened && theCase.assignee) {
    const reopened = assignTo(
      deps,
      { ...theCase, rating: undefined, reopened: true, fedBackAt: undefined, handledAt: undefined },
      theCase.tier,
      theCase.assignee,
      now,
      {
        type: 'reopened',
        reason: `满意度${input.score}分，重新办理 rated ${input.score}: reopened${input.note ? ` — ${input.note}` : ''}`,
        count: [...count, 'reopened'],
      },
    );
    return { ...reopened, after: { ...reopened.after, ratingCode: undefined }, data: { ...reopened.data, rating } };
  }
  return { after: { ...theCase, rating }, type: 'rated', note: input.note, data: { score: input.score }, count, sms: [] };
}
