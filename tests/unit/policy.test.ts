import { parseLocal, toLocalIso } from '../../shared/domain/calendar';
import type { CatalogItem } from '../../shared/domain/catalog';
import { acceptanceDeadline, DEFAULT_POLICY, handlingDeadline, handlingLimit, startingTier, type Policy } from '../../shared/domain/policy';
import { TIERS, type Severity, type Tier } from '../../shared/domain/types';
import { sampleCalendar, sampleCatalog } from '../../dev-server/seed-reference';

const calendar = sampleCalendar();
const catalog = sampleCatalog();

function item(code: string): CatalogItem {
  const found = catalog.item(code);
  if (!found) throw new Error(`test setup: no catalog item ${code}`);
  return found;
}

/** 01-01 blocked drain: severity 4, its own limit is 1 working day. */
const drain = item('01-01');
/** 01-04 stall blocking the road: severity 4, its own limit is 4 working hours. */
const stall = item('01-04');
/** 01-05 illegal construction: severity 3, its own limit is 15 working days. */
const illegalBuilding = item('01-05');
/** 02-02: severity 2, no limit of its own (null in the data). */
const noOwnLimit = item('02-02');

/** Deadline as Shanghai ISO, from a Shanghai wall-clock start. */
const handlingDue = (tier: Tier, severity: Severity, catalogItem: CatalogItem, from: string) =>
  toLocalIso(handlingDeadline(DEFAULT_POLICY, calendar, tier, severity, catalogItem, parseLocal(from)));
const acceptanceDue = (severity: Severity, from: string) =>
  toLocalIso(acceptanceDeadline(DEFAULT_POLICY, calendar, severity, parseLocal(from)));

describe('startingTier', () => {
  it.each([
    [1, 'through_train'],
    [2, 'town'],
    [3, 'community'],
    [4, 'grid'],
  ] as const)('severity %i starts at %s', (severity, tier) => {
    expect(startingTier(DEFAULT_POLICY, severity)).toBe(tier);
  });

  it('follows the policy it is given, not a built-in table', () => {
    const policy: Policy = { ...DEFAULT_POLICY, startingTier: { ...DEFAULT_POLICY.startingTier, 4: 'community' } };
    expect(startingTier(policy, 4)).toBe('community');
    expect(startingTier(DEFAULT_POLICY, 4)).toBe('grid');
  });
});

describe('DEFAULT_POLICY: the published default (the README prints it)', () => {
  it('accepts a resident report within 10 / 30 calendar minutes (levels 1–2) and 2 working hours (levels 3–4)', () => {
    expect(DEFAULT_POLICY.acceptanceLimit).toEqual({
      1: { calendarMinutes: 10 },
      2: { calendarMinutes: 30 },
      3: { workingHours: 2 },
      4: { workingHours: 2 },
    });
  });

  it('has a handling limit for every tier and every severity', () => {
    for (const tier of TIERS) {
      for (const severity of [1, 2, 3, 4] as const) {
        expect(DEFAULT_POLICY.handlingLimit[tier][severity]).toBeDefined();
      }
    }
  });

  it.each([
    // tier, severity, limit (the filled cells of the published table)
    ['grid', 4, { workingDays: 1 }],
    ['community', 3, { workingDays: 2 }],
    ['community', 4, { workingDays: 2 }],
    ['town', 2, { workingHours: 8 }],
    ['town', 3, { workingDays: 3 }],
    ['town', 4, { workingDays: 3 }],
    ['district', 2, { workingDays: 1 }],
    ['district', 3, { workingDays: 5 }],
    ['district', 4, { workingDays: 5 }],
    ['joint_meeting', 2, { workingDays: 1 }],
    ['joint_meeting', 3, { workingDays: 3 }],
    ['through_train', 1, { calendarHours: 2 }],
    ['through_train', 2, { calendarHours: 24 }],
    ['through_train', 4, { calendarHours: 24 }],
  ] as const)('%s × level %i is %j', (tier, severity, limit) => {
    expect(DEFAULT_POLICY.handlingLimit[tier][severity]).toEqual(limit);
  });

  it('bounds overdue nudges and keeps single waits under the local engine timer limit (~24.8 days)', () => {
    expect(DEFAULT_POLICY.maxOverdueNudges).toBe(3);
    expect(DEFAULT_POLICY.maxWaitSeconds).toBeLessThan(24.8 * 24 * 3600);
  });
});

