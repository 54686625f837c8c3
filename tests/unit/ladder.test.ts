/** The escalation ladder and the clocks of a case (shared/domain/ladder.ts). */
import { clockStatus, deadlineMovesCase, isVerifiedOnSite, tierAbove, type ClockContext } from '../../shared/domain/ladder';
import { CLOCK_KINDS, TIERS, type CaseClock, type ClockKind, type Tier } from '../../shared/domain/types';

const HOUR = 3600_000;
/** Monday 2026-11-23 09:00 in Shanghai; the clock runs 24 hours to Tuesday 09:00. */
const START = Date.parse('2026-11-23T09:00:00+08:00');
const DEADLINE = START + 24 * HOUR;
const at = (ms: number) => new Date(ms);

const clock = (kind: ClockKind, overrides: Partial<CaseClock> = {}): CaseClock => ({
  kind,
  startedAt: '2026-11-23T09:00:00+08:00',
  deadlineAt: '2026-11-24T09:00:00+08:00',
  reminders: 0,
  nudges: 0,
  ...overrides,
});

const context = (overrides: Partial<ClockContext> = {}): ClockContext => ({
  tier: 'grid',
  acknowledged: true,
  reminderFractions: [0.5, 0.75],
  maxNudges: 3,
  ...overrides,
});

/** Not acknowledged, to sign for by 11:00 (2 hours in). */
const unacknowledged = (overrides: Partial<ClockContext> = {}) =>
  context({ acknowledged: false, acknowledgeBy: at(START + 2 * HOUR), ...overrides });

describe('tierAbove: grid → community → town → district → joint meeting → through train', () => {
  it.each([
    ['grid', 'community'],
    ['community', 'town'],
    ['town', 'district'],
    ['district', 'joint_meeting'],
    ['joint_meeting', 'through_train'],
    ['through_train', undefined],
  ] as const)('above %s is %s', (tier, above) => {
    expect(tierAbove(tier)).toBe(above);
  });

  it('climbs every tier once, from the grid to the top', () => {
    const climbed: Tier[] = ['grid'];
    for (let next = tierAbove('grid'); next; next = tierAbove(next)) climbed.push(next);
    expect(climbed).toEqual([...TIERS]);
  });
});

describe('isVerifiedOnSite: district-level cases take six steps', () => {
  it.each([
    ['grid', false],
    ['community', false],
    ['town', false],
    ['district', true],
    ['joint_meeting', true],
    ['through_train', true],
  ] as const)('%s → %s', (tier, verified) => {
    expect(isVerifiedOnSite(tier)).toBe(verified);
  });
});

describe('deadlineMovesCase: which deadlines move the case on rather than nudging again', () => {
  const expected: Record<ClockKind, (tier: Tier) => boolean> = {
    // Up the ladder — except at the top, where the leadership is nudged again.
    handling: (tier) => tier !== 'through_train',
    // To the catalog's department.
    dispatch: () => true,
    // To the through train.
    convene: () => true,
    // To the archive.
    rating: () => true,
    // Nudged again at each further limit.
    acceptance: () => false,
    meeting: () => false,
    verification: () => false,
  };

  it('covers every clock kind', () => {
    expect(Object.keys(expected).sort()).toEqual([...CLOCK_KINDS].sort());
  });

  const cases = CLOCK_KINDS.flatMap((kind) => TIERS.map((tier) => [kind, tier, expected[kind](tier)] as const));
  it.each(cases)('%s at %s → %s', (kind, tier, moves) => {
    expect(deadlineMovesCase(kind, tier)).toBe(moves);
  });
});

