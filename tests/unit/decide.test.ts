/** What the lifecycle does next for a case and how long it waits (shared/core/decide.ts): pure, read from the case alone. */
import { firstRoute } from '../../shared/core/case-moves';
import { clockContext, decide, waitingFor } from '../../shared/core/decide';
import { sweeperDueAt } from '../../shared/domain/case-lists';
import { NEXT_STEPS, WAITS, type WaitingFor } from '../../shared/domain/lifecycle';
import { toLocalIso } from '../../shared/domain/calendar';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { CLOCK_KINDS, STAGES, type ClockKind, type Case } from '../../shared/domain/types';
import { pureDeps, sampleClock, sampleEvent } from './pure-deps';

/** Monday 2026-11-23 09:15 in Shanghai, a working morning. */
const NOW = '2026-11-23T09:15:00+08:00';
const deps = pureDeps(NOW);
const CAP = DEFAULT_POLICY.maxWaitSeconds;

const clock = (kind: ClockKind, deadlineAt: string, overrides = {}) =>
  sampleClock(kind, '2026-11-23T09:00:00+08:00', deadlineAt, overrides);
const withClock = (event: Case, kind: ClockKind, deadlineAt: string, overrides = {}): Case => ({
  ...event,
  clock: clock(kind, deadlineAt, overrides),
  deadlineAt,
});

const worker = { type: 'person' as const, id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: '441302010001001' };

/** The situations of a case, each with what the state machine does next and when it next looks (policy seconds from NOW). */
const residentReport = (overrides: Partial<Case> = {}) =>
  sampleEvent({ source: 'citizen', needsAcceptance: true, reportedBy: { id: 'citizen', name: '居民', role: 'citizen' }, ...overrides });
const routed = (overrides: Partial<Case> = {}) =>
  sampleEvent({
    stage: 'routed',
    assignee: worker,
    routedAt: '2026-11-23T09:00:00+08:00',
    acknowledgedAt: '2026-11-23T09:01:00+08:00',
    ...overrides,
  });
const fedBack = (overrides: Partial<Case> = {}) =>
  sampleEvent({
    stage: 'feedback',
    assignee: worker,
    handledAt: '2026-11-23T09:00:00+08:00',
    fedBackAt: '2026-11-23T09:00:00+08:00',
    ratingCode: '123456',
    ...overrides,
  });

describe('waitingFor: what a waiting task of the state machine waits for', () => {
  it('registered: a resident report not yet accepted waits for acceptance; anything else does not wait', () => {
    expect(waitingFor(residentReport())).toBe('acceptance');
    expect(waitingFor(withClock(residentReport(), 'acceptance', '2026-11-23T11:00:00+08:00'))).toBe('acceptance');
    expect(waitingFor(residentReport({ acceptedAt: '2026-11-23T09:10:00+08:00' }))).toBeUndefined();
    expect(waitingFor(sampleEvent())).toBeUndefined();
  });

  const assignedClocks: [ClockKind | undefined, WaitingFor][] = [
    ['dispatch', 'dispatch'],
    ['convene', 'meeting'],
    ['meeting', 'meeting'],
    ['handling', 'handling'],
    [undefined, 'handling'],
  ];
  it.each(
    (['routed', 'handling'] as const).flatMap((stage) =>
      assignedClocks.map(([kind, waits]) => [stage, kind ?? 'no', waits, kind] as const),
    ),
  )('%s on the %s clock waits for %s', (stage, _label, waits, kind) => {
    const event = routed({ stage });
    expect(waitingFor(kind ? withClock(event, kind, '2026-11-23T11:00:00+08:00') : event)).toBe(waits);
  });

  it.each([...CLOCK_KINDS, undefined])('verifying (clock %s) waits for verification', (kind) => {
    const event = sampleEvent({ stage: 'verifying', tier: 'district' });
    expect(waitingFor(kind ? withClock(event, kind, '2026-11-24T09:00:00+08:00') : event)).toBe('verification');
  });

  it('feedback: waits for the rating only once fed back, on the rating clock, not yet rated', () => {
    expect(waitingFor(withClock(fedBack(), 'rating', '2026-11-24T09:00:00+08:00'))).toBe('rating');
    expect(waitingFor(fedBack())).toBeUndefined();
    expect(waitingFor(withClock(fedBack({ fedBackAt: undefined }), 'rating', '2026-11-24T09:00:00+08:00'))).toBeUndefined();
    expect(
      waitingFor(withClock(fedBack({ rating: { score: 4, at: NOW, by: 'reporter' } }), 'rating', '2026-11-24T09:00:00+08:00')),
    ).toBeUndefined();
    expect(waitingFor(sampleEvent({ stage: 'feedback' }))).toBeUndefined();
  });

  it.each(['archived', 'voided'] as const)('%s: waits for nothing, whatever is left on it', (stage) => {
    expect(waitingFor(withClock(residentReport({ stage }), 'acceptance', '2026-11-23T11:00:00+08:00'))).toBeUndefined();
    expect(waitingFor(withClock(routed({ stage }), 'handling', '2026-11-23T11:00:00+08:00'))).toBeUndefined();
  });

  it('every stage is covered and every wait is reachable', () => {
    const seen = new Set<WaitingFor | undefined>();
    for (const stage of STAGES) {
      for (const kind of [...CLOCK_KINDS, undefined]) {
        for (const base of [residentReport(), routed(), fedBack()]) {
          const event = { ...base, stage } as Case;
          seen.add(waitingFor(kind ? withClock(event, kind, '2026-11-24T09:00:00+08:00') : event));
        }
      }
    }
    expect([...seen].filter(Boolean).sort()).toEqual([...WAITS].sort());
  });
});

