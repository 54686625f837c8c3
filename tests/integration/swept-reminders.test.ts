/**
 * A waiting case costs no state transitions until its deadline or an action (issue 11, item 4), on the local
 * stack: the reminders at 50% and 75% of the handling time reach the handler from the sweeper's due list
 * (byDue), each sent once and recorded in the write that claims it, while the case's execution does not move.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { sweepDueCases } from '../../shared/core/case-reminders';
import { act, at, fetchEvent, JINYUAN_GRID_1, smsOf, startStack, typesOf, type Stack } from '../support/local-stack';

let stack: Stack;
// Monday 09:00, moved by the test: the reminders fall due on the way, the poller sends them.
const clock = new DrivenClock(at('2026-11-23 09:00'));
beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack?.stop());

test('the 50% and 75% reminders reach the handler without a state transition; each is sent once', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { status, body } = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description: '金英街排水口堵塞（提醒）' },
  });
  expect(status).toBe(201);
  const id: string = body.id;
  const engine = stack.platform.workflow.engine;
  await clock.settled();
  expect((await stack.platform.deps.cases.get(id))?.waitingTask).toBeDefined();
  // Signed for: no second notice is due, only the two reminders.
  expect((await act(stack, id, worker, { action: 'acknowledge' })).status).toBe(200);
  const waiting = engine.transitions(id);
  expect(waiting).toBe(3); // Register → What next? → Handle

  // Up to a minute before the deadline: both reminders' times pass on the way.
  const signed = await fetchEvent(stack, id, worker);
  expect(typesOf(signed)).not.toContain('reminded');
  await clock.advanceTo(new Date(Date.parse(signed.deadlineAt) - 60_000));
  const reminded = await fetchEvent(stack, id, worker);
  expect(typesOf(reminded).filter((type) => type === 'reminded')).toHaveLength(2);
  const reminders = reminded.timeline.filter((entry: { type: string }) => entry.type === 'reminded');
  expect(reminders.map((entry: { data: { passed: number } }) => entry.data.passed)).toEqual([0.5, 0.75]);
  // Each at or after its time (the clock records when they fall), before the deadline.
  const { remindAt } = reminded.clock;
  expect([Date.parse(reminders[0].at) >= Date.parse(remindAt[0]), Date.parse(reminders[1].at) >= Date.parse(remindAt[1])]).toEqual([
    true,
    true,
  ]);
  expect(Date.parse(reminders[1].at)).toBeLessThan(Date.parse(reminded.deadlineAt));
  expect(reminded.stage).toBe('handling');
  // Both reach the handler's phone: on their own, or one folded into the phone's digest (one reminder SMS per 30 minutes).
  const reminderSms = smsOf(stack, id).filter((message) => message.template === 'case_reminder' || message.template === 'reminder_digest');
  expect(reminderSms).toHaveLength(2);
  expect(reminderSms.every((message) => message.recipientRole === 'handler')).toBe(true);
  // The execution did not move: it still waits in Handle for the deadline or an action.
  expect(engine.transitions(id)).toBe(waiting);
  expect(engine.isRunning(id)).toBe(true);

  // Claimed once: another sweep finds nothing more to send for the case.
  const before = smsOf(stack, id).length;
  expect((await sweepDueCases(stack.platform.dependenciesOf('sweeper'))).reminded).toBe(0);
  expect(smsOf(stack, id)).toHaveLength(before);
});