describe('clockStatus: reminders on a handling clock', () => {
  it('before 50%: nothing due; next at 50%', () => {
    expect(clockStatus(clock('handling'), context(), at(START + HOUR))).toEqual({ nextAt: at(START + 12 * HOUR) });
  });

  it('at 50%: the first reminder; next at 75%', () => {
    expect(clockStatus(clock('handling'), context(), at(START + 12 * HOUR))).toEqual({
      due: { type: 'reminder', passed: 1 },
      nextAt: at(START + 18 * HOUR),
    });
  });

  it('after the first reminder was sent: nothing due until 75%', () => {
    expect(clockStatus(clock('handling', { reminders: 1 }), context(), at(START + 13 * HOUR))).toEqual({ nextAt: at(START + 18 * HOUR) });
  });

  it('at 75%: the second reminder; next the deadline', () => {
    expect(clockStatus(clock('handling', { reminders: 1 }), context(), at(START + 18 * HOUR))).toEqual({
      due: { type: 'reminder', passed: 2 },
      nextAt: at(DEADLINE),
    });
  });

  it('both 50% and 75% passed and none sent: one reminder (the later), not two', () => {
    expect(clockStatus(clock('handling'), context(), at(START + 20 * HOUR))).toEqual({
      due: { type: 'reminder', passed: 2 },
      nextAt: at(DEADLINE),
    });
  });

  it('both reminders sent: nothing due; next the deadline', () => {
    expect(clockStatus(clock('handling', { reminders: 2 }), context(), at(START + 20 * HOUR))).toEqual({ nextAt: at(DEADLINE) });
  });

  it('follows the policy’s fractions', () => {
    const fractions = context({ reminderFractions: [0.25, 0.5, 0.9] });
    expect(clockStatus(clock('handling'), fractions, at(START + HOUR)).nextAt).toEqual(at(START + 6 * HOUR));
    expect(clockStatus(clock('handling', { reminders: 2 }), fractions, at(START + 13 * HOUR)).nextAt).toEqual(at(START + 0.9 * 24 * HOUR));
    expect(clockStatus(clock('handling'), fractions, at(START + 13 * HOUR)).due).toEqual({ type: 'reminder', passed: 2 });
    expect(clockStatus(clock('handling'), context({ reminderFractions: [] }), at(START + 13 * HOUR))).toEqual({ nextAt: at(DEADLINE) });
  });

  it.each(['acceptance', 'dispatch', 'convene', 'meeting', 'verification', 'rating'] as const)(
    'a %s clock has no reminders: only its deadline',
    (kind) => {
      expect(clockStatus(clock(kind), unacknowledged(), at(START + HOUR))).toEqual({ nextAt: at(DEADLINE) });
      expect(clockStatus(clock(kind), unacknowledged(), at(START + 20 * HOUR))).toEqual({ nextAt: at(DEADLINE) });
    },
  );
});

describe('clockStatus: reminders stored on the clock (remindAt) win over the fractions', () => {
  // Fractions of working time, computed when the clock started (shared/core/case-moves.ts reminderTimes).
  const stored = clock('handling', { remindAt: ['2026-11-23T10:30:00+08:00', '2026-11-23T14:15:00+08:00'] });

  it('the first reminder at its stored time, not at 50% of the span', () => {
    expect(clockStatus(stored, context(), at(START + HOUR))).toEqual({ nextAt: at(START + 1.5 * HOUR) });
    expect(clockStatus(stored, context(), at(START + 1.5 * HOUR))).toEqual({
      due: { type: 'reminder', passed: 1 },
      nextAt: at(START + 5.25 * HOUR),
    });
  });

  it('skips those already sent, and makes one reminder of several passed', () => {
    expect(clockStatus({ ...stored, reminders: 1 }, context(), at(START + 2 * HOUR))).toEqual({ nextAt: at(START + 5.25 * HOUR) });
    expect(clockStatus(stored, context(), at(START + 6 * HOUR))).toEqual({ due: { type: 'reminder', passed: 2 }, nextAt: at(DEADLINE) });
  });

  it('an empty list: no reminders at all', () => {
    expect(clockStatus(clock('handling', { remindAt: [] }), context(), at(START + 20 * HOUR))).toEqual({ nextAt: at(DEADLINE) });
  });
});

