/**
 * One reminder SMS per phone per 30 minutes (policy.reminderWindowMinutes); later reminders in the window
 * are folded into one digest at its end. On the local stack (DynamoDB Local, the outbox), with real
 * events reported over HTTP. The platform runs on a clock the first test drives: moving it to a window's end
 * lets the platform's own poller send the digest; the other tests call the core at moments of a clock of their
 * own, far ahead of the platform's, and flush their digests themselves.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { TABLE_NAME } from '../../dev-server/local-platform';
import { flushDueDigests, sendReminder } from '../../shared/core/reminders';
import type { CoreDependencies } from '../../shared/core/dependencies';
import type { MessageRequest } from '../../shared/core/notify';
import type { Clock } from '../../shared/ports/clock';
import type { OutgoingMessage } from '../../shared/ports/notifier';
import type { SmsIntent, SmsIntentStore } from '../../shared/ports/sms-intents';
import { at, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const WINDOW_MS = 30 * 60_000;
/** Phones nobody on the roster has: only these tests remind them. */
const phone = (n: number) => `1390000${String(n).padStart(4, '0')}`;

let stack: Stack;
const platformClock = new DrivenClock(at('2026-11-23 09:00'));
let deps: CoreDependencies;
/** Real cases to remind about, handed out a few per test. */
const cases: string[] = [];
const takeCases = (count: number) => cases.splice(0, count);

beforeAll(async () => {
  // One phone SNS refuses: the SMS sender records it on the case.
  stack = await startStack({ clock: platformClock, env: { ...process.env, GRIDFLOW_SMS_FAIL_NUMBERS: phone(6) } });
  deps = stack.platform.deps;
  const token = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await Promise.all(
    Array.from({ length: 36 }, () =>
      stack.call('POST', '/events', { token, body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, description: 'x' } }),
    ),
  );
  for (const { status, body } of created) {
    expect(status).toBe(201);
    cases.push(body.id);
  }
});
afterAll(() => stack?.stop());

function reminder(to: string, eventId: string): MessageRequest {
  return {
    to: { phone: to, name: '值班员' },
    recipientRole: 'handler',
    template: 'case_reminder',
    params: { eventId, item: '排水口或下水道堵塞', itemEn: 'Drain outlet or sewer blocked', place: '金英街', deadline: '11月27日16:00' },
  };
}

/** The phone's stored window, as epoch ms. */
async function windowOf(to: string): Promise<{ startedAt: number; endsAt: number }> {
  const window = await deps.reminders.reminderWindow(to);
  if (!window) throw new Error(`no reminder window for ${to}`);
  const endsAt = Date.parse(window.endsAt);
  return { startedAt: endsAt - WINDOW_MS, endsAt };
}

const smsTo = (to: string) => stack.platform.outbox.all().filter((message) => message.to === to);
const digestsTo = (to: string) => smsTo(to).filter((message) => message.template === 'reminder_digest');

/** A policy clock the test moves by hand. */
function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { scale: 1, now: () => new Date(now), advance: (ms) => (now += ms) };
}

test('the first reminder is sent, the next ones in the window are folded into one digest at its end, which opens the next window', async () => {
  const [a, b, c, d] = takeCases(4);
  const [first, other] = [phone(1), phone(2)];
  // The reminders are decided on the platform's composition at the moments the test moves its clock to; the
  // platform's poller sends the digests as the clock passes the windows' ends.
  const start = platformClock.now().getTime();
  expect(await sendReminder(deps, a, reminder(first, a))).toBe('sent');
  const firstWindow = await windowOf(first);
  expect(firstWindow).toEqual({ startedAt: start, endsAt: start + WINDOW_MS });
  expect(await sendReminder(deps, b, reminder(first, b))).toBe('folded');
  await platformClock.advance(60_000);
  expect(await sendReminder(deps, c, reminder(first, c))).toBe('folded');
  await stack.platform.smsDelivered();
  expect(
    smsTo(first)
      .filter((message) => message.template === 'case_reminder')
      .map((message) => message.eventId),
  ).toEqual([a]);
  expect(smsTo(first)[0].text).toBe(`【网格通】提醒：案件${a}（排水口或下水道堵塞）将于11月27日16:00到期，请抓紧办理。`);

  // Another phone is not held back by this one's window.
  expect(await sendReminder(deps, b, reminder(other, b))).toBe('sent');
  await stack.platform.smsDelivered();
  expect(smsTo(other).map((message) => message.template)).toEqual(['case_reminder']);
  // Not before the window's end.
  await platformClock.advanceTo(new Date(firstWindow.endsAt - 1));
  expect(digestsTo(first)).toEqual([]);

  await platformClock.advanceTo(new Date(firstWindow.endsAt));
  const [digest] = digestsTo(first);
  expect(digest).toMatchObject({ recipientRole: 'handler', eventId: b, eventIds: [b, c], params: { count: '2', cases: `${b}、${c}` } });
  expect(digest.text).toBe(`【网格通】提醒：您有2件案件待签收或临近办理时限：${b}、${c}。请及时办理。`);
  expect(digest.parts).toBeLessThanOrEqual(2);
  expect(Date.parse(digest.at)).toBeGreaterThanOrEqual(firstWindow.endsAt);

  // The digest was a reminder SMS: it opened the next window, and a reminder in it waits for its end.
  const nextWindow = await windowOf(first);
  expect(nextWindow.startedAt).toBeGreaterThanOrEqual(firstWindow.endsAt);
  expect(nextWindow.startedAt).toBeLessThanOrEqual(Date.parse(digest.at));
  await platformClock.advanceTo(new Date(nextWindow.startedAt + 1));
  expect(await sendReminder(deps, d, reminder(first, d))).toBe('folded');
  await platformClock.advanceTo(new Date(nextWindow.endsAt));
  const second = digestsTo(first)[1];
  expect(second).toMatchObject({ eventId: d, eventIds: [d], params: { count: '1', cases: d } });
  expect(Date.parse(second.at)).toBeGreaterThanOrEqual(nextWindow.endsAt);
  expect(smsTo(first).map((message) => message.template)).toEqual(['case_reminder', 'reminder_digest', 'reminder_digest']);
  expect(smsTo(other)).toHaveLength(1);
});

