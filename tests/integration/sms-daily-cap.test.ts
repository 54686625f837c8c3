/**
 * Every SMS GridFlow sends counts against a per-destination daily cap (issue 13 item 2; the policy's
 * `smsPerPhonePerDay`): past it, a phone's messages about cases fold into one digest sent when its next day begins
 * (the reminder digest's mechanism, shared/core/reminders.ts). On the local stack with a driven clock and a cap of 3.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { toE164 } from '../../shared/domain/phones';
import { at, JINYUAN, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const CAP = 3;
let stack: Stack;
// Monday evening: the cases' deadlines and reminders are in working hours, after the night this test looks at.
const clock = new DrivenClock(at('2026-11-23 20:00'));
beforeAll(async () => {
  stack = await startStack({ clock, policy: { ...DEFAULT_POLICY, smsPerPhonePerDay: CAP } });
});
afterAll(() => stack?.stop());

const smsTo = (phone: string) => stack.platform.outbox.all().filter((message) => toE164(message.to) === toE164(phone));

test('past the cap a phone gets no more SMS that day; what it missed comes as one digest when the next day begins', async () => {
  const station = stack.token('community_station', JINYUAN);
  const ids: string[] = [];
  for (let index = 1; index <= CAP + 2; index++) {
    const created = await stack.call('POST', '/events', {
      token: station,
      body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description: `夜间上报的排水口堵塞${index}` },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  await clock.settled();
  await stack.platform.smsDelivered();
  // Every case is routed to the grid's worker: one assignment SMS each, but only CAP reach her phone today.
  const assigned = stack.platform.outbox
    .all()
    .filter((message) => message.template === 'case_assigned' && ids.includes(message.eventId ?? ''));
  const phone = assigned[0]?.to ?? '';
  expect(assigned.length).toBe(CAP);
  expect(smsTo(phone)).toHaveLength(CAP);
  const missed = ids.filter((id) => !assigned.some((message) => message.eventId === id));
  expect(missed).toHaveLength(2);

  // Just after midnight (Asia/Shanghai): the digest of what was folded, and nothing else yet.
  await clock.advanceTo(at('2026-11-24 00:15'));
  await stack.platform.smsDelivered();
  const digests = smsTo(phone).filter((message) => message.template === 'reminder_digest');
  expect(digests).toHaveLength(1);
  expect(digests[0]?.eventIds).toEqual(missed);
  expect(smsTo(phone)).toHaveLength(CAP + 1);
});

test('the cap is a policy setting, per destination and day', () => {
  expect(DEFAULT_POLICY.smsPerPhonePerDay).toBeGreaterThanOrEqual(50);
});
