/**
 * Calendars by year (issue 14): a new data folder knows each year chinese-days knows (2004–2026), and from
 * 1 December of the policy clock `/health` warns while next year's arrangement is missing (the State Council
 * publishes it each November). The clock is driven, not the machine's date.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { work as sweeperWork } from '../../functions/sweeper';
import { at, startStack, type Stack } from '../support/local-stack';

const clock = new DrivenClock(at('2026-11-30 09:00'));
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack?.stop());

test('from 1 December, /health warns that next year has no holiday arrangement', async () => {
  const november = await stack.call('GET', '/health');
  expect(november.status).toBe(200);
  expect(november.body.warnings).toBeUndefined();

  await clock.advanceTo(at('2026-12-01 00:30'));
  const december = await stack.call('GET', '/health');
  expect(december.status).toBe(200);
  expect(december.body.status).toBe('ok');
  expect(december.body.warnings).toEqual([
    expect.objectContaining({ code: 'calendar_year_missing', year: 2027, message: expect.stringContaining('2027') }),
  ]);
});

test("in December, the sweeper reports (and logs, for the operators' alarm) that next year's arrangement is missing", async () => {
  await clock.advanceTo(at('2026-12-01 09:00'));
  const result = await sweeperWork({}, stack.platform.dependenciesOf('sweeper'));
  expect(result.warnings).toEqual([expect.objectContaining({ code: 'calendar_year_missing', year: 2027 })]);
});

test('the seeded calendar knows every year from 2004 to 2026', () => {
  expect(stack.platform.deps.calendarYears).toEqual(Array.from({ length: 23 }, (_, index) => 2004 + index));
});