describe('on a clock of its own (weeks ahead of the platform, whose flusher never finds these digests due)', () => {
  /** Stores SMS as the platform's functions do (its sender sends them) and keeps what this test's deps stored. */
  function recordingDeps(clock: Clock) {
    const sent: OutgoingMessage[] = [];
    const smsIntents: SmsIntentStore = Object.assign(Object.create(deps.smsIntents), {
      add: async (intents: SmsIntent[]) => {
        sent.push(...intents.map((intent) => intent.message));
        return deps.smsIntents.add(intents);
      },
    });
    return { testDeps: { ...deps, clock, smsIntents }, sent };
  }

  /**
   * Flushes, checks that the count returned is the digests this flush sent, and returns those to `to`.
   * (A clock this far ahead also finds every other phone's digest due: reminders the lifecycles send.)
   */
  async function flush(testDeps: CoreDependencies, sent: OutgoingMessage[], to: string): Promise<OutgoingMessage[]> {
    const before = sent.length;
    const count = await flushDueDigests(testDeps);
    const digests = sent.slice(before).filter((message) => message.template === 'reminder_digest');
    expect(count).toBe(digests.length);
    return digests.filter((message) => message.to === to);
  }

  test('flushDueDigests sends each due digest once and counts it; a reminder after a window nobody flushed carries its digest', async () => {
    const [a, b, c, d, e] = takeCases(5);
    const to = phone(5);
    const clock = manualClock(deps.clock.now().getTime() + 30 * 24 * 3600_000);
    const { testDeps, sent } = recordingDeps(clock);

    expect(await sendReminder(testDeps, a, reminder(to, a))).toBe('sent');
    expect(await sendReminder(testDeps, b, reminder(to, b))).toBe('folded');
    clock.advance(10 * 60_000);
    expect(await sendReminder(testDeps, c, reminder(to, c))).toBe('folded');
    expect(await sendReminder(testDeps, b, reminder(to, b))).toBe('folded'); // the 75% reminder of the same case
    expect(await flush(testDeps, sent, to)).toEqual([]); // 10 minutes into the window: not due yet

    clock.advance(20 * 60_000);
    expect(await flush(testDeps, sent, to)).toEqual([
      expect.objectContaining({ eventId: b, eventIds: [b, c], params: { count: '2', cases: `${b}、${c}` } }),
    ]);
    expect(await flush(testDeps, sent, to)).toEqual([]); // taken once

    // The digest opened a new window; it ends unflushed, and the next reminder goes at once with the late digest.
    expect(await sendReminder(testDeps, d, reminder(to, d))).toBe('folded');
    clock.advance(WINDOW_MS + 60_000);
    expect(await sendReminder(testDeps, e, reminder(to, e))).toBe('sent');
    expect(sent.filter((message) => message.to === to).map((message) => [message.template, message.eventIds ?? message.eventId])).toEqual([
      ['case_reminder', a],
      ['reminder_digest', [b, c]],
      ['reminder_digest', [d, e]],
    ]);
    expect(await flush(testDeps, sent, to)).toEqual([]);
    expect(await deps.reminders.dueReminderDigests(new Date(clock.now().getTime() + 10 * WINDOW_MS), 1000)).not.toContainEqual(
      expect.objectContaining({ phone: to }),
    );
  });

  test('an SMS that keeps failing is recorded on the case: a reminder on its case, a digest on its first case', async () => {
    const [a, b, c] = takeCases(3);
    const to = phone(6);
    const clock = manualClock(deps.clock.now().getTime() + 60 * 24 * 3600_000);
    const { testDeps } = recordingDeps(clock);
    const failures = async (id: string) => (await deps.cases.timeline(id)).filter((entry) => entry.type === 'notification_failed');
    // The SMS sender records a failure once it has given up on the SMS.
    const failed = async (id: string) => {
      await stack.platform.smsDelivered();
      return failures(id);
    };

    expect(await sendReminder(testDeps, a, reminder(to, a))).toBe('sent');
    expect(await sendReminder(testDeps, b, reminder(to, b))).toBe('folded');
    expect(await sendReminder(testDeps, c, reminder(to, c))).toBe('folded');
    expect((await failed(a)).map((entry) => entry.note)).toEqual([
      expect.stringContaining('case_reminder → handler 139****0006: InvalidParameterException'),
    ]);

    clock.advance(WINDOW_MS);
    expect(await flushDueDigests(testDeps)).toBeGreaterThanOrEqual(1);
    expect((await failed(b)).map((entry) => entry.note)).toEqual([expect.stringContaining('reminder_digest → handler 139****0006')]);
    expect(await failures(c)).toEqual([]);
    expect(smsTo(to)).toEqual([]);
  });

  test('a sweep that runs between a fold listing its digest and adding to it keeps the listing, so the digest still goes', async () => {
    const [a, b] = takeCases(2);
    const to = phone(7);
    const clock = manualClock(deps.clock.now().getTime() + 120 * 24 * 3600_000);
    const { testDeps, sent } = recordingDeps(clock);
    expect(await sendReminder(testDeps, a, reminder(to, a))).toBe('sent');
    const window = (await deps.reminders.reminderWindow(to))!;

    // The first half of a fold, as the store writes it (table-design.ts): the digest listed as due.
    const tables = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.platform.dynamoDbEndpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    await tables.send(
      new PutCommand({ TableName: TABLE_NAME, Item: { pk: 'DIGESTS', sk: `${window.endsAt}#${to}`, phone: to, dueAt: window.endsAt } }),
    );
    clock.advance(WINDOW_MS);
    expect(await flush(testDeps, sent, to)).toEqual([]);
    expect(await deps.reminders.dueReminderDigests(clock.now(), 1000)).toContainEqual({ phone: to, dueAt: window.endsAt });

    // The second half lands; the next sweep sends it.
    const folded = {
      eventId: b,
      template: 'case_reminder',
      params: reminder(to, b).params,
      line: b,
      recipientName: '值班员',
      recipientRole: 'handler',
      foldedAt: '',
    };
    expect(await deps.reminders.foldReminder(to, window.endsAt, folded, new Date(clock.now().getTime() + 24 * 3600_000))).toBe(true);
    expect(await flush(testDeps, sent, to)).toEqual([expect.objectContaining({ eventId: b, eventIds: [b] })]);
    expect(await deps.reminders.dueReminderDigests(clock.now(), 1000)).not.toContainEqual(expect.objectContaining({ phone: to }));
  });

  test('20 reminders at the same moment to one phone: one SMS now, one digest with the other 19; another phone at that moment gets its own', async () => {
    const twenty = takeCases(20);
    const [crowded, alone] = [phone(3), phone(4)];
    const clock = manualClock(deps.clock.now().getTime() + 90 * 24 * 3600_000);
    const { testDeps, sent } = recordingDeps(clock);
    const [results, aloneResult] = await Promise.all([
      Promise.all(twenty.map((id) => sendReminder(testDeps, id, reminder(crowded, id)))),
      sendReminder(testDeps, twenty[0], reminder(alone, twenty[0])),
    ]);

    expect(aloneResult).toBe('sent');
    expect(results.filter((result) => result === 'sent')).toHaveLength(1);
    const sentNow = twenty[results.indexOf('sent')];
    await stack.platform.smsDelivered();
    expect(smsTo(crowded).map((message) => [message.template, message.eventId])).toEqual([['case_reminder', sentNow]]);

    clock.advance(WINDOW_MS);
    expect(await flushDueDigests(testDeps)).toBeGreaterThanOrEqual(1);
    await stack.platform.smsDelivered();
    const digests = digestsTo(crowded);
    expect(digests).toHaveLength(1);
    expect([...(digests[0].eventIds ?? [])].sort()).toEqual(twenty.filter((id) => id !== sentNow).sort());
    expect(digests[0].params.count).toBe('19');
    expect(digests[0].text).toContain('您有19件案件');
    expect(digests[0].text).toMatch(/等。请及时办理。$/);
    expect(digests[0].parts).toBeLessThanOrEqual(2);
    expect(sent.filter((message) => message.to === crowded)).toHaveLength(2);

    // Nothing is left behind: no folded reminder, no due entry.
    expect((await deps.reminders.reminderWindow(crowded))?.folded).toEqual([]);
    const due = await deps.reminders.dueReminderDigests(new Date(clock.now().getTime() + 10 * WINDOW_MS), 1000);
    expect(due.filter((entry) => entry.phone === crowded)).toEqual([]);
    expect(smsTo(alone)).toHaveLength(1);
  });
});
