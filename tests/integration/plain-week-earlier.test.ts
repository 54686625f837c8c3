/**
 * A flagged deadline counted again EARLIER (a make-up working Saturday in the new year's calendar): the sweeper wakes
 * the waiting lifecycle, which then acts on the new deadline — without the wake it would sleep until the old one, on
 * Monday. The policy clock is driven from New Year's Day 2027, with 2027 not yet known.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { at, eventually, fetchEvent, HUICHENG, JINYUAN_GRID_1, startStack, type Stack, typesOf } from '../support/local-stack';

const clock = new DrivenClock(at('2027-01-01 10:00'));
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack?.stop());

test('counted again to the make-up Saturday, the case is overdue and escalated on Saturday, not on Monday', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, description: '排水口堵塞' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const routed = await eventually(async () => {
    const event = await fetchEvent(stack, id, worker);
    return event.clock?.kind === 'handling' ? event : undefined;
  }, 'routing');
  // One working day from Friday 10:00 on a plain week: Monday 4 January.
  expect(routed.deadlineAt).toMatch(/^2027-01-04T10:00/);

  const admin = stack.token('admin', HUICHENG);
  const before = await stack.call('GET', '/admin/reference', { token: admin });
  const applied = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: {
      expectedVersion: before.body.version,
      note: '2027 (test data: a make-up Saturday)',
      documents: { 'calendar-2027': { year: 2027, source: 'test', holidays: [], makeUpWorkdays: ['2027-01-02'] } },
    },
  });
  expect(applied.status).toBe(201);

  await clock.advanceTo(at('2027-01-01 10:30'));
  const recounted = await eventually(async () => {
    const event = await fetchEvent(stack, id, worker);
    return event.clock?.plainWeek === undefined ? event : undefined;
  }, 'the deadline counted again');
  expect(recounted.deadlineAt).toMatch(/^2027-01-02T10:00/);

  await clock.advanceTo(at('2027-01-02 12:00'));
  const onSaturday = await fetchEvent(stack, id, worker);
  expect(typesOf(onSaturday)).toContain('escalated');
  const escalated = onSaturday.timeline.find((entry: { type: string }) => entry.type === 'escalated');
  expect(escalated.at).toMatch(/^2027-01-02T10:/);
  expect(onSaturday.overdue).toBe(true);
});
