/**
 * Conflicts are not 500s (issue 12, item 2): 32 comments and a few real actions posted at once on one case,
 * through HTTP on the local stack (DynamoDB Local). A comment is its own timeline item and does not touch the
 * case, so every comment is stored once and none conflicts; a real action is applied, or answered 409 saying
 * what happened — never a 5xx.
 */
import { act, at, fetchEvent, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 1, clockStart: at('2026-11-23 09:00') });
});
afterAll(() => stack?.stop());

const report = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '金英街排水口堵塞，多人关注',
  severity: 4,
  location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
  source: 'grid_worker',
};

test('32 concurrent comments and concurrent actions on one case: no 5xx, every comment on the timeline once', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const station = stack.token('community_station', JINYUAN);
  const street = stack.token('town_center', XIAOJINKOU);
  const district = stack.token('district_center', HUICHENG);
  const supervisor = stack.token('supervisor', HUICHENG);
  const created = await stack.call('POST', '/events', { token: worker, body: report });
  expect(created.status).toBe(201);
  const id: string = created.body.id;

  const commenters = [worker, station, street, district];
  const comments = Array.from({ length: 32 }, (_, index) => ({ token: commenters[index % commenters.length], note: `评论 ${index + 1}` }));
  const actions = [
    { token: worker, body: { action: 'acknowledge' } },
    { token: supervisor, body: { action: 'nudge', note: '请加快办理 1' } },
    { token: supervisor, body: { action: 'nudge', note: '请加快办理 2' } },
    { token: district, body: { action: 'nudge', note: '请加快办理 3' } },
  ];
  const [commentReplies, actionReplies] = await Promise.all([
    Promise.all(comments.map(({ token, note }) => act(stack, id, token, { action: 'comment', note }))),
    Promise.all(actions.map(({ token, body }) => act(stack, id, token, body))),
  ]);

  const statuses = [...commentReplies, ...actionReplies].map((reply) => reply.status);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  expect(commentReplies.map((reply) => reply.status)).toEqual(comments.map(() => 200));
  for (const reply of actionReplies) {
    if (reply.status === 409)
      expect(reply.body.error.message).toMatch(/changed \d+ times while this action was tried; read it again and retry/);
    else expect(reply.status).toBe(200);
  }

  const { timeline } = await fetchEvent(stack, id, worker);
  const notes = timeline.filter((entry: any) => entry.type === 'commented').map((entry: any) => entry.note);
  expect([...notes].sort()).toEqual(comments.map((comment) => comment.note).sort());
  const applied = actions.filter((_, index) => actionReplies[index].status === 200);
  const nudges = timeline.filter((entry: any) => entry.type === 'nudged').map((entry: any) => entry.note);
  expect(nudges.sort()).toEqual(applied.flatMap(({ body }) => (body.action === 'nudge' ? [body.note] : [])).sort());
  expect(timeline.filter((entry: any) => entry.type === 'acknowledged')).toHaveLength(actionReplies[0].status === 200 ? 1 : 0);
});
