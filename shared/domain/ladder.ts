/**
 * The escalation ladder and the clocks of a case: which tier is above which, which cases are verified
 * on site, and when a clock next needs attention (a reminder, the deadline, a further nudge).
 */
import { TIERS, type CaseClock, type ClockKind, type Tier } from './types';

/** grid → community → town/street → district → joint meeting → through train. */
export function tierAbove(tier: Tier): Tier | undefined {
  return TIERS[TIERS.indexOf(tier) + 1];
}

/** District-level cases take six steps: they are verified on site (核查) before the reporter is told. */
export function isVerifiedOnSite(tier: Tier): boolean {
  return tier === 'district' || tier === 'joint_meeting' || tier === 'through_train';
}

/** Clocks whose deadline moves the case on (up the ladder, to a department, to the archive) rather than nudging again. */
export function deadlineMovesCase(kind: ClockKind, tier: Tier): boolean {
  switch (kind) {
    case 'handling':
      return tier !== 'through_train';
    case 'dispatch':
    case 'convene':
    case 'rating':
      return true;
    case 'acceptance':
    case 'meeting':
    case 'verification':
      return false;
  }
}

export type Checkpoint = { type: 'deadline' } | { type: 'reminder'; passed: number } | { type: 'acknowledge_reminder' } | { type: 'nudge' };

/**
 * Who acts on which checkpoint: the lifecycle's execution wakes for the deadline and the nudges after it;
 * the reminders before the deadline (50% and 75%, and the second notice to sign for the case) are sent by the
 * sweeper from the case's due time (`remindersDueAt`), so that a waiting case costs no state transitions
 * until its deadline or an action.
 */
export const SENT_BY_SWEEPER: readonly Checkpoint['type'][] = ['reminder', 'acknowledge_reminder'];
export type CheckpointsOf = 'lifecycle' | 'sweeper' | 'all';
const acts = (of: CheckpointsOf, checkpoint: Checkpoint) =>
  of === 'all' || (of === 'sweeper') === SENT_BY_SWEEPER.includes(checkpoint.type);

export interface ClockContext {
  tier: Tier;
  acknowledged: boolean;
  /** When the handler should have signed for the case, if the clock asks for it. */
  acknowledgeBy?: Date;
  reminderFractions: number[];
  maxNudges: number;
}

/** When the handler is to have signed for the case: the time the clock recorded, else the one the context computes. */
function acknowledgeByOf(clock: CaseClock, context: Pick<ClockContext, 'acknowledgeBy'>): number | undefined {
  return clock.acknowledgeBy ? Date.parse(clock.acknowledgeBy) : context.acknowledgeBy?.getTime();
}

interface Timed {
  at: number;
  checkpoint: Checkpoint;
}

/** Everything still ahead on this clock, soonest first. */
function ahead(clock: CaseClock, context: ClockContext): Timed[] {
  const start = Date.parse(clock.startedAt);
  const deadline = Date.parse(clock.deadlineAt);
  const span = Math.max(deadline - start, 60_000);
  const timed: Timed[] = [];
  if (!clock.expired) {
    if (clock.kind === 'handling') {
      const remindAt = clock.remindAt?.map((at) => Date.parse(at)) ?? context.reminderFractions.map((fraction) => start + fraction * span);
      remindAt.forEach((at, index) => {
        if (index >= clock.reminders) timed.push({ at, checkpoint: { type: 'reminder', passed: index + 1 } });
      });
      const acknowledgeBy = acknowledgeByOf(clock, context);
      if (!context.acknowledged && !clock.acknowledgeReminded && acknowledgeBy !== undefined && acknowledgeBy < deadline) {
        timed.push({ at: acknowledgeBy, checkpoint: { type: 'acknowledge_reminder' } });
      }
    }
    timed.push({ at: deadline, checkpoint: { type: 'deadline' } });
  } else if (!deadlineMovesCase(clock.kind, context.tier) && clock.nudges < context.maxNudges) {
    timed.push({ at: deadline + (clock.nudges + 1) * span, checkpoint: { type: 'nudge' } });
  }
  return timed.sort((a, b) => a.at - b.at);
}

/**
 * What is due on the clock now (the most important one: a passed deadline wins over reminders; several
 * passed reminders make one), and when the clock next needs attention after that.
 */
export function clockStatus(
  clock: CaseClock,
  context: ClockContext,
  now: Date,
  of: CheckpointsOf = 'all',
): { due?: Checkpoint; nextAt?: Date } {
  const timeline = ahead(clock, context).filter((entry) => acts(of, entry.checkpoint));
  const due = timeline.filter((entry) => entry.at <= now.getTime());
  const later = timeline.find((entry) => entry.at > now.getTime());
  const deadline = due.find((entry) => entry.checkpoint.type === 'deadline');
  const reminders = due.filter((entry) => entry.checkpoint.type === 'reminder');
  const pick = deadline ?? reminders.at(-1) ?? due[0];
  return { ...(pick ? { due: pick.checkpoint } : {}), ...(later ? { nextAt: new Date(later.at) } : {}) };
}

/**
 * The next reminder the sweeper sends for a case (the 50%/75% reminders, the second notice to sign for it),
 * read from the case alone — the clock records when each falls — so that a store can index it: undefined
 * when none is ahead.
 */
export function remindersDueAt(theCase: { clock?: CaseClock; acknowledgedAt?: string }): Date | undefined {
  const clock = theCase.clock;
  if (clock?.kind !== 'handling' || clock.expired || !clock.remindAt) return undefined;
  const context: ClockContext = {
    tier: 'grid',
    acknowledged: Boolean(theCase.acknowledgedAt),
    reminderFractions: [],
    maxNudges: 0,
  };
  const next = ahead(clock, context).find((entry) => SENT_BY_SWEEPER.includes(entry.checkpoint.type));
  return next ? new Date(next.at) : undefined;
}
