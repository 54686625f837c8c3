/**
 * The local outbox (issue 13 item 6): `GET /_local/outbox` listed every full phone number and every rating code
 * to anyone. It needs a district center's or an admin's token, masks phones and never shows a rating code (the
 * tests and tools that need a code read it in process, or from `outbox.jsonl` in the data folder).
 */
import { act, HUICHENG, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';
import { verificationCodeSentTo } from '../support/resident';

const RESIDENT_PHONE = '13000004321';

describe('GET /_local/outbox', () => {
  let stack: Stack;
  let code: string;
  let caseId: string;

  beforeAll(async () => {
    stack = await startStack();
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const created = await stack.call('POST', '/events', {
      token: worker,
      body: {
        itemCode: '01-01',
        gridCode: JINYUAN_GRID_1,
        description: '外箱测试的排水口堵塞',
        reporter: { name: '居民', phone: RESIDENT_PHONE },
      },
    });
    caseId = created.body.id;
    expect((await act(stack, caseId, worker, { action: 'complete', note: '已疏通' })).status).toBe(200);
    const [feedback] = await smsWhen(stack, caseId, 'feedback_to_reporter');
    code = /评价码(\d{6})/.exec(feedback?.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
  });
  afterAll(() => stack?.stop());

  test('refuses a caller without a token (401) and one who is neither a district center nor an admin (403)', async () => {
    expect((await stack.call('GET', '/_local/outbox')).status).toBe(401);
    const worker = await stack.call('GET', '/_local/outbox', { token: stack.token('grid_worker', JINYUAN_GRID_1) });
    expect(worker.status).toBe(403);
    expect(worker.body.error.code).toBe('forbidden');
  });

  test.each([
    ['district_center', HUICHENG],
    ['admin', HUICHENG],
  ] as const)('lists the messages to a %s, phones masked and no rating code anywhere', async (role, unit) => {
    const { status, body } = await stack.call('GET', '/_local/outbox', { token: stack.token(role, unit) });
    expect(status).toBe(200);
    const feedback = body.items.find(
      (item: { eventId?: string; template: string }) => item.eventId === caseId && item.template === 'feedback_to_reporter',
    );
    expect(feedback).toMatchObject({ to: '130****4321', template: 'feedback_to_reporter', eventId: caseId });
    const listed = JSON.stringify(body);
    expect(listed).not.toContain(code);
    expect(listed).not.toContain(RESIDENT_PHONE);
    expect(listed).not.toMatch(/1[3-9]\d{9}/);
  });
});

describe('GET /_local/outbox and verification codes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  test("never lists a resident's verification code: whoever read it could verify the resident's phone", async () => {
    expect((await stack.call('POST', '/verifications', { body: { phone: '13000004322' } })).status).toBe(202);
    const code = verificationCodeSentTo(stack, '13000004322');
    const { status, body } = await stack.call('GET', '/_local/outbox', { token: stack.token('district_center', HUICHENG) });
    expect(status).toBe(200);
    const listed = body.items.find((item: { template: string }) => item.template === 'verification_code');
    expect(listed).toMatchObject({ to: '+86****4322', template: 'verification_code' });
    expect(JSON.stringify(body)).not.toContain(code);
  });
});
