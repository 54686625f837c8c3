/**
 * Story 1, the blocked drain (小事不出格): grid worker 欧阳玲巧 reports a blocked drain outlet on Jinying
 * Street; it is hers to handle within a working day; she clears it; the resident gets an SMS; archived.
 * Through HTTP on the local stack: DynamoDB Local, the real ASL on the local engine, time sped up ×60.
 */
import { toLocalIso } from '../../shared/domain/calendar';
import { at, eventually, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';
import { sampleCalendar } from '../../dev-server/seed-reference';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 60, clockStart: at('2026-11-23 09:00') });
});
afterAll(() => stack?.stop());

const report = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '金英街排水口堵塞，雨水排不出去',
  severity: 4,
  location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
  photos: ['https://photos.example.cn/drain-before.jpg'],
  reporter: { name: '金英街居民', phone: '13000009999' },
  source: 'grid_worker',
};

test('a small matter goes from report to archive in five steps, with the SMS and the counters', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', { token: worker, body: report });
  expect(created.status).toBe(201);
  // Registered and routed in one write: the reply already names the handler and the deadline.
  expect(created.body).toMatchObject({
    itemCode: '01-01',
    severity: 4,
    status: 'open',
    stage: 'routed',
    source: 'grid_worker',
    assignee: { id: 'gw-ouyang-lingqiao' },
  });
  expect(created.body.deadlineAt).toBeDefined();
  const id: string = created.body.id;

  const routed = await eventually(async () => {
    const { body } = await stack.call('GET', `/events/${id}`, { token: worker });
    return body.stage === 'routed' ? body : undefined;
  }, 'the case to be routed');
  expect(routed.tier).toBe('grid');
  expect(routed.assignee).toEqual({ type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: JINYUAN_GRID_1 });
  // The grid's limit for this item: one working day from routing, on the business calendar.
  const routedAt = new Date(routed.routedAt);
  expect(routed.deadlineAt).toBe(toLocalIso(sampleCalendar().addWorkingDays(routedAt, 1)));
  expect(routed.overdue).toBe(false);

  const assigned = stack.platform.outbox.all().filter((message) => message.eventId === id && message.template === 'case_assigned');
  expect(assigned).toHaveLength(1);
  expect(assigned[0]).toMatchObject({ to: '13000001001', recipientRole: 'handler' });
  expect(assigned[0].text).toContain('排水口或下水道堵塞');

  const completed = await stack.call('POST', `/events/${id}/actions`, {
    token: worker,
    body: { action: 'complete', note: '已清理排水口，排水畅通', photos: ['https://photos.example.cn/drain-after.jpg'] },
  });
  expect(completed.status).toBe(200);
  expect(completed.body.stage).toBe('feedback');

  // The resident is told, with a code to rate the result.
  const feedback = await eventually(async () => {
    const sent = stack.platform.outbox.all().filter((message) => message.eventId === id && message.template === 'feedback_to_reporter');
    return sent.length > 0 ? sent : undefined;
  }, 'the feedback SMS');
  expect(feedback).toHaveLength(1);
  expect(feedback[0]).toMatchObject({ to: '13000009999', recipientRole: 'reporters' });
  expect(feedback[0].text).toContain('已清理排水口，排水畅通');
  expect(feedback[0].parts).toBe(feedback[0].text.length <= 70 ? 1 : Math.ceil(feedback[0].text.length / 67));
  const code = /评价码(\d{6})/.exec(feedback[0].text)![1];
  const wrongCode = await stack.call('POST', `/events/${id}/rating`, { body: { code: code === '000000' ? '000001' : '000000', score: 5 } });
  expect(wrongCode.status).toBe(404);
  const rated = await stack.call('POST', `/events/${id}/rating`, { body: { code, score: 5, note: '很及时' } });
  expect(rated.status).toBe(200);
  expect(rated.body.rating).toMatchObject({ score: 5, by: 'reporter' });

  const archived = await eventually(async () => {
    const { body } = await stack.call('GET', `/events/${id}`, { token: worker });
    return body.stage === 'archived' ? body : undefined;
  }, 'the case to be archived');
  expect(archived.status).toBe('closed');
  expect(archived.timeline.map((entry: { type: string }) => entry.type)).toEqual([
    'registered',
    'routed',
    'completed',
    'fed_back',
    'rated',
    'archived',
  ]);
  expect(archived.timeline.map((entry: { stage: string }) => entry.stage)).toEqual([
    'registered',
    'routed',
    'feedback',
    'feedback',
    'feedback',
    'archived',
  ]);
  const completion = archived.timeline[2];
  expect(completion).toMatchObject({
    actor: { id: 'gw-ouyang-lingqiao', role: 'grid_worker' },
    note: '已清理排水口，排水畅通',
    photos: ['https://photos.example.cn/drain-after.jpg'],
  });
  expect(archived.ratingCode).toBeUndefined();

  // Counters for every unit above the grid, per day, per item.
  const day = routed.createdAt.slice(0, 10);
  for (const unit of [JINYUAN_GRID_1, JINYUAN, XIAOJINKOU, HUICHENG]) {
    const [counters] = await stack.platform.deps.counters.read({ kind: 'unit', code: unit }, day, day);
    expect(counters.counts).toMatchObject({
      reported: 1,
      routed: 1,
      handled: 1,
      handledOnTime: 1,
      fedBack: 1,
      rated: 1,
      ratingTotal: 5,
      closed: 1,
      closedOnTime: 1,
      'reported@01': 1,
      'reported@01-01': 1,
    });
    expect(counters.counts.overdue).toBeUndefined();
  }

  // What AWS would bill: the states this lifecycle entered.
  await stack.platform.workflow.engine.result(id);
  expect(stack.platform.workflow.engine.transitions(id)).toBeLessThanOrEqual(12);
});

test('only the handler completes; others in scope are refused and others out of scope see nothing', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { body: event } = await stack.call('POST', '/events', { token: worker, body: { ...report, description: '另一处排水口堵塞' } });
  await eventually(
    async () => ((await stack.call('GET', `/events/${event.id}`, { token: worker })).body.stage === 'routed' ? true : undefined),
    'routing',
  );

  const station = stack.token('community_station', JINYUAN);
  const seen = await stack.call('GET', `/events/${event.id}`, { token: station });
  expect(seen.status).toBe(200);
  expect(seen.body.reporter.phone).toBe('130****9999');
  const refused = await stack.call('POST', `/events/${event.id}/actions`, {
    token: station,
    body: { action: 'complete', note: '代为办结' },
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toContain('欧阳玲巧');

  const neighbour = stack.token('grid_worker', '441302010001002');
  expect((await stack.call('GET', `/events/${event.id}`, { token: neighbour })).status).toBe(404);
  expect(
    (await stack.call('POST', `/events/${event.id}/actions`, { token: neighbour, body: { action: 'complete', note: 'x' } })).status,
  ).toBe(404);

  // Nothing of that changed the case.
  const after = await stack.call('GET', `/events/${event.id}`, { token: worker });
  expect(after.body.stage).toBe('routed');
  expect(after.body.reporter.phone).toBe('13000009999');
});
