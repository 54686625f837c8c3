/** The bulletin's judgement at its boundaries, the report periods, and when the scheduled jobs run. */
import { accountabilityFlags, grade, onTimeFigures, onTimeRate, satisfaction, score, type Performance } from '../../shared/domain/scoring';
import { scorecardOf } from '../../shared/core/reports/build-report';
import { daysIn, monthsOf, parsePeriod, periodOf, previousPeriod, PeriodError } from '../../shared/domain/periods';
import { cronExpression, nextRun, SCHEDULED_JOBS } from '../../shared/domain/schedule';
import { parseLocal, toLocalIso } from '../../shared/domain/calendar';

const nothing: Performance = {
  due: 0,
  onTime: 0,
  extended: 0,
  overdue: 0,
  returned: 0,
  reworked: 0,
  notAcknowledged: 0,
  rated: 0,
  ratingTotal: 0,
};
const perf = (changes: Partial<Performance>): Performance => ({ ...nothing, ...changes });

describe('on-time closure rate: on time / (due − approved extensions)', () => {
  test.each([
    [perf({}), undefined],
    [perf({ due: 10, onTime: 9, overdue: 1 }), 90],
    [perf({ due: 10, onTime: 8, overdue: 2, extended: 2 }), 100],
    [perf({ due: 4, onTime: 1, overdue: 3, extended: 1 }), (100 * 1) / 3],
    [perf({ due: 2, onTime: 0, overdue: 2, extended: 2 }), 100],
  ])('%o → %p', (performance, expected) => {
    expect(onTimeRate(performance)).toBe(expected);
  });
});

describe("the grid workers' scorecards: the same on-time rule as the bulletin", () => {
  const worker = { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: '441302010001001' };
  test('due = handled on time + overdue; approved extensions are set apart', () => {
    expect(onTimeFigures({ handledOnTime: 3, overdue: 1, extended: 1 })).toEqual({ due: 4, onTime: 3, extended: 1 });
    expect(onTimeFigures({})).toEqual({ due: 0, onTime: 0, extended: 0 });
  });

  // Was handledOnTime / (handledOnTime + overdue): 3 / 4 = 75; an approved extension is no longer held against the worker.
  test('3 on time, 1 overdue, 1 approved extension: 3 / (4 − 1) = 100%', () => {
    const card = scorecardOf(worker, { handled: 4, handledOnTime: 3, overdue: 1, extended: 1 });
    expect(card).toMatchObject({ handled: 4, handledOnTime: 3, onTimeRate: 100 });
  });

  test('4 on time, 2 overdue, 1 approved extension: 4 / 5 = 80% (was 66.7)', () => {
    expect(scorecardOf(worker, { handled: 6, handledOnTime: 4, overdue: 2, extended: 1 }).onTimeRate).toBe(80);
  });

  test('without extensions, as before: 9 / 10; nothing due, no rate', () => {
    expect(scorecardOf(worker, { handledOnTime: 9, overdue: 1 }).onTimeRate).toBe(90);
    expect(scorecardOf(worker, { reported: 2, patrols: 5 })).not.toHaveProperty('onTimeRate');
  });
});

describe('grades at their boundaries', () => {
  test.each([
    [100, 'A'],
    [90, 'A'],
    [89.9, 'B'],
    [75, 'B'],
    [74.9, 'C'],
    [60, 'C'],
    [59.9, 'D'],
    [40, 'D'],
    [39.9, 'E'],
    [0, 'E'],
    [undefined, undefined],
  ])('%p → %p', (value, expected) => {
    expect(grade(value)).toBe(expected);
  });
});

describe('the score', () => {
  test('nothing due: no score, no grade', () => {
    expect(score(nothing)).toBeUndefined();
  });

  test('without ratings: 75% on time + 25% conduct', () => {
    expect(score(perf({ due: 10, onTime: 10 }))).toBe(100);
    expect(score(perf({ due: 10, onTime: 8, overdue: 2 }))).toBe(85);
    // Two returns of ten: conduct 0.8 → 75 × 0.8 + 25 × 0.8.
    expect(score(perf({ due: 10, onTime: 8, overdue: 2, returned: 2 }))).toBe(80);
  });

  test('with ratings: 60% on time + 20% satisfaction + 20% conduct', () => {
    expect(score(perf({ due: 10, onTime: 10, rated: 2, ratingTotal: 10 }))).toBe(100);
    expect(score(perf({ due: 10, onTime: 5, overdue: 5, rated: 2, ratingTotal: 6 }))).toBe(30 + 12 + 20);
    expect(satisfaction(perf({ rated: 4, ratingTotal: 14 }))).toBe(3.5);
  });

  test('conduct never goes below zero', () => {
    expect(score(perf({ due: 1, onTime: 0, overdue: 1, returned: 3, reworked: 2 }))).toBe(0);
  });
});