describe('clockContext', () => {
  it('a handling clock: the tier, whether signed for, when to sign by (the policy’s acknowledge limit on the calendar), the reminder fractions and the nudge bound', () => {
    expect(clockContext(deps, withClock(routed({ acknowledgedAt: undefined }), 'handling', '2026-11-24T09:00:00+08:00'))).toEqual({
      tier: 'grid',
      acknowledged: false,
      acknowledgeBy: new Date('2026-11-23T11:00:00+08:00'), // level 4: 2 working hours
      reminderFractions: [0.5, 0.75],
      maxNudges: 3,
    });
  });

  it.each([
    [1, '2026-11-23T09:10:00+08:00'],
    [2, '2026-11-23T09:30:00+08:00'],
    [3, '2026-11-23T11:00:00+08:00'],
  ] as const)('level %i signs by %s', (severity, by) => {
    expect(clockContext(deps, withClock(routed({ severity, tier: 'town' }), 'handling', '2026-11-24T09:00:00+08:00'))).toMatchObject({
      tier: 'town',
      acknowledged: true,
      acknowledgeBy: new Date(by),
    });
  });

  it('the sign-by time counts working hours: a case routed Friday 17:00 is signed for by Monday 10:00', () => {
    const friday = { ...routed(), clock: sampleClock('handling', '2026-11-27T17:00:00+08:00', '2026-11-30T17:00:00+08:00') };
    expect(clockContext(deps, friday).acknowledgeBy).toEqual(new Date('2026-11-30T10:00:00+08:00'));
  });

  it.each(['acceptance', 'dispatch', 'convene', 'meeting', 'verification', 'rating'] as const)(
    'a %s clock asks nobody to sign for it',
    (kind) => {
      expect(clockContext(deps, withClock(routed(), kind, '2026-11-24T09:00:00+08:00')).acknowledgeBy).toBeUndefined();
    },
  );

  it('without a clock: no sign-by time', () => {
    expect(clockContext(deps, routed()).acknowledgeBy).toBeUndefined();
  });

  it('follows the policy', () => {
    const custom = pureDeps(NOW, { policy: { reminderFractions: [0.8], maxOverdueNudges: 5 } });
    expect(clockContext(custom, routed())).toMatchObject({ reminderFractions: [0.8], maxNudges: 5 });
  });
});

