/**
 * The SMS sender's rule (shared/core/deliver-sms.ts) on the in-memory stores: each stored intent is sent once;
 * a redelivered one is skipped; one whose earlier attempt recorded no outcome is sent again and says so; one that
 * keeps failing is recorded on its case's timeline. The same store rules run on DynamoDB Local in the contract
 * suite (tests/contract/sms-intents.test.ts).
 */
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { SmsThrottled } from '../../shared/domain/errors';
import { deliverIntent, SMS_FAILED_MESSAGE, SMS_MAYBE_TWICE_MESSAGE } from '../../shared/core/deliver-sms';
import { queueMessages } from '../../shared/core/notify';
import type { OutgoingMessage } from '../../shared/ports/notifier';
import type { SmsIntent } from '../../shared/ports/sms-intents';
import { pureDeps, sampleEvent } from './pure-deps';

const NOW = '2026-11-24T02:00:00Z';

function sender(options: { failing?: boolean } = {}) {
  const stores = createMemoryStores();
  const stored: SmsIntent[] = [];
  (stores.smsIntents as unknown as { onStored: (intents: SmsIntent[]) => void }).onStored = (intents) => stored.push(...intents);
  const sent: OutgoingMessage[] = [];
  const logged: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, extra?: Record<string, unknown>) => logged.push({ level, message, extra });
  const deps = pureDeps(NOW, {
    ports: {
      ...stores,
      notifier: {
        async send(message) {
          if (options.failing) throw new Error('InvalidParameterException: cannot receive SMS');
          sent.push(message);
          return { messageId: `m${sent.length}` };
        },
      },
    },
  });
  return { deps: { ...deps, logger: { info: log('info'), warn: log('warn'), error: log('error') } }, stores, stored, sent, logged };
}

const request = { to: { phone: '13000001001', name: '欧阳玲巧' }, recipientRole: 'grid_worker', template: 'patrol_missing' as const };

test('a stored intent is sent once: a redelivered stream record is skipped', async () => {
  const { deps, stored, sent } = sender();
  await queueMessages(deps, {}, [{ ...request, params: { grid: '金垦社区第一网格', day: '11月24日' } }]);
  expect(stored).toHaveLength(1);
  expect(await deliverIntent(deps, stored[0])).toBe('sent');
  expect(await deliverIntent(deps, stored[0])).toBe('skipped');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ to: '13000001001', template: 'patrol_missing' });
});

test('a sender that stopped between the send and its record: the next delivery sends again, and says so', async () => {
  const { deps, stored, sent, logged } = sender();
  await queueMessages(deps, {}, [{ ...request, params: { grid: '金垦社区第一网格', day: '11月24日' } }]);
  // The first sender counted its attempt and sent, then stopped before it recorded the outcome.
  const settle = deps.smsIntents.settle.bind(deps.smsIntents);
  deps.smsIntents.settle = async () => {
    throw new Error('Task timed out');
  };
  await expect(deliverIntent(deps, stored[0])).rejects.toThrow('Task timed out');
  deps.smsIntents.settle = settle;
  expect(await deliverIntent(deps, stored[0])).toBe('sent');
  expect(sent).toHaveLength(2);
  expect(logged.filter((line) => line.message === SMS_MAYBE_TWICE_MESSAGE)).toEqual([
    { level: 'warn', message: SMS_MAYBE_TWICE_MESSAGE, extra: expect.objectContaining({ intentId: stored[0].id, earlierAttempts: 1 }) },
  ]);
  expect(await deliverIntent(deps, stored[0])).toBe('skipped');
});

test('a provider still throttling after the retries: nothing is given up, and the stream retries the intent later', async () => {
  const { deps, stores, stored, sent, logged } = sender();
  await queueMessages(deps, {}, [{ ...request, params: { grid: '金垦社区第一网格', day: '11月24日' } }]);
  const send = deps.notifier.send;
  deps.notifier.send = async () => {
    throw new SmsThrottled('Rate exceeded');
  };
  await expect(deliverIntent(deps, stored[0])).rejects.toBeInstanceOf(SmsThrottled);
  deps.notifier.send = send;
  expect(await deliverIntent(deps, stored[0])).toBe('sent');
  expect(sent).toHaveLength(1);
  // The throttled attempt sent nothing: it is not counted as a possible second send.
  expect(logged.filter((line) => line.message === SMS_MAYBE_TWICE_MESSAGE)).toEqual([]);
  expect(await stores.smsIntents.beginAttempt(stored[0].id, new Date())).toEqual({ settled: true });
});

test('an SMS that keeps failing is given up once: logged for the alarm, on the case timeline, and not retried', async () => {
  const { deps, stores, stored, sent, logged } = sender({ failing: true });
  const event = sampleEvent();
  await stores.cases.create({ case: event, timeline: [], counters: [] });
  await queueMessages(deps, { eventId: event.id }, [{ ...request, params: { grid: '金垦社区第一网格', day: '11月24日' } }]);
  expect(await deliverIntent(deps, stored[0])).toBe('failed');
  expect(await deliverIntent(deps, stored[0])).toBe('skipped');
  expect(sent).toHaveLength(0);
  expect(logged.filter((line) => line.message === SMS_FAILED_MESSAGE)).toHaveLength(1);
  // The phone is masked in the log.
  expect(JSON.stringify(logged)).not.toContain('13000001001');
  const timeline = await stores.cases.timeline(event.id);
  expect(timeline.map((entry) => entry.type)).toEqual(['notification_failed']);
  expect(timeline[0].note).toContain('patrol_missing → grid_worker 130****1001');
});

test("past the phone's daily cap a message about no case is held: recorded as not sent, with why, and logged", async () => {
  const { deps, stored, sent, logged } = sender();
  const capped = { ...deps, policy: { ...deps.policy, smsPerPhonePerDay: 1 } };
  await queueMessages(capped, {}, [{ ...request, params: { grid: '金垦社区第一网格', day: '11月24日' } }]);
  await queueMessages(capped, {}, [{ ...request, params: { grid: '金垦社区第二网格', day: '11月24日' } }]);
  expect(await deliverIntent(capped, stored[0])).toBe('sent');
  expect(await deliverIntent(capped, stored[1])).toBe('capped');
  expect(sent).toHaveLength(1);
  expect(logged.find((line) => line.message === 'SMS past the daily cap')?.extra?.reason).toMatch(
    /not sent: the daily cap of 1 SMS to 130\*\*\*\*1001/,
  );
  // Settled: a redelivered record sends nothing.
  expect(await deliverIntent(capped, stored[1])).toBe('skipped');
});
