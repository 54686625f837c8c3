/** What an action on a case yields (the case after it, what to record and send) and the shape of an action family. */
import type { Caller } from '../../domain/caller';
import type { TimelineType } from '../../domain/timeline';
import type { Actor, Case } from '../../domain/types';
import type { CaseChange } from '../../ports/cases';
import type { ActionName } from '../../domain/actions';
import type { ActionInput } from '../../domain/case-inputs';
import type { Move } from '../case-moves';
import type { CoreDependencies, ReferenceData } from '../dependencies';

export interface ActionOutcome extends Omit<Move, 'after'> {
  after: Case;
  photos?: string[];
  /** The action changes what the case's workflow waits for: wake the waiting task with the next decision. */
  wakes: boolean;
  /** A second case changed in the same transaction (the original a duplicate is linked to), read afresh. */
  related?: (now: Date, actor: Actor) => Promise<CaseChange>;
}

/** What an action's handler decides; whether it wakes the workflow is the action's rule (ACTION_RULES). */
export type ActionResult = Omit<ActionOutcome, 'wakes'>;

export interface ActionContext {
  /** Reference data for the moves, and the cases (linking a duplicate reads the original afresh). */
  deps: ReferenceData & Pick<CoreDependencies, 'cases'>;
  caller: Caller;
  now: Date;
  /** `now` as a local ISO time, for the case's fields. */
  at: string;
}

export type ActionInputOf<A extends ActionName> = Extract<ActionInput, { action: A }>;

/** One action: the case as it is and the request in, the result out; throws a refusal the rules table cannot know. */
export type ActionHandler<A extends ActionName> = (context: ActionContext, theCase: Case, input: ActionInputOf<A>) => ActionResult;

/** A family of actions, keyed like ACTION_RULES. */
export type ActionFamily<A extends ActionName> = { [K in A]: ActionHandler<K> };

/** The common result: the case after the action, its timeline type, the request's note, no SMS unless given. */
export function recorded(input: ActionInput, after: Case, type: TimelineType, extra: Partial<ActionResult> = {}): ActionResult {
  return { after, type, note: 'note' in input ? input.note : undefined, sms: [], ...extra };
}
