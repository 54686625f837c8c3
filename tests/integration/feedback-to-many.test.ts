/**
 * A flood's feedback: a whole street reports the same waterlogging, the grid worker links every later report to the
 * first as a duplicate, and when the case is handled the feedback step texts the reporter and every linked reporter —
 * more SMS than one DynamoDB transaction holds (100 items). Every reporter gets the feedback once, the case goes on to
 * its rating, and its record lists each SMS. Also when the step stops between committing the feedback and storing the
 * SMS its transaction had no room for: the table's stream hands the SMS sender what is owed, and nobody is texted twice.
 * Through HTTP on the local stack (DynamoDB Local, the real ASL on the local engine), on a driven clock.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import type { SdkClient } from '../../shared/composition/cloud-dependencies';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { act, at, eventually, fetchEvent, JINYUAN_GRID_1, smsOf, startStack, typesOf, type Stack } from '../support/local-stack';

const LINKED = 150;
const clock = new DrivenClock(at('2026-11-23 09:00'));

/** Set by a test: workflow-step's process "stops" right after it commits a change that owes SMS. */
let stopAfterOwingCommit = false;
/** What the stopped step tried to write after its commit (none of it was written). */
let refusedAfterCommit = 0;

/** After the commit of a transaction carrying owed SMS, every write fails until the step reads the case again (its retry). */
function stopsAfterTheCommit(functionName: string, client: SdkClient, service: string): void {
  if (functionName !== 'workflow-step' || service !== 'dynamodb') return;
  let stopped = false;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TransactItems?: unknown[] };
      if (stopped && input.TransactItems) {
        refusedAfterCommit += 1;
        throw Object.assign(new Error('Injected: the process stopped after its commit'), { name: 'ProcessStopped' });
      }
      // The retried step begins by reading the case.
      stopped = false;
      const result = await next(args);
      if (stopAfterOwingCommit && input.TransactItems && JSON.stringify(input.TransactItems).includes('sms_owed')) {
        stopAfterOwingCommit = false;
        stopped = true;
      }
      return result;
    },
    { step: 'initialize', name: 'stopAfterTheCommit' },
  );
}

let stack: Stack;
let worker: string;
beforeAll(async () => {
  stack = await startStack({
    clock,
    // The grid worker is assigned every report of the flood: past the default cap her own SMS would fold into digests.
    policy: { ...DEFAULT_POLICY, smsPerPhonePerDay: 1000 },
    instrument: stopsAfterTheCommit,
    scheduledJobs: false,
  });
  worker = stack.token('grid_worker', JINYUAN_GRID_1);
});
afterAll(() => stack?.stop());

/** A POST straight to the platform (the stack's `call` waits for the SMS sender after each, which the setup need not). */
async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${worker}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const report = (phone: string) =>
  post('/events', {
    itemCode: '02-03',
    gridCode: JINYUAN_GRID_1,
    description: '金英街路面积水没过脚踝',
    reporter: { name: '金英街居民', phone },
  });

/** A case reported from `phone` with `linked` later reports of the same matter linked to it, each from its own phone. */
async function floodedCase(series: string, linked: number): Promise<{ id: string; phones: string[] }> {
  const phones = Array.from({ length: linked + 1 }, (_, index) => `139${series}${String(index).padStart(4, '0')}`);
  const first = await report(phones[0] as string);
  expect(first.status).toBe(201);
  const later: string[] = [];
  // Eight reports at a time, as a street's residents would send them.
  for (let start = 1; start < phones.length; start += 8) {
    const replies = await Promise.all(phones.slice(start, start + 8).map((phone) => report(phone)));
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 201));
    later.push(...replies.map((reply) => reply.body.id as string));
  }
  // Linked one after the other: each link changes the first case.
  for (const id of later) {
    const linkedReply = await post(`/events/${id}/actions`, { action: 'link_duplicate', duplicateOf: first.body.id });
    expect([id, linkedReply.status]).toEqual([id, 200]);
  }
  const original = await fetchEvent(stack, first.body.id, worker);
  expect(original.linkedReporters).toHaveLength(linked);
  return { id: first.body.id, phones };
}

