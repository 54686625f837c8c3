/**
 * A case's record beyond its timeline, through the real handlers on the local stack: the SMS it caused
 * (GET /events/{id}/messages: template, recipient masked, where each stands) and the states its lifecycle
 * visited (GET /events/{id}/lifecycle: Step Functions' GetExecutionHistory on the local engine running the real
 * ASL). Whoever may not see the case gets the 404 GET /events/{id} gives.
 */
import { eventually, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

const OTHER_GRID = '441302010002001';
let stack: Stack;

/** Grid 2's worker, whose phone cannot receive SMS here: SNS's refusal names the number. */
const UNREACHABLE_GRID = '441302010001002';
const UNREACHABLE_PHONE = '13000001002';

beforeAll(async () => {
  stack = await startStack({ timeScale: 1, scheduledJobs: false, env: { ...process.env, GRIDFLOW_SMS_FAIL_NUMBERS: UNREACHABLE_PHONE } });
});
afterAll(async () => {
  await stack?.stop();
});

async function reportedCase(): Promise<{ id: string; worker: string }> {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const reported = await stack.call('POST', '/events', {
    token: worker,
    body: {
      itemCode: '01-01',
      gridCode: JINYUAN_GRID_1,
      description: '金英街排水口堵塞',
      reporter: { name: '金英街居民', phone: '13000009999' },
    },
  });
  expect(reported.status).toBe(201);
  return { id: reported.body.id, worker };
}

test('the SMS a case caused are listed with it: template, recipient masked, sent; another grid cannot see them', async () => {
  const { id, worker } = await reportedCase();
  const [assigned] = await smsWhen(stack, id, 'case_assigned');
  const listed = await eventually(async () => {
    const { status, body } = await stack.call('GET', `/events/${id}/messages`, { token: worker });
    expect(status).toBe(200);
    return body.items.some((item: { status: string }) => item.status === 'sent') ? body : undefined;
  }, 'the case_assigned SMS recorded as sent');
  expect(listed.eventId).toBe(id);
  const sent = listed.items.find((item: { template: string }) => item.template === 'case_assigned');
  expect(sent).toMatchObject({ template: 'case_assigned', status: 'sent', recipientRole: expect.any(String) });
  expect(sent.recipient).toMatch(/^\d{3}\*{4}\d{4}$/);
  expect(sent.recipient).toBe(`${assigned?.to.slice(0, 3)}****${assigned?.to.slice(-4)}`);
  expect(Date.parse(sent.settledAt)).not.toBeNaN();
  // No number in full anywhere in the reply.
  expect(JSON.stringify(listed)).not.toMatch(/\d{11}/);

  const outsider = stack.token('grid_worker', OTHER_GRID);
  expect((await stack.call('GET', `/events/${id}/messages`, { token: outsider })).status).toBe(404);
  expect((await stack.call('GET', `/events/${id}`, { token: outsider })).status).toBe(404);
  expect((await stack.call('GET', `/events/${id}/messages`)).status).toBe(401);
  expect((await stack.call('GET', '/events/E20261123-NOSUCH/messages', { token: worker })).status).toBe(404);
});

test("an SMS that failed is listed as failed with the provider's words, the number in them masked too (list, timeline)", async () => {
  const worker = stack.token('grid_worker', UNREACHABLE_GRID);
  const reported = await stack.call('POST', '/events', {
    token: stack.token('community_station', '441302010001'),
    body: { itemCode: '01-01', gridCode: UNREACHABLE_GRID, description: '金源路排水口堵塞' },
  });
  expect(reported.status).toBe(201);
  const id = reported.body.id;
  const listed = await eventually(async () => {
    const { body } = await stack.call('GET', `/events/${id}/messages`, { token: worker });
    return body.items.some((item: { status: string }) => item.status === 'failed') ? body : undefined;
  }, 'the failed SMS listed');
  const failed = listed.items.find((item: { status: string }) => item.status === 'failed');
  expect(failed.error).toContain('cannot receive SMS');
  expect(failed.error).toContain('+86****1002');
  expect(JSON.stringify(listed)).not.toContain(UNREACHABLE_PHONE);
  const timeline = await eventually(async () => {
    const { body } = await stack.call('GET', `/events/${id}`, { token: worker });
    return JSON.stringify(body.timeline).includes('cannot receive SMS') ? body.timeline : undefined;
  }, 'the failure on the timeline');
  expect(JSON.stringify(timeline)).not.toContain(UNREACHABLE_PHONE);
});

test("a case's lifecycle: the states its execution visited, from the local engine's history; no console link locally", async () => {
  const { id, worker } = await reportedCase();
  // The lifecycle registers the case, then waits on its handler.
  const lifecycle = await eventually(async () => {
    const { status, body } = await stack.call('GET', `/events/${id}/lifecycle`, { token: worker });
    expect(status).toBe(200);
    const states: { name: string }[] = body.executions[0]?.states ?? [];
    return states.some((state) => state.name === 'Handle') ? body : undefined;
  }, 'the lifecycle waiting in Handle');
  expect(lifecycle.eventId).toBe(id);
  const [execution] = lifecycle.executions;
  expect(execution).toMatchObject({ name: id, status: 'running' });
  expect(execution.arn).toMatch(new RegExp(`^arn:aws:states:[^:]+:\\d{12}:execution:GridFlow-EventLifecycle:${id}$`));
  expect(execution).not.toHaveProperty('consoleUrl');
  const names = execution.states.map((state: { name: string }) => state.name);
  expect(names[0]).toBe('Register');
  expect(names).toContain('What next?');
  const register = execution.states[0];
  expect(register).toMatchObject({ type: 'Task' });
  expect(Date.parse(register.exitedAt)).toBeGreaterThanOrEqual(Date.parse(register.enteredAt));
  // The state it waits in now was entered and not left.
  expect(execution.states.at(-1)).toMatchObject({ name: 'Handle' });
  expect(execution.states.at(-1)).not.toHaveProperty('exitedAt');

  const outsider = stack.token('grid_worker', OTHER_GRID);
  expect((await stack.call('GET', `/events/${id}/lifecycle`, { token: outsider })).status).toBe(404);
  const department = stack.token('department', '441302', { department: 'urban-management' });
  expect((await stack.call('GET', `/events/${id}/lifecycle`, { token: department })).status).toBe(404);
});
