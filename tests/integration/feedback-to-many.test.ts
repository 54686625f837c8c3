/**
 * A flood's feedback: a whole street reports the same waterlogging, the grid worker links every later report to the
 * first as a duplicate, and when the case is handled the feedback step texts the reporter and every linked reporter —
 * more SMS than one DynamoDB transaction holds (100 items). Every reporter gets the feedback once, the case goes on to
 * its rating, and its record lists each SMS. Also when the step stops between committing the feedback and storing the
 * SMS its transaction had no room for: the table's stream hands the SMS sender what is owed, and nobody is texted twice.
 * Through HTTP on the local stack (DynamoDB Local, the real ASL on the local engine), on a driven clock.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { OWED_ITEM_TYPE } from '../../shared/adapters/dynamodb/dynamodb-owed-sms';
import type { SdkClient } from '../../shared/composition/cloud-dependencies';
import { MAX_LINKED_REPORTS } from '../../shared/core/actions/intake';
import { buildChange, SYSTEM_ACTOR } from '../../shared/core/changes';
import { act, at, eventually, fetchEvent, JINYUAN_GRID_1, smsOf, startStack, typesOf, type Stack } from '../support/local-stack';

const LINKED = 150;
const clock = new DrivenClock(at('2026-11-23 09:00'));

/** Set by a test: workflow-step's process "stops" right after it commits a change that owes SMS. */
let stopAfterOwingCommit = false;
/** What the stopped step tried to write after its commit (none of it was written). */
let refusedAfterCommit = 0;
/** Each transaction of workflow-step's that carried owed SMS: its items, the intents in it, its owed items. */
const owingCommits: { items: number; intents: number; owedItems: number }[] = [];

/** After the commit of a transaction carrying owed SMS, every write fails until the step reads the case again (its retry). */
function stopsAfterTheCommit(functionName: string, client: SdkClient, service: string): void {
  if (functionName !== 'workflow-step' || service !== 'dynamodb') return;
  let stopped = false;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] };
      if (stopped && input.TransactItems) {
        refusedAfterCommit += 1;
        throw Object.assign(new Error('Injected: the process stopped after its commit'), { name: 'ProcessStopped' });
      }
      // The retried step begins by reading the case.
      stopped = false;
      const result = await next(args);
      const types = (input.TransactItems ?? []).map((item) => item.Put?.Item?.itemType);
      if (!types.includes(OWED_ITEM_TYPE)) return result;
      const counted = (type: string) => types.filter((each) => each === type).length;
      owingCommits.push({ items: types.length, intents: counted('sms'), owedItems: counted(OWED_ITEM_TYPE) });
      if (stopAfterOwingCommit) {
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
    itemCode: '01-01',
    gridCode: JINYUAN_GRID_1,
    severity: 4,
    description: '金英街排水口堵塞，路面积水没过脚踝',
    reporter: { name: '金英街居民', phone },
  });

/** Reports linked over HTTP (report, then link_duplicate); the rest are put on the case as those links leave it. */
const LINKED_OVER_HTTP = 3;

/**
 * A case with `linked` later reports of the same matter linked to it, each from its own phone: the last few reported
 * and linked through the API, the others written on the case as their links would leave it (a report and a link over
 * HTTP each take about a tenth of a second here; the feedback is what this file tests).
 */
async function floodedCase(series: string, linked: number): Promise<{ id: string; phones: string[] }> {
  const phones = Array.from({ length: linked + 1 }, (_, index) => `139${series}0${String(index).padStart(5, '0')}`);
  const first = await report(phones[0] as string);
  expect(first.status).toBe(201);
  const seeded = phones.slice(1, phones.length - LINKED_OVER_HTTP);
  const later: string[] = [];
  for (const phone of phones.slice(phones.length - LINKED_OVER_HTTP)) {
    const reply = await report(phone);
    expect(reply.status).toBe(201);
    later.push(reply.body.id);
  }
  await clock.settled();
  const stored = await stack.platform.deps.cases.get(first.body.id);
  if (!stored) throw new Error('the first report is not stored');
  await stack.platform.deps.cases.apply(
    buildChange(
      stored.case,
      {
        ...stored.case,
        linkedReports: seeded.map((_, index) => `E20261123-S${series}${String(index).padStart(4, '0')}`),
        linkedReporters: seeded.map((phone) => ({ name: '金英街居民', phone })),
      },
      { type: 'duplicate_linked', actor: SYSTEM_ACTOR, at: clock.now(), waitingTask: stored.waitingTask ?? null },
    ),
  );
  for (const id of later) {
    const linkedReply = await post(`/events/${id}/actions`, { action: 'link_duplicate', duplicateOf: first.body.id });
    expect([id, linkedReply.status]).toEqual([id, 200]);
  }
  // The linked reports' lifecycles end (each link woke its own): only the case's runs on.
  await clock.settled();
  const original = await fetchEvent(stack, first.body.id, worker);
  expect(original.linkedReporters).toHaveLength(linked);
  return { id: first.body.id, phones };
}

/** The grid worker (the case's handler: a level-4 blocked drain stays in her grid) completes the case; the lifecycle feeds back; every reporter is texted. */
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
  // One transaction, within DynamoDB's 100 items: the rest of the SMS owed in it.
  expect(owingCommits).toHaveLength(1);
  const [commit] = owingCommits;
  expect(commit?.items).toBeLessThanOrEqual(100);
  console.log(
    `feedback to ${phones.length} reporters: one transaction of ${commit?.items} items, ${commit?.intents} intents with their entries and ${commit?.owedItems} owed item(s) of ${phones.length - (commit?.intents ?? 0)}`,
  );
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
  const { id, phones } = await floodedCase('20', 60);
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

test(`a case takes at most ${MAX_LINKED_REPORTS} linked reports: one more is refused, naming duplicateOf, and stays open to be handled on its own`, async () => {
  const first = await report('13930000000');
  const later = await report('13930000001');
  await clock.settled();
  // As that many links would leave the case (only their ids: the rule counts them).
  const stored = await stack.platform.deps.cases.get(first.body.id);
  if (!stored) throw new Error('the first report is not stored');
  const linkedReports = Array.from({ length: MAX_LINKED_REPORTS }, (_, index) => `E20261123-L${String(index).padStart(5, '0')}`);
  await stack.platform.deps.cases.apply(
    buildChange(
      stored.case,
      { ...stored.case, linkedReports },
      { type: 'commented', actor: SYSTEM_ACTOR, at: clock.now(), waitingTask: stored.waitingTask ?? null },
    ),
  );
  const refused = await act(stack, later.body.id, worker, { action: 'link_duplicate', duplicateOf: first.body.id });
  expect(refused.status).toBe(422);
  expect(refused.body.error.fields).toEqual([{ field: 'duplicateOf', message: 'too many linked reports' }]);
  expect((await fetchEvent(stack, first.body.id, worker)).linkedReports).toHaveLength(MAX_LINKED_REPORTS);
  expect(await fetchEvent(stack, later.body.id, worker)).toMatchObject({ status: 'open', stage: 'routed' });
  expect((await fetchEvent(stack, later.body.id, worker)).duplicateOf).toBeUndefined();
});