/** The grid worker completes the case; the lifecycle feeds back; every reporter is texted. */
async function handledAndFedBack(id: string) {
  const completed = await act(stack, id, worker, { action: 'complete', note: '已疏通排水口，积水已退' });
  expect(completed.status).toBe(200);
  await clock.settled();
  return eventually(async () => {
    await stack.platform.smsDelivered();
    const event = await fetchEvent(stack, id, worker);
    return event.fedBackAt ? event : undefined;
  }, 'the case fed back');
}

/** The feedback SMS in the outbox, once every stored one has been handed to the sender. */
async function feedbackSent(id: string, expected: number) {
  return eventually(
    async () => {
      await stack.platform.smsDelivered();
      const sent = smsOf(stack, id, 'feedback_to_reporter');
      return sent.length >= expected ? sent : undefined;
    },
    `${expected} feedback SMS`,
    30_000,
  );
}

async function listedFeedback(id: string) {
  const { status, body } = await stack.call('GET', `/events/${id}/messages`, { token: worker });
  expect(status).toBe(200);
  return body.items.filter((item: { template: string }) => item.template === 'feedback_to_reporter');
}

test(`a case with ${LINKED} linked reporters feeds back: each of the ${LINKED + 1} reporters is texted once, and it goes on to its rating`, async () => {
  const { id, phones } = await floodedCase('10', LINKED);
  const fedBack = await handledAndFedBack(id);
  expect(fedBack).toMatchObject({ stage: 'feedback', status: 'open' });
  expect(fedBack.clock.kind).toBe('rating');
  expect(typesOf(fedBack).at(-1)).toBe('fed_back');

  const sent = await feedbackSent(id, phones.length);
  expect(sent.map((message) => message.to).sort()).toEqual([...phones].sort());
  expect(sent.every((message) => message.recipientRole === 'reporters')).toBe(true);
  const listed = await eventually(async () => {
    const items = await listedFeedback(id);
    return items.length === phones.length && items.every((item: { status: string }) => item.status === 'sent') ? items : undefined;
  }, 'every feedback SMS listed as sent');
  expect(new Set(listed.map((item: { intentId: string }) => item.intentId)).size).toBe(phones.length);

  // A linked reporter rates with the code their SMS carried.
  const last = sent.find((message) => message.to === phones.at(-1));
  const code = /评价码(\d{6})/.exec(last?.text ?? '')?.[1];
  const rated = await stack.call('POST', `/events/${id}/rating`, { body: { code, score: 5, note: '及时' } });
  expect(rated.status).toBe(200);
  expect(rated.body.rating).toMatchObject({ score: 5, by: 'reporter' });
}, 120_000);

test('the step stops between its commit and storing the SMS that had no room in it: the stream completes them, nobody texted twice', async () => {
  const { id, phones } = await floodedCase('20', 100);
  stopAfterOwingCommit = true;
  refusedAfterCommit = 0;
  const fedBack = await handledAndFedBack(id);
  expect(typesOf(fedBack).filter((type) => type === 'fed_back')).toHaveLength(1);
  // The step did stop: what it meant to write after the commit was refused, and the step was retried.
  expect(stopAfterOwingCommit).toBe(false);
  expect(refusedAfterCommit).toBeGreaterThan(0);

  const sent = await feedbackSent(id, phones.length);
  expect(sent.map((message) => message.to).sort()).toEqual([...phones].sort());
  const listed = await eventually(async () => {
    const items = await listedFeedback(id);
    return items.length === phones.length && items.every((item: { status: string }) => item.status === 'sent') ? items : undefined;
  }, 'every feedback SMS listed as sent');
  expect(listed).toHaveLength(phones.length);
  // Nothing more arrives later.
  await stack.platform.smsDelivered();
  expect(smsOf(stack, id, 'feedback_to_reporter')).toHaveLength(phones.length);
}, 120_000);