describe('decide: the next step for each situation', () => {
  const situations: [label: string, event: Case, next: (typeof NEXT_STEPS)[number], timeoutSeconds: number][] = [
    [
      'a registered resident report (acceptance clock to 11:00)',
      withClock(residentReport(), 'acceptance', '2026-11-23T11:00:00+08:00'),
      'await_acceptance',
      6300,
    ],
    ['a resident report before its acceptance clock started', residentReport(), 'await_acceptance', CAP],
    [
      'a resident report whose acceptance deadline passed (nudge one span later)',
      withClock(residentReport({ overdue: true }), 'acceptance', '2026-11-23T09:10:00+08:00', { expired: true }),
      'await_acceptance',
      300,
    ],
    ['an accepted resident report', residentReport({ acceptedAt: '2026-11-23T09:10:00+08:00' }), 'route', CAP],
    ['a worker’s own report', sampleEvent(), 'route', CAP],
    [
      'a case its center must dispatch (to 09:30)',
      withClock(routed({ tier: 'town' }), 'dispatch', '2026-11-23T09:30:00+08:00'),
      'await_dispatch',
      900,
    ],
    [
      'a routed case on a 2-hour handling clock (its reminders are the sweeper’s: the wait ends at the deadline)',
      withClock(routed(), 'handling', '2026-11-23T11:00:00+08:00'),
      'handle',
      6300,
    ],
    [
      'a case being handled, first reminder sent (the deadline at 11:00)',
      withClock(routed({ stage: 'handling' }), 'handling', '2026-11-23T11:00:00+08:00', { reminders: 1 }),
      'handle',
      6300,
    ],
    [
      'a case being handled, both reminders sent (deadline 11:00)',
      withClock(routed({ stage: 'handling' }), 'handling', '2026-11-23T11:00:00+08:00', { reminders: 2 }),
      'handle',
      6300,
    ],
    ['a routed case without a clock', routed(), 'handle', CAP],
    [
      'an overdue through-train case (next nudge a span after the deadline)',
      {
        ...routed({ tier: 'through_train', severity: 1, overdue: true }),
        clock: sampleClock('handling', '2026-11-23T07:00:00+08:00', '2026-11-23T09:00:00+08:00', { expired: true }),
      },
      'handle',
      6300,
    ],
    [
      'a joint meeting to convene (to 11:00)',
      withClock(routed({ tier: 'joint_meeting' }), 'convene', '2026-11-23T11:00:00+08:00'),
      'await_meeting',
      6300,
    ],
    [
      'a convened joint meeting (decision due 11:00)',
      withClock(routed({ tier: 'joint_meeting' }), 'meeting', '2026-11-23T11:00:00+08:00'),
      'await_meeting',
      6300,
    ],
    [
      'a district case to verify (to 10:00)',
      withClock(routed({ stage: 'verifying', tier: 'district' }), 'verification', '2026-11-23T10:00:00+08:00'),
      'verify',
      2700,
    ],
    ['a handled case not yet fed back', sampleEvent({ stage: 'feedback', handledAt: '2026-11-23T09:00:00+08:00' }), 'feedback', CAP],
    [
      'a fed-back case the reporter may rate (to Tuesday 09:00)',
      withClock(fedBack(), 'rating', '2026-11-24T09:00:00+08:00'),
      'await_rating',
      85500,
    ],
    [
      'a fed-back case already rated',
      withClock(fedBack({ rating: { score: 5, at: NOW, by: 'reporter' } }), 'rating', '2026-11-24T09:00:00+08:00'),
      'archive',
      CAP,
    ],
    ['a fed-back case without a rating window (no phone)', fedBack({ reporter: undefined }), 'archive', CAP],
    ['a rating window that closed at 09:00', withClock(fedBack(), 'rating', '2026-11-23T09:00:00+08:00'), 'archive', CAP],
    ['a rating window closing right now', withClock(fedBack(), 'rating', NOW), 'archive', CAP],
    ['an archived case', sampleEvent({ stage: 'archived', status: 'closed' }), 'done', CAP],
    ['a voided report', residentReport({ stage: 'voided', status: 'closed' }), 'done', CAP],
  ];

  it.each(situations)('%s → %s', (_label, event, next, timeoutSeconds) => {
    expect(decide(deps, event, 7)).toEqual({ next, timeoutSeconds, loops: 8, version: event.version });
  });

  it('reaches every step but continue from some case', () => {
    expect([...new Set(situations.map(([, , next]) => next))].sort()).toEqual(NEXT_STEPS.filter((step) => step !== 'continue').sort());
  });

  it('an unacknowledged level-1 case waits for its deadline: the second notice to sign for it is the sweeper’s', () => {
    const at0905 = pureDeps('2026-11-23T09:05:00+08:00');
    const event = withClock(
      routed({ tier: 'through_train', severity: 1, acknowledgedAt: undefined }),
      'handling',
      '2026-11-23T11:00:00+08:00',
    );
    expect(decide(at0905, event, 0)).toEqual({ next: 'handle', timeoutSeconds: 6900, loops: 1, version: event.version });
  });

  it('reads the case as given: the same case decides the same at the same time', () => {
    const event = withClock(routed(), 'handling', '2026-11-23T11:00:00+08:00');
    expect(decide(deps, event, 3)).toEqual(decide(deps, structuredClone(event), 3));
  });
});