describe('clockStatus: the reminder to sign for the case (签收)', () => {
  it('not acknowledged: due at the acknowledge time, before the 50% reminder', () => {
    expect(clockStatus(clock('handling'), unacknowledged(), at(START + HOUR))).toEqual({ nextAt: at(START + 2 * HOUR) });
    expect(clockStatus(clock('handling'), unacknowledged(), at(START + 2 * HOUR))).toEqual({
      due: { type: 'acknowledge_reminder' },
      nextAt: at(START + 12 * HOUR),
    });
  });

  it('acknowledged: no such reminder', () => {
    expect(clockStatus(clock('handling'), context({ acknowledgeBy: at(START + 2 * HOUR) }), at(START + 3 * HOUR))).toEqual({
      nextAt: at(START + 12 * HOUR),
    });
  });

  it('already sent once: not again', () => {
    expect(clockStatus(clock('handling', { acknowledgeReminded: true }), unacknowledged(), at(START + 3 * HOUR))).toEqual({
      nextAt: at(START + 12 * HOUR),
    });
  });

  it('only before the deadline: an acknowledge time at or after the deadline asks for nothing', () => {
    expect(
      clockStatus(clock('handling', { reminders: 2 }), unacknowledged({ acknowledgeBy: at(DEADLINE) }), at(START + 20 * HOUR)),
    ).toEqual({ nextAt: at(DEADLINE) });
    expect(
      clockStatus(clock('handling', { reminders: 2 }), unacknowledged({ acknowledgeBy: at(DEADLINE + HOUR) }), at(START + 20 * HOUR)),
    ).toEqual({ nextAt: at(DEADLINE) });
  });

  it('without an acknowledge time: nothing', () => {
    expect(clockStatus(clock('handling'), context({ acknowledged: false }), at(START + HOUR))).toEqual({ nextAt: at(START + 12 * HOUR) });
  });

  it('a passed reminder wins over a passed acknowledge reminder (one SMS per check)', () => {
    expect(clockStatus(clock('handling'), unacknowledged(), at(START + 12 * HOUR)).due).toEqual({ type: 'reminder', passed: 1 });
    // Once that reminder is recorded, the acknowledge reminder is still due at the next check.
    expect(clockStatus(clock('handling', { reminders: 1 }), unacknowledged(), at(START + 12 * HOUR)).due).toEqual({
      type: 'acknowledge_reminder',
    });
  });
});

describe('clockStatus: the deadline', () => {
  it.each(CLOCK_KINDS)('a %s clock: due at its deadline', (kind) => {
    expect(clockStatus(clock(kind), context(), at(DEADLINE)).due).toEqual({ type: 'deadline' });
  });

  it('wins over reminders not yet sent and over the acknowledge reminder', () => {
    expect(clockStatus(clock('handling'), unacknowledged(), at(DEADLINE + HOUR)).due).toEqual({ type: 'deadline' });
    expect(clockStatus(clock('handling', { reminders: 1 }), unacknowledged(), at(DEADLINE)).due).toEqual({ type: 'deadline' });
  });

  it('a clock whose deadline moves the case: nothing after it (the move starts a new clock)', () => {
    expect(clockStatus(clock('handling'), context({ tier: 'grid' }), at(DEADLINE))).toEqual({ due: { type: 'deadline' } });
    expect(clockStatus(clock('handling', { expired: true }), context({ tier: 'grid' }), at(DEADLINE + HOUR))).toEqual({});
  });

  it('a clock that does not move the case: once the deadline is acted on (expired), the first nudge one span later', () => {
    expect(clockStatus(clock('handling'), context({ tier: 'through_train' }), at(DEADLINE))).toEqual({ due: { type: 'deadline' } });
    expect(clockStatus(clock('handling', { expired: true }), context({ tier: 'through_train' }), at(DEADLINE))).toEqual({
      nextAt: at(DEADLINE + 24 * HOUR),
    });
  });
});

