/**
 * A deadline computed over a year the calendar has no holiday arrangement for is counted on a plain week and
 * flagged on the case; when the year's document is applied, the flagged open deadlines are recomputed once, with
 * a timeline entry saying why (issue 14; the one exception to "only an extension moves a deadline"). The policy
 * clock is driven: 31 December 2026, with 2027 not yet published.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { at, eventually, fetchEvent, HUICHENG, JINYUAN_GRID_1, startStack, type Stack, typesOf } from '../support/local-stack';

const clock = new DrivenClock(at('2026-12-31 10:00'));
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack?.stop());

/** Test data shaped as the State Council's notice is (元旦 1–3 January 2027), not a claim about the real one. */
const CALENDAR_2027 = {
  year: 2027,
  source: 'test',
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
  makeUpWorkdays: [],
};

test('a deadline over 2027 is flagged, then recomputed once when 2027 arrives; the case is not overdue on New Year', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, description: '排水口堵塞' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  // One working day from Thursday 31 December, 10:00: on a plain week, Friday 1 January 2027.
  const routed = await eventWhen(id, worker, (event) => event.clock?.kind === 'handling');
  expect(routed.deadlineAt).toMatch(/^2027-01-01T10:00/);
  expect(routed.clock.plainWeek).toMatchObject({ years: [2027] });

  const warned = await stack.call('GET', '/health');
  expect(warned.body.warnings).toEqual([expect.objectContaining({ code: 'calendar_year_missing', year: 2027 })]);

  const admin = stack.token('admin', HUICHENG);
  const before = await stack.call('GET', '/admin/reference', { token: admin });
  const applied = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: { expectedVersion: before.body.version, note: '2027 holiday arrangement', documents: { 'calendar-2027': CALENDAR_2027 } },
  });
  expect(applied.status).toBe(201);

  // Within the sweeper's next look (the version in effect is checked once a minute).
  await clock.advanceTo(at('2026-12-31 10:30'));
  const recomputed = await eventWhen(id, worker, (event) => event.clock?.plainWeek === undefined);
  expect(recomputed.deadlineAt).toMatch(/^2027-01-04T10:00/);
  const entries = recomputed.timeline.filter((entry: { type: string }) => entry.type === 'deadline_recomputed');
  expect(entries).toEqual([
    expect.objectContaining({
      note: expect.stringContaining('2027'),
      data: expect.objectContaining({ years: [2027], from: routed.deadlineAt, to: recomputed.deadlineAt }),
    }),
  ]);
  // The reminders and the sign-for time moved with it: none falls on the holiday.
  for (const remindAt of recomputed.clock.remindAt as string[]) expect(remindAt.slice(0, 10)).not.toBe('2027-01-01');

  expect((await stack.call('GET', '/health')).body.warnings).toBeUndefined();

  // Once: later looks change nothing.
  await clock.advanceTo(at('2026-12-31 11:30'));
  const later = await fetchEvent(stack, id, worker);
  expect(typesOf(later).filter((type) => type === 'deadline_recomputed')).toHaveLength(1);

  // New Year's Day passes without the case going overdue: the lifecycle waits for the recomputed deadline.
  await clock.advanceTo(at('2027-01-01 12:00'));
  const onHoliday = await fetchEvent(stack, id, worker);
  expect(onHoliday.overdue).toBeFalsy();
  expect(typesOf(onHoliday)).not.toContain('overdue');
});

test('a case reported once 2027 is known is not flagged', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: '垃圾' },
  });
  expect(created.status).toBe(201);
  const routed = await eventWhen(created.body.id, worker, (event) => event.clock?.kind === 'handling');
  expect(routed.clock.plainWeek).toBeUndefined();
});

async function eventWhen(id: string, token: string, ready: (event: any) => boolean): Promise<any> {
  return eventually(async () => {
    const event = await fetchEvent(stack, id, token);
    return ready(event) ? event : undefined;
  }, `case ${id}`);
}
