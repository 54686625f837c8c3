/**
 * Anonymous idempotency keys are scoped (issue 13 item 3): client B sending client A's key and body got A's case
 * back, with the phone A sent; client C could squat A's key before A used it. A resident's key is scoped to the
 * client's address (until residents verify their phones: then to the phone), never bare. Clients here are
 * different loopback addresses (127.0.0.2, 127.0.0.3…), which the gateway sees as the source IP, as API Gateway does.
 */
import { postFrom } from '../support/client-address';
import { JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const reportOf = (phone: string) => ({ itemCode: '03-08', gridCode: JINYUAN_GRID_1, description: '夜间噪音扰民', reporter: { phone } });

/** POST /events without a token, from the loopback address `from`. */
const postFromWithKey = (from: string, key: string, body: unknown) =>
  postFrom(stack.url, from, '/events', body, { 'idempotency-key': key });

test("another client sending a resident's key and body gets a case of its own, never the resident's", async () => {
  const first = await postFromWithKey('127.0.0.2', 'noise-report-1', reportOf('13000001111'));
  expect(first.status).toBe(201);
  // The same client again: the same case (a retry).
  const retried = await postFromWithKey('127.0.0.2', 'noise-report-1', reportOf('13000001111'));
  expect(retried.status).toBe(200);
  expect(retried.body.id).toBe(first.body.id);

  const other = await postFromWithKey('127.0.0.3', 'noise-report-1', reportOf('13000001111'));
  expect(other.status).toBe(201);
  expect(other.body.id).not.toBe(first.body.id);
});

test("a key another client used first does not block the resident's own report", async () => {
  const squatted = await postFromWithKey('127.0.0.4', 'noise-report-2', reportOf('13000002222'));
  expect(squatted.status).toBe(201);
  const own = await postFromWithKey('127.0.0.5', 'noise-report-2', reportOf('13000003333'));
  expect(own.status).toBe(201);
  expect(own.body.id).not.toBe(squatted.body.id);
});