describe('clockStatus: nudges after the deadline (督办 again), bounded and spaced by the clock’s span', () => {
  const nudgingKinds: [ClockKind, Tier][] = [
    ['handling', 'through_train'],
    ['acceptance', 'grid'],
    ['meeting', 'joint_meeting'],
    ['verification', 'district'],
  ];

  it.each(nudgingKinds)('%s at %s: nudge n falls n spans after the deadline, up to maxNudges', (kind, tier) => {
    const ctx = context({ tier, maxNudges: 3 });
    for (const nudges of [0, 1, 2]) {
      const expired = clock(kind, { expired: true, nudges });
      const nudgeAt = DEADLINE + (nudges + 1) * 24 * HOUR;
      expect(clockStatus(expired, ctx, at(nudgeAt - HOUR))).toEqual({ nextAt: at(nudgeAt) });
      expect(clockStatus(expired, ctx, at(nudgeAt))).toEqual({ due: { type: 'nudge' } });
    }
    expect(clockStatus(clock(kind, { expired: true, nudges: 3 }), ctx, at(DEADLINE + 10 * 24 * HOUR))).toEqual({});
  });

  it('a late check sends one nudge, not all of those it missed', () => {
    expect(clockStatus(clock('acceptance', { expired: true, nudges: 0 }), context(), at(DEADLINE + 5 * 24 * HOUR))).toEqual({
      due: { type: 'nudge' },
    });
  });

  it.each([0, 1])('maxNudges %i bounds them', (maxNudges) => {
    expect(
      clockStatus(
        clock('verification', { expired: true, nudges: maxNudges }),
        context({ tier: 'district', maxNudges }),
        at(DEADLINE + 30 * 24 * HOUR),
      ),
    ).toEqual({});
  });

  it.each([
    ['dispatch', 'town'],
    ['convene', 'joint_meeting'],
    ['rating', 'grid'],
    ['handling', 'grid'],
    ['handling', 'district'],
    ['handling', 'joint_meeting'],
  ] as const)('none for a %s clock at %s (its deadline moved the case)', (kind, tier) => {
    expect(clockStatus(clock(kind, { expired: true }), context({ tier }), at(DEADLINE + 2 * 24 * HOUR))).toEqual({});
  });

  it('spacing follows the span: a 2-hour through-train clock nudges every 2 hours', () => {
    const short = clock('handling', { deadlineAt: '2026-11-23T11:00:00+08:00', expired: true, nudges: 1 });
    expect(clockStatus(short, context({ tier: 'through_train' }), at(START + 3 * HOUR))).toEqual({
      nextAt: at(START + 2 * HOUR + 2 * 2 * HOUR),
    });
  });

  it('a clock of no length still spaces its nudges by a minute', () => {
    const instant = clock('acceptance', { deadlineAt: '2026-11-23T09:00:00+08:00', expired: true });
    expect(clockStatus(instant, context(), at(START))).toEqual({ nextAt: at(START + 60_000) });
  });
});

describe('clockStatus: nextAt is always in the future', () => {
  const contexts = [
    context(),
    unacknowledged(),
    context({ tier: 'through_train' }),
    unacknowledged({ tier: 'through_train', acknowledgeBy: at(START + 13 * HOUR) }),
  ];
  const clocks = CLOCK_KINDS.flatMap((kind) => [
    clock(kind),
    clock(kind, { reminders: 1 }),
    clock(kind, { reminders: 2, acknowledgeReminded: true }),
    clock(kind, { expired: true }),
    clock(kind, { expired: true, nudges: 2 }),
  ]);
  const instants = Array.from({ length: 5 * 24 * 4 + 1 }, (_, index) => START - HOUR + index * 15 * 60_000);

  it(`for ${clocks.length} clocks × ${contexts.length} contexts × ${instants.length} instants`, () => {
    let checked = 0;
    const violations: string[] = [];
    for (const c of clocks) {
      for (const ctx of contexts) {
        for (const now of instants) {
          const { nextAt, due } = clockStatus(c, ctx, at(now));
          if (nextAt) {
            checked += 1;
            if (nextAt.getTime() <= now)
              violations.push(`${JSON.stringify(c)} at ${at(now).toISOString()}: nextAt ${nextAt.toISOString()}`);
          }
          // Nothing is due before the clock starts.
          if (now < START && due) violations.push(`${JSON.stringify(c)} at ${at(now).toISOString()}: ${due.type} due before the start`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });
});