describe('decide: timeoutSeconds — policy seconds to the next checkpoint, over the time scale, at least 1, at most the cap', () => {
  const to1100 = withClock(residentReport(), 'acceptance', '2026-11-23T11:00:00+08:00'); // 6300 policy seconds away

  it.each([
    [1, 6300],
    [60, 105],
    [7, 900],
    [3600, 2],
    [100000, 1],
  ])('scale %i → %i wall-clock seconds (rounded up)', (scale, seconds) => {
    expect(decide(pureDeps(NOW, { scale }), to1100, 0).timeoutSeconds).toBe(seconds);
  });

  it('rounds a fraction of a second up, never down (waking early only re-checks; waking late misses)', () => {
    const soon = withClock(residentReport(), 'acceptance', '2026-11-23T09:15:01.200+08:00');
    expect(decide(deps, soon, 0).timeoutSeconds).toBe(2);
    expect(
      decide(pureDeps(NOW, { scale: 60 }), withClock(residentReport(), 'acceptance', '2026-11-23T09:16:01+08:00'), 0).timeoutSeconds,
    ).toBe(2);
  });

  it('is at least 1, however close the checkpoint', () => {
    const verySoon = withClock(residentReport(), 'acceptance', '2026-11-23T09:15:00.100+08:00');
    expect(decide(deps, verySoon, 0).timeoutSeconds).toBe(1);
    expect(
      decide(pureDeps(NOW, { scale: 3600 }), withClock(residentReport(), 'acceptance', '2026-11-23T09:15:01+08:00'), 0).timeoutSeconds,
    ).toBe(1);
  });

  it('is at most policy.maxWaitSeconds (the local engine’s timers overflow past ~24.8 days)', () => {
    expect(CAP).toBeLessThanOrEqual(Math.floor((2 ** 31 - 1) / 1000));
    const farRating = withClock(fedBack(), 'rating', '2027-03-01T09:00:00+08:00');
    expect(decide(deps, farRating, 0).timeoutSeconds).toBe(CAP);
    expect(decide(pureDeps(NOW, { policy: { maxWaitSeconds: 600 } }), to1100, 0).timeoutSeconds).toBe(600);
  });
});

describe('decide: bounded rounds', () => {
  const max = DEFAULT_POLICY.maxWorkflowLoops;
  const waiting: [WaitingFor, Case][] = [
    ['acceptance', withClock(residentReport(), 'acceptance', '2026-11-23T11:00:00+08:00')],
    ['dispatch', withClock(routed({ tier: 'town' }), 'dispatch', '2026-11-23T09:30:00+08:00')],
    ['handling', withClock(routed(), 'handling', '2026-11-23T11:00:00+08:00')],
    ['meeting', withClock(routed({ tier: 'joint_meeting' }), 'convene', '2026-11-23T11:00:00+08:00')],
    ['verification', withClock(routed({ stage: 'verifying', tier: 'district' }), 'verification', '2026-11-23T10:00:00+08:00')],
    ['rating', withClock(fedBack(), 'rating', '2026-11-24T09:00:00+08:00')],
  ];

  it('covers every wait', () => {
    expect(waiting.map(([what]) => what).sort()).toEqual([...WAITS].sort());
    for (const [what, event] of waiting) expect(waitingFor(event)).toBe(what);
  });

  it.each(waiting)(
    'waiting for %s: counts one more round each time, and continues in a new execution from the bound on',
    (_what, event) => {
      expect(decide(deps, event, 0).loops).toBe(1);
      expect(decide(deps, event, max - 1)).toMatchObject({ loops: max });
      expect(decide(deps, event, max - 1).next).not.toBe('continue');
      expect(decide(deps, event, max)).toEqual({ next: 'continue', timeoutSeconds: CAP, loops: max + 1, version: event.version });
      expect(decide(deps, event, max + 5).next).toBe('continue');
    },
  );

  it('a rating window that closed past the bound continues too (the new execution archives it)', () => {
    expect(decide(deps, withClock(fedBack(), 'rating', '2026-11-23T09:00:00+08:00'), max).next).toBe('continue');
  });

  it.each([
    ['route', sampleEvent()],
    ['feedback', sampleEvent({ stage: 'feedback' })],
    ['archive', fedBack()],
    ['done', sampleEvent({ stage: 'archived', status: 'closed' })],
  ] as const)('a case that does not wait goes on to %s, whatever the count', (next, event) => {
    expect(decide(deps, event, max + 1)).toMatchObject({ next, loops: max + 2 });
  });

  it.each(waiting)(
    'waiting for %s: an execution that has had the case for 300 policy days hands it over (Standard stops one after a year)',
    (_what, event) => {
      const created = (daysAgo: number) => toLocalIso(new Date(Date.parse(NOW) - daysAgo * 86_400_000));
      expect(decide(deps, { ...event, createdAt: created(299) }, 1).next).not.toBe('continue');
      expect(decide(deps, { ...event, createdAt: created(300) }, 1).next).toBe('continue');
      // A later execution counts from when it took the case over.
      expect(decide(deps, { ...event, createdAt: created(400), workflowSince: created(10) }, 1).next).not.toBe('continue');
      expect(decide(deps, { ...event, createdAt: created(700), workflowSince: created(301) }, 1).next).toBe('continue');
      // Even the longest wait ends well inside the year: at most 300 days plus one capped wait.
      expect(DEFAULT_POLICY.maxExecutionDays + DEFAULT_POLICY.maxWaitSeconds / 86_400).toBeLessThan(365);
    },
  );

  it('the bound follows the policy', () => {
    const small = pureDeps(NOW, { policy: { maxWorkflowLoops: 3 } });
    expect(decide(small, waiting[2]![1], 2).next).toBe('handle');
    expect(decide(small, waiting[2]![1], 3).next).toBe('continue');
  });
});

