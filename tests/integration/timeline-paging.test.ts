/**
 * Bounded growth of a busy case (issue 12, item 7): GET /events/{id} returns the latest 100 timeline entries
 * and a cursor to the older ones (GET /events/{id}?cursor=…), and one person may post at most 30 comments on
 * one case per hour (then 429). Through HTTP on the local stack (DynamoDB Local).
 */
import { act, at, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 1, clockStart: at('2026-11-23 09:00') });
});
afterAll(() => stack?.stop());

const report = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '金英街排水口堵塞，评论很多',
  severity: 4,
  location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
  source: 'grid_worker',
};

/** Runs the calls `width` at a time, in order of starting; the replies in the calls' order. */
async function inBatches<T>(calls: (() => Promise<T>)[], width = 8): Promise<T[]> {
  const replies: T[] = [];
  for (let start = 0; start < calls.length; start += width)
    replies.push(...(await Promise.all(calls.slice(start, start + width).map((call) => call()))));
  return replies;
}

test('a case with 100+ entries: the latest 100 and a cursor, the older ones behind it, each entry once; 30 comments per person per case per hour', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const others = [
    stack.token('community_station', JINYUAN),
    stack.token('town_center', XIAOJINKOU),
    stack.token('district_center', HUICHENG),
  ];
  const created = await stack.call('POST', '/events', { token: worker, body: report });
  expect(created.status).toBe(201);
  const id: string = created.body.id;

  // The worker posts 30 comments: all stored; the 31st within the hour is refused.
  const own = await inBatches(
    Array.from({ length: 30 }, (_, index) => () => act(stack, id, worker, { action: 'comment', note: `巡查记录 ${index + 1}` })),
  );
  expect(own.map((reply) => reply.status)).toEqual(own.map(() => 200));
  const refused = await act(stack, id, worker, { action: 'comment', note: '巡查记录 31' });
  expect(refused.status).toBe(429);
  expect(refused.body.error.message).toMatch(/at most 30 comments per person on one case per hour/);
  // Others still may; and the worker may still act on the case.
  const theirs = await inBatches(
    Array.from({ length: 75 }, (_, index) => () => act(stack, id, others[index % 3], { action: 'comment', note: `关注 ${index + 1}` })),
  );
  expect(theirs.map((reply) => reply.status)).toEqual(theirs.map(() => 200));
  expect((await act(stack, id, worker, { action: 'acknowledge' })).status).toBe(200);

  const latest = await stack.call('GET', `/events/${id}`, { token: worker });
  expect(latest.status).toBe(200);
  expect(latest.body.timeline).toHaveLength(100);
  expect(latest.body.timeline.at(-1).type).toBe('acknowledged');
  expect(typeof latest.body.timelineCursor).toBe('string');
  const older = await stack.call('GET', `/events/${id}?cursor=${encodeURIComponent(latest.body.timelineCursor)}`, { token: worker });
  expect(older.status).toBe(200);
  expect(older.body.timelineCursor).toBeUndefined();
  const timeline = [...older.body.timeline, ...latest.body.timeline];
  expect(timeline[0].type).toBe('registered');
  const notes = timeline.filter((entry: any) => entry.type === 'commented').map((entry: any) => entry.note);
  expect(notes).toHaveLength(105);
  expect(new Set(notes).size).toBe(105);

  // Smaller pages follow each other back to the first entry, each entry once.
  const paged: any[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const query = `?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await stack.call('GET', `/events/${id}${query}`, { token: worker });
    expect(page.status).toBe(200);
    expect(page.body.timeline.length).toBeLessThanOrEqual(10);
    paged.unshift(...page.body.timeline);
    cursor = page.body.timelineCursor;
    if (!cursor) break;
  }
  expect(paged).toEqual(timeline);

  // Bad input names its field.
  const badCursor = await stack.call('GET', `/events/${id}?cursor=garbage`, { token: worker });
  expect(badCursor.status).toBe(400);
  expect(badCursor.body.error.fields).toEqual([{ field: 'cursor', message: 'invalid' }]);
  const badLimit = await stack.call('GET', `/events/${id}?limit=101`, { token: worker });
  expect(badLimit.status).toBe(400);
  expect(badLimit.body.error.fields[0].field).toBe('limit');
});
