/**
 * Deadlines counted over a year the calendar does not know: flagged when a clock starts (case-moves.ts startClock),
 * counted again once the year is known (plain-week-deadlines.ts recountMove) — later for a holiday, earlier for a
 * make-up working day — and left standing once they have passed.
 */
import { describe, expect, test } from '@jest/globals';
import { recountedClock, startClock } from '../../shared/core/case-moves';
import { RECOUNTS_PER_RUN, recountMove, recountPlainWeekDeadlines } from '../../shared/core/plain-week-deadlines';
import { BusinessCalendar } from '../../shared/domain/calendar';
import { plainWeekYear } from '../../shared/domain/case-lists';
import { yearsOnPlainWeek } from '../../shared/domain/plain-week';
import type { CaseClock, PlainWeekCount } from '../../shared/domain/types';
import { memoryPorts, pureDeps, sampleEvent } from './pure-deps';

const UP_TO_2026 = Array.from({ length: 23 }, (_, index) => 2004 + index);
const WORKING_HOURS = [
  { from: '08:30', to: '12:00' },
  { from: '14:00', to: '17:30' },
];

/** Fictional 2027 arrangements: what matters is the direction a deadline moves. */
const withHoliday = new BusinessCalendar({
  workingHours: WORKING_HOURS,
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
  makeUpWorkdays: [],
});
const withMakeUpSaturday = new BusinessCalendar({ workingHours: WORKING_HOURS, holidays: [], makeUpWorkdays: ['2027-01-02'] });

test('the years a span runs over that the calendar does not know', () => {
  const at = (iso: string) => new Date(iso);
  expect(yearsOnPlainWeek(at('2026-12-31T02:00:00Z'), at('2027-01-01T02:00:00Z'), UP_TO_2026)).toEqual([2027]);
  // 31 December 20:00 UTC is already 1 January in Shanghai.
  expect(yearsOnPlainWeek(at('2026-12-30T02:00:00Z'), at('2026-12-31T20:00:00Z'), UP_TO_2026)).toEqual([2027]);
  expect(yearsOnPlainWeek(at('2026-12-30T02:00:00Z'), at('2026-12-31T10:00:00Z'), UP_TO_2026)).toEqual([]);
  expect(yearsOnPlainWeek(at('2027-12-30T02:00:00Z'), at('2028-01-05T02:00:00Z'), UP_TO_2026)).toEqual([2027, 2028]);
});

test('a working-time limit over 2027, unknown, is flagged with what it was counted from; the case goes on the plain-week list', () => {
  const now = new Date('2026-12-31T10:00:00+08:00');
  const deps = { ...pureDeps(now), calendarYears: UP_TO_2026 };
  const clock = startClock(deps, sampleEvent(), 'handling', 'grid', now);
  expect(clock.deadlineAt).toMatch(/^2027-01-01T10:00/);
  expect(clock.plainWeek).toEqual({ years: [2027], from: clock.startedAt, limit: { workingDays: 1 } });
  expect(plainWeekYear({ status: 'open', clock })).toBe(2027);
  expect(plainWeekYear({ status: 'closed', clock })).toBeUndefined();
});

test('not flagged: a limit inside known years, a limit on the clock, a deadline people set, or no calendar years to go by', () => {
  const now = new Date('2026-12-31T10:00:00+08:00');
  const deps = { ...pureDeps(now), calendarYears: UP_TO_2026 };
  expect(startClock(deps, sampleEvent(), 'handling', 'grid', new Date('2026-12-29T10:00:00+08:00')).plainWeek).toBeUndefined();
  // Level 1: two hours on the clock, whatever the calendar.
  expect(startClock(deps, sampleEvent({ severity: 1 }), 'handling', 'through_train', now).plainWeek).toBeUndefined();
  const set = new Date('2027-01-05T17:00:00+08:00');
  expect(startClock(deps, sampleEvent(), 'handling', 'grid', now, { deadline: set }).plainWeek).toBeUndefined();
  expect(startClock(pureDeps(now), sampleEvent(), 'handling', 'grid', now).plainWeek).toBeUndefined();
});

test('a meeting clock counts from the meeting, and is flagged over an unknown year', () => {
  const now = new Date('2026-12-28T10:00:00+08:00');
  const meetingAt = new Date('2026-12-31T15:00:00+08:00');
  const deps = { ...pureDeps(now), calendarYears: UP_TO_2026 };
  const clock = startClock(deps, sampleEvent(), 'meeting', 'joint_meeting', now, { from: meetingAt });
  expect(clock.deadlineAt).toMatch(/^2027-01-01T15:00/);
  expect(clock.plainWeek).toMatchObject({ years: [2027], from: '2026-12-31T15:00:00+08:00' });
});