describe('accountability flags at their boundaries', () => {
  test.each([
    [perf({}), []],
    [perf({ notAcknowledged: 1 }), ['不作为 not acknowledged in time']],
    [perf({ overdue: 1 }), ['慢作为 overdue']],
    [perf({ returned: 1 }), []],
    [perf({ returned: 2 }), ['推诿扯皮 returned twice or more']],
    [
      perf({ notAcknowledged: 2, overdue: 3, returned: 5 }),
      ['不作为 not acknowledged in time', '慢作为 overdue', '推诿扯皮 returned twice or more'],
    ],
  ])('%o → %p', (performance, expected) => {
    expect(accountabilityFlags(performance)).toEqual(expected);
  });
});

describe('report periods', () => {
  test('each kind parses its own form and refuses the others', () => {
    expect(parsePeriod('daily', '2026-11-26')).toEqual({ kind: 'daily', label: '2026-11-26', from: '2026-11-26', to: '2026-11-26' });
    expect(parsePeriod('weekly', '2026-W48')).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    expect(parsePeriod('monthly', '2026-02')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(parsePeriod('quarterly', '2026-Q4')).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
    for (const [kind, label] of [
      ['daily', '2026-02-30'],
      // A month or day no date has (the command center's period field found these answered 500).
      ['daily', '2026-13-01'],
      ['daily', '2026-00-10'],
      ['daily', '2026-11-32'],
      ['weekly', '2026-W54'],
      ['weekly', '2026-11'],
      ['monthly', '2026-13'],
      ['quarterly', '2026-Q5'],
      ['daily', '2026-W48'],
    ] as const) {
      expect(() => parsePeriod(kind, label)).toThrow(PeriodError);
    }
  });

  test('ISO weeks across the new year; 2026 has 53 weeks', () => {
    expect(periodOf('weekly', '2027-01-01').label).toBe('2026-W53');
    expect(periodOf('weekly', '2026-01-01').label).toBe('2026-W01');
    expect(parsePeriod('weekly', '2026-W01').from).toBe('2025-12-29');
    expect(previousPeriod(parsePeriod('weekly', '2026-W01')).label).toBe('2025-W52');
  });

  test('the period before, the months of a quarter, the days', () => {
    expect(previousPeriod(parsePeriod('daily', '2026-03-01')).label).toBe('2026-02-28');
    expect(previousPeriod(parsePeriod('monthly', '2026-01')).label).toBe('2025-12');
    expect(previousPeriod(parsePeriod('quarterly', '2026-Q1')).label).toBe('2025-Q4');
    expect(monthsOf(parsePeriod('quarterly', '2026-Q4')).map((month) => month.label)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(daysIn(parsePeriod('quarterly', '2026-Q1'))).toBe(90);
    expect(daysIn(parsePeriod('weekly', '2026-W48'))).toBe(7);
  });
});

describe('the scheduled jobs', () => {
  const next = (job: string, after: string, index = 0) =>
    toLocalIso(nextRun(SCHEDULED_JOBS.find((candidate) => candidate.name === job)!.times[index], parseLocal(after)));

  test('daily at 07:00, Monday 07:00, the 1st, the 1st of a quarter, in Beijing time', () => {
    expect(next('daily-reports', '2026-11-26 07:00')).toBe('2026-11-27T07:00:00+08:00');
    expect(next('daily-reports', '2026-11-26 06:59')).toBe('2026-11-26T07:00:00+08:00');
    expect(next('weekly-reports', '2026-11-26 12:00')).toBe('2026-11-30T07:00:00+08:00');
    expect(next('monthly-reports', '2026-11-26 12:00')).toBe('2026-12-01T07:00:00+08:00');
    expect(next('quarterly-reports', '2026-11-26 12:00')).toBe('2027-01-01T07:00:00+08:00');
    expect(next('patrol-check', '2026-11-26 18:00')).toBe('2026-11-27T17:45:00+08:00');
    expect(next('campaign-reminders', '2026-11-26 10:00', 1)).toBe('2026-11-26T15:00:00+08:00');
  });

  test('cron expressions for EventBridge Scheduler (weekdays counted from Sunday = 1)', () => {
    expect(cronExpression({ hour: 7, minute: 0 })).toBe('cron(0 7 * * ? *)');
    expect(cronExpression({ hour: 7, minute: 0, weekdays: [1] })).toBe('cron(0 7 ? * 2 *)');
    expect(cronExpression({ hour: 17, minute: 45, weekdays: [1, 2, 3, 4, 5, 6, 7] })).toBe('cron(45 17 ? * 2,3,4,5,6,7,1 *)');
    expect(cronExpression({ hour: 7, minute: 0, dayOfMonth: 1 })).toBe('cron(0 7 1 * ? *)');
  });
});