describe('handlingLimit: the item’s own limit applies only at the starting tier', () => {
  it('uses the item’s own limit at the tier the severity starts on', () => {
    expect(handlingLimit(DEFAULT_POLICY, 'grid', 4, drain)).toEqual({ workingDays: 1 });
    expect(handlingLimit(DEFAULT_POLICY, 'grid', 4, stall)).toEqual({ workingHours: 4 });
    expect(handlingLimit(DEFAULT_POLICY, 'community', 3, illegalBuilding)).toEqual({ workingDays: 15 });
  });

  it('uses the tier × severity table at every other tier', () => {
    expect(handlingLimit(DEFAULT_POLICY, 'community', 4, stall)).toEqual({ workingDays: 2 });
    expect(handlingLimit(DEFAULT_POLICY, 'town', 4, stall)).toEqual({ workingDays: 3 });
    expect(handlingLimit(DEFAULT_POLICY, 'district', 4, stall)).toEqual({ workingDays: 5 });
    expect(handlingLimit(DEFAULT_POLICY, 'joint_meeting', 4, stall)).toEqual({ workingDays: 3 });
    expect(handlingLimit(DEFAULT_POLICY, 'through_train', 4, stall)).toEqual({ calendarHours: 24 });
    // Illegal construction's 15 days is its community limit only; escalated to the town it gets 3 days.
    expect(handlingLimit(DEFAULT_POLICY, 'town', 3, illegalBuilding)).toEqual({ workingDays: 3 });
  });

  it('uses the table at the starting tier too when the item has no limit of its own (null in the data)', () => {
    expect(noOwnLimit.handlingLimit).toBeUndefined();
    expect(handlingLimit(DEFAULT_POLICY, 'town', 2, noOwnLimit)).toEqual({ workingHours: 8 });
  });

  it('compares against the policy’s starting tier (a policy starting level 4 at the community)', () => {
    const policy: Policy = { ...DEFAULT_POLICY, startingTier: { ...DEFAULT_POLICY.startingTier, 4: 'community' } };
    expect(handlingLimit(policy, 'community', 4, drain)).toEqual({ workingDays: 1 });
    expect(handlingLimit(policy, 'grid', 4, drain)).toEqual(policy.handlingLimit.grid[4]);
  });

  it('keeps the through train’s 2-hour calendar clock for a level-1 event, whatever the item’s own (routine) limit', () => {
    // A blocked drain is routinely level 4 with 1 working day; reported as level 1 (e.g. flooding with
    // people inside) it boards the through train, "the shortest clock": 2 calendar hours.
    // BUG: today the item's 1 working day replaces the 2 hours (the through train is level 1's starting tier).
    expect(handlingLimit(DEFAULT_POLICY, 'through_train', 1, drain)).toEqual({ calendarHours: 2 });
  });
});

describe('handlingDeadline on the 2026 business calendar', () => {
  it('level-4 drain at the grid routed Friday 2026-10-09 16:00 is due Saturday 10-10 16:00 (a make-up working day)', () => {
    // 1 working day = 7 h: Fri 16:00–17:30 (1.5 h), Sat 08:30–12:00 (3.5 h), Sat 14:00–16:00 (2 h).
    expect(handlingDue('grid', 4, drain, '2026-10-09 16:00')).toBe('2026-10-10T16:00:00+08:00');
  });

  it('the same drain escalated to the community gets the table’s 2 working days: Monday 10-12 16:00 (Sunday is off)', () => {
    expect(handlingDue('community', 4, drain, '2026-10-09 16:00')).toBe('2026-10-12T16:00:00+08:00');
  });

  it('4 working hours from Friday 16:00 end Saturday 11:00', () => {
    // Fri 1.5 h, then 2.5 h from Sat 08:30.
    expect(handlingDue('grid', 4, stall, '2026-10-09 16:00')).toBe('2026-10-10T11:00:00+08:00');
  });

  it('8 working hours at the town from Wednesday 09-30 16:00 skip the National Day week: Thursday 10-08 17:00', () => {
    // Wed 1.5 h; 10-01..10-07 holiday; Thu 08:30–12:00 (3.5 h) and 14:00–17:00 (3 h).
    expect(handlingDue('town', 2, noOwnLimit, '2026-09-30 16:00')).toBe('2026-10-08T17:00:00+08:00');
  });

  it('5 working days at the district from Friday 10-09 16:00: Thursday 10-15 16:00', () => {
    // Working days after Friday: Sat 10-10 (make-up), Mon 12, Tue 13, Wed 14, Thu 15.
    expect(handlingDue('district', 3, illegalBuilding, '2026-10-09 16:00')).toBe('2026-10-15T16:00:00+08:00');
  });

  it('the through train counts calendar hours, holidays included', () => {
    expect(handlingDue('through_train', 3, illegalBuilding, '2026-10-01 09:00')).toBe('2026-10-02T09:00:00+08:00');
  });
});

describe('acceptanceDeadline', () => {
  it('levels 1 and 2 count calendar minutes from the report', () => {
    expect(acceptanceDue(1, '2026-10-09 16:00')).toBe('2026-10-09T16:10:00+08:00');
    expect(acceptanceDue(2, '2026-10-09 16:00')).toBe('2026-10-09T16:30:00+08:00');
  });

  it('calendar minutes run through lunch, nights and holidays', () => {
    expect(acceptanceDue(2, '2026-10-09 11:50')).toBe('2026-10-09T12:20:00+08:00');
    expect(acceptanceDue(1, '2026-10-03 03:00')).toBe('2026-10-03T03:10:00+08:00');
  });

  it('levels 3 and 4 get 2 working hours: Friday 16:00 → Saturday (make-up day) 09:00', () => {
    expect(acceptanceDue(3, '2026-10-09 16:00')).toBe('2026-10-10T09:00:00+08:00');
    expect(acceptanceDue(4, '2026-10-09 16:00')).toBe('2026-10-10T09:00:00+08:00');
  });

  it('working hours start at the next working moment: a Sunday-evening report is due Monday 10:30', () => {
    expect(acceptanceDue(4, '2026-10-11 20:00')).toBe('2026-10-12T10:30:00+08:00');
  });

  it('working hours skip a public holiday: Wednesday 09-30 17:00 → Thursday 10-08 10:00', () => {
    expect(acceptanceDue(3, '2026-09-30 17:00')).toBe('2026-10-08T10:00:00+08:00');
  });
});
