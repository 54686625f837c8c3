/**
 * A case records the reference version it was routed under (issue 14): the routed entry of its timeline names it,
 * so a routing made under an older roster or catalog can be told from one made under today's.
 */
import { eventually, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

test('the routed entry of a case names the reference version in effect', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, description: '排水口堵塞' },
  });
  expect(created.status).toBe(201);
  const routed = await eventually(async () => {
    const { body } = await stack.call('GET', `/events/${created.body.id}`, { token: worker });
    return (body.timeline as { type: string; data?: Record<string, unknown> }[]).find((entry) => entry.type === 'routed');
  }, 'routing');
  expect(routed.data?.referenceVersion).toBe(1);
});
