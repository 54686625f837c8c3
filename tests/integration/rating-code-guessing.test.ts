/**
 * Rating codes (issue 13 item 4): the 10 tries an hour were per address only, so each new address got 10 more
 * guesses at a case's 6-digit code. A case takes at most 5 tries at its code (the policy's
 * `ratingTriesPerCase`), from any addresses; after them the code is void: 5 in 1,000,000, a 1-in-200,000 chance.
 * Clients are different loopback addresses, which the gateway sees as the source IP, as API Gateway does.
 */
import { postFrom } from '../support/client-address';
import { act, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** POST /events/{id}/rating without a token, from the loopback address `from`. */
const rateFrom = (from: string, id: string, code: string) => postFrom(stack.url, from, `/events/${id}/rating`, { code, score: 5 });

async function fedBackCase(): Promise<{ id: string; code: string }> {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, description: '评价码测试的排水口堵塞', reporter: { phone: '13000006789' } },
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
