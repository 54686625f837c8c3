/**
 * Rating codes (issue 13 item 4): the 10 tries an hour were per address only, so each new address got 10 more
 * guesses at a case's 6-digit code. A case takes at most 5 tries at its code (the policy's
 * `ratingTriesPerCase`), from any addresses; after them the code is void: 5 in 1,000,000, a 1-in-200,000 chance.
 * Clients are different loopback addresses, which the gateway sees as the source IP, as API Gateway does. The
 * verified reporter can ask for a new code (POST /events/{id}/rating-code with their reporter token).
 */
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { toE164 } from '../../shared/domain/phones';
import { postFrom } from '../support/client-address';
import { act, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';
import { reporterTokenFor } from '../support/resident';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** POST /events/{id}/rating without a token, from the loopback address `from`. */
const rateFrom = (from: string, id: string, code: string) => postFrom(stack.url, from, `/events/${id}/rating`, { code, score: 5 });

async function fedBackCase(phone = '13000006789'): Promise<{ id: string; code: string }> {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, description: '评价码测试的排水口堵塞', reporter: { phone } },
  });
  expect((await act(stack, created.body.id, worker, { action: 'complete', note: '已疏通' })).status).toBe(200);
  const [feedback] = await smsWhen(stack, created.body.id, 'feedback_to_reporter');
  return { id: created.body.id, code: /评价码(\d{6})/.exec(feedback?.text ?? '')?.[1] ?? '' };
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

test('five wrong codes from five addresses void the code: the right one is refused after them', async () => {
  const { id, code } = await fedBackCase();
  for (let address = 2; address <= 6; address++) expect((await rateFrom(`127.0.1.${address}`, id, wrong(code))).status).toBe(404);
  const late = await rateFrom('127.0.1.7', id, code);
  expect(late.status).toBe(403);
  expect(late.body.error.message).toContain('void');
});

test('the right code within the first tries rates the case', async () => {
  const { id, code } = await fedBackCase();
  for (let address = 2; address <= 5; address++) expect((await rateFrom(`127.0.2.${address}`, id, wrong(code))).status).toBe(404);
  expect((await rateFrom('127.0.2.6', id, code)).status).toBe(200);
});

test('however many addresses a stranger uses, a guess beats a code at worse than 1 in 100,000', async () => {
  // Codes are 6 digits from 100000 to 999999 (900,000 values); a case takes ratingTriesPerCase tries from all clients.
  const { id, code } = await fedBackCase();
  expect(code).toMatch(/^[1-9]\d{5}$/);
  const values = 999_999 - 100_000 + 1;
  const chance = DEFAULT_POLICY.ratingTriesPerCase / values;
  expect(DEFAULT_POLICY.ratingTriesPerCase).toBe(5);
  expect(chance).toBeLessThan(1 / 100_000); // 1 in 180,000
  // The behaviour the arithmetic rests on: a new address per guess gets no guess past the case's tries.
  let refusedAfter = 0;
  for (let address = 1; address <= DEFAULT_POLICY.ratingTriesPerCase + 3; address++) {
    const tried = await rateFrom(`127.0.3.${address}`, id, wrong(code));
    if (tried.status === 403) refusedAfter++;
    else expect(tried.status).toBe(404);
  }
  expect(refusedAfter).toBe(3);
});

describe('the verified reporter asks for a new code (POST /events/{id}/rating-code)', () => {
  /** The latest rating-code SMS to `phone` about the case. */
  const renewedCode = (id: string, phone: string) =>
    /评价码(\d{6})/.exec(
      stack.platform.outbox
        .all()
        .filter((message) => message.eventId === id && message.template === 'rating_code_renewed' && toE164(message.to) === toE164(phone))
        .at(-1)?.text ?? '',
    )?.[1];

  test('after the code went void, the reporter gets a new one by SMS: the old one is refused, the new one rates', async () => {
    const phone = '13000006790';
    const { id, code } = await fedBackCase(phone);
    for (let address = 2; address <= 6; address++) expect((await rateFrom(`127.0.4.${address}`, id, wrong(code))).status).toBe(404);
    expect((await rateFrom('127.0.4.7', id, code)).status).toBe(403);

    const renewed = await stack.call('POST', `/events/${id}/rating-code`, { headers: await reporterTokenFor(stack, phone) });
    expect(renewed.status).toBe(202);
    expect(renewed.body).toMatchObject({ id, sentTo: '130****6790' });
    const fresh = renewedCode(id, phone);
    expect(fresh).toMatch(/^[1-9]\d{5}$/);
    if (fresh !== code) expect((await rateFrom('127.0.4.8', id, code)).status).toBe(404);
    const rated = await rateFrom('127.0.4.9', id, fresh ?? '');
    expect(rated.status).toBe(200);
  });

  test("only the case's own reporter: another verified phone is 403, no token 401, and neither is texted", async () => {
    const { id } = await fedBackCase('13000006791');
    const before = stack.platform.outbox.all().length;
    const stranger = await stack.call('POST', `/events/${id}/rating-code`, { headers: await reporterTokenFor(stack, '13000006792') });
    expect(stranger.status).toBe(403);
    const sentSinceVerifying = stack.platform.outbox.all().slice(before);
    expect(sentSinceVerifying.filter((message) => message.template !== 'verification_code')).toEqual([]);
    const anonymous = await stack.call('POST', `/events/${id}/rating-code`, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.fields).toEqual([{ field: 'X-Reporter-Token', message: 'missing' }]);
    const forged = await stack.call('POST', `/events/${id}/rating-code`, { headers: { 'x-reporter-token': 'x.y' } });
    expect(forged.status).toBe(401);
  });
});