test('counted again: later over a holiday, earlier with a make-up working day, reminders and sign-for time with it', () => {
  const started = new Date('2027-01-01T10:00:00+08:00');
  const flagged = startClock({ ...pureDeps(started), calendarYears: UP_TO_2026 }, sampleEvent(), 'handling', 'grid', started);
  expect(flagged.deadlineAt).toMatch(/^2027-01-04T10:00/);
  const event = sampleEvent({ stage: 'routed', clock: flagged, deadlineAt: flagged.deadlineAt });
  const known = [...UP_TO_2026, 2027];

  const later = recountedClock(
    { ...pureDeps(started), calendar: withHoliday, calendarYears: known },
    event,
    flagged as CaseClock & {
      plainWeek: PlainWeekCount;
    },
  );
  // The holiday ends on Sunday: one working day from Monday 08:30.
  expect(later.deadlineAt).toMatch(/^2027-01-04T17:30/);
  expect(later.plainWeek).toBeUndefined();
  expect(later.acknowledgeBy?.slice(0, 10)).not.toBe('2027-01-01');

  const earlier = recountMove({ ...pureDeps(started), calendar: withMakeUpSaturday, calendarYears: known, referenceVersion: 7 }, event);
  expect(earlier?.after.deadlineAt).toMatch(/^2027-01-02T10:00/);
  expect(earlier?.after.clock?.remindAt?.every((at) => at < (earlier?.after.deadlineAt ?? ''))).toBe(true);
  expect(earlier).toMatchObject({
    type: 'deadline_recomputed',
    data: { years: [2027], from: flagged.deadlineAt, to: earlier?.after.deadlineAt, referenceVersion: 7 },
    sms: [],
  });
});

test('not counted again while the year is unknown; a deadline already passed and acted on stands, its flag goes', () => {
  const started = new Date('2026-12-31T10:00:00+08:00');
  const flagged = startClock({ ...pureDeps(started), calendarYears: UP_TO_2026 }, sampleEvent(), 'handling', 'grid', started);
  const event = sampleEvent({ stage: 'routed', clock: flagged, deadlineAt: flagged.deadlineAt });
  expect(recountMove({ ...pureDeps(started), calendarYears: UP_TO_2026 }, event)).toBeUndefined();

  const expired = sampleEvent({ stage: 'routed', clock: { ...flagged, expired: true }, deadlineAt: flagged.deadlineAt });
  const move = recountMove({ ...pureDeps(started), calendar: withHoliday, calendarYears: [...UP_TO_2026, 2027] }, expired);
  expect(move?.after.deadlineAt).toBe(flagged.deadlineAt);
  expect(move?.after.clock?.plainWeek).toBeUndefined();
  expect(move?.note).toMatch(/stands/);
});

describe('the sweeper pass (recountPlainWeekDeadlines)', () => {
  const started = new Date('2026-12-31T10:00:00+08:00');
  const flaggedCase = () => {
    const clock = startClock({ ...pureDeps(started), calendarYears: UP_TO_2026 }, sampleEvent(), 'handling', 'grid', started);
    return sampleEvent({ stage: 'routed', clock, deadlineAt: clock.deadlineAt, version: 2 });
  };

  /** The in-memory stores with one flagged case, its list led by `before` ids the store does not have (each fails). */
  function passWith(before: string[]) {
    const event = flaggedCase();
    const ports = memoryPorts(event);
    const errors: string[] = [];
    const caseLists = Object.assign(Object.create(ports.stores.caseLists), {
      async *plainWeekCases() {
        for (const eventId of [...before, event.id]) yield { eventId, year: 2027 };
      },
    });
    const deps = {
      ...pureDeps(started, { ports: { ...ports.stores, caseLists, notifier: ports.notifier } }),
      calendar: withHoliday,
      calendarYears: [...UP_TO_2026, 2027],
      logger: { info: () => {}, warn: () => {}, error: (message: string) => errors.push(message) },
    };
    return { event, ports, errors, run: () => recountPlainWeekDeadlines(deps) };
  }

  test('a case that fails is logged and left listed; the others are counted again', async () => {
    const { event, errors, run, ports } = passWith(['E20261231-GONE01']);
    expect(await run()).toEqual([event.id]);
    expect(errors).toEqual(['A deadline counted on a plain week could not be counted again']);
    expect(ports.current().clock?.plainWeek).toBeUndefined();
  });

  test(`a run counts at most ${RECOUNTS_PER_RUN} cases; the rest wait for the next`, async () => {
    const { run } = passWith(Array.from({ length: RECOUNTS_PER_RUN }, (_, index) => `E20261231-GONE${index}`));
    expect(await run()).toEqual([]);
  });
});