describe('decide: reminders fall at fractions of the working time (the limit is working time)', () => {
  // A level-4 drain routed to the grid worker on Friday 16:00: 1 working day (7 working hours), due
  // Monday 16:00. Half the working time is 3.5 working hours: Monday 10:30; three quarters, 5.25: Monday
  // 14:15. (Fractions of the calendar span would fall at Sunday 04:00 and Sunday 22:00.)
  const friday = new Date('2026-11-27T16:00:00+08:00');
  const routedFriday = firstRoute(pureDeps(friday), sampleEvent(), 'grid', friday).after;
  const signedFor: Case = { ...routedFriday, acknowledgedAt: '2026-11-27T16:05:00+08:00' };
  const checkpointAfter = (now: string, event: Case) => {
    const at = pureDeps(now);
    return toLocalIso(new Date(Date.parse(now) + decide(at, event, 0).timeoutSeconds * 1000));
  };

  it('the case is due Monday 16:00, with its reminders stored on the clock', () => {
    expect(signedFor.deadlineAt).toBe('2026-11-30T16:00:00+08:00');
    expect(signedFor.clock?.remindAt).toEqual(['2026-11-30T10:30:00+08:00', '2026-11-30T14:15:00+08:00']);
  });

  it('the workflow looks again only at the deadline; the sweeper’s list has the case at Monday 10:30, then 14:15, then the deadline’s grace', () => {
    expect(checkpointAfter('2026-11-27T16:30:00+08:00', signedFor)).toBe('2026-11-30T16:00:00+08:00');
    expect(toLocalIso(sweeperDueAt(signedFor)!)).toBe('2026-11-30T10:30:00+08:00');
    const reminded = { ...signedFor, clock: { ...signedFor.clock!, reminders: 1 } };
    expect(checkpointAfter('2026-11-30T10:30:00+08:00', reminded)).toBe('2026-11-30T16:00:00+08:00');
    expect(toLocalIso(sweeperDueAt(reminded)!)).toBe('2026-11-30T14:15:00+08:00');
    const both = { ...signedFor, clock: { ...signedFor.clock!, reminders: 2 } };
    expect(checkpointAfter('2026-11-30T14:15:00+08:00', both)).toBe('2026-11-30T16:00:00+08:00');
    expect(toLocalIso(sweeperDueAt(both)!)).toBe('2026-11-30T16:10:00+08:00');
  });

  it('every checkpoint is in working time', () => {
    const calendar = pureDeps(friday).calendar;
    for (const at of signedFor.clock!.remindAt!) expect(calendar.isWorkingTime(new Date(at))).toBe(true);
  });

  it('an unacknowledged case is first on the sweeper’s list for the second notice, 2 working hours in: Monday 09:00', () => {
    expect(routedFriday.clock?.acknowledgeBy).toBe('2026-11-30T09:00:00+08:00');
    expect(toLocalIso(sweeperDueAt(routedFriday)!)).toBe('2026-11-30T09:00:00+08:00');
    expect(checkpointAfter('2026-11-27T16:30:00+08:00', routedFriday)).toBe('2026-11-30T16:00:00+08:00');
  });
});
