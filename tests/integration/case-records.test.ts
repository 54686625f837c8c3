/**
 * A case's record beyond its timeline, through the real handlers on the local stack: the SMS it caused
 * (GET /events/{id}/messages: template, recipient masked, where each stands) and the states its lifecycle
 * visited (GET /events/{id}/lifecycle: Step Functions' GetExecutionHistory on the local engine running the real
 * ASL). Whoever may not see the case gets the 404 GET /events/{id} gives.
 */
import { flushDueDigests, sendReminder } from '../../shared/core/reminders';
import type { MessageRequest } from '../../shared/core/notify';
import { eventually, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

const OTHER_GRID = '441302010002001';
/** Another grid of the same community: its worker sees only their grid's cases. */
const THIRD_GRID = '441302010001003';
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

test('a reminder digest about cases of two grids: each case lists it with how many others it covered, never their ids', async () => {
  const { id: mine, worker } = await reportedCase();
  const theirs = await stack.call('POST', '/events', {
    token: stack.token('grid_worker', THIRD_GRID),
    body: { itemCode: '01-01', gridCode: THIRD_GRID, description: '另一网格排水口堵塞' },
  });
  expect(theirs.status).toBe(201);
  const other = theirs.body.id as string;
  // One phone reminded of both (a handler of both cases): the first reminder goes, the next ones fold into the
  // window's digest, which the sweep sends at the window's end — on a clock of the test's own, a day ahead.
  const deps = stack.platform.deps;
  let now = deps.clock.now().getTime() + 24 * 3600_000;
  const testDeps = { ...deps, clock: { scale: 1, now: () => new Date(now) } };
  const reminder = (eventId: string): MessageRequest => ({
    to: { phone: '13900009101', name: '值班员' },
    recipientRole: 'handler',
    template: 'case_reminder',
    params: { eventId, item: '排水口或下水道堵塞', itemEn: 'Drain outlet or sewer blocked', place: '金英街', deadline: '11月27日16:00' },
  });
  expect(await sendReminder(testDeps, mine, reminder(mine))).toBe('sent');
  expect(await sendReminder(testDeps, other, reminder(other))).toBe('folded');
  expect(await sendReminder(testDeps, mine, reminder(mine))).toBe('folded');
  now += 24 * 3600_000;
  expect(await flushDueDigests(testDeps)).toBeGreaterThanOrEqual(1);

  const digestOf = async (id: string, token: string) =>
    eventually(async () => {
      const { status, body } = await stack.call('GET', `/events/${id}/messages`, { token });
      expect(status).toBe(200);
      return body.items.some((item: { template: string }) => item.template === 'reminder_digest') ? body : undefined;
    }, `the digest listed on ${id}`);
  // The worker of the first grid may see their case, not the other grid's: its id is nowhere in the reply.
  const listed = await digestOf(mine, worker);
  expect(listed.items.find((item: { template: string }) => item.template === 'reminder_digest')).toMatchObject({ alsoForCount: 1 });
  expect(listed.items.find((item: { template: string }) => item.template === 'case_reminder')).not.toHaveProperty('alsoForCount');
  expect(JSON.stringify(listed)).not.toContain(other);
  expect((await stack.call('GET', `/events/${other}`, { token: worker })).status).toBe(404);
  // And the other way round.
  const theirsListed = await digestOf(other, stack.token('grid_worker', THIRD_GRID));
  expect(theirsListed.items.find((item: { template: string }) => item.template === 'reminder_digest')).toMatchObject({ alsoForCount: 1 });
  expect(JSON.stringify(theirsListed)).not.toContain(mine);
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
