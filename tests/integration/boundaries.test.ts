/**
 * GET /boundaries through the local platform: the outlines of the caller's units for the map — a district sees its
 * towns and every grid, a grid worker their grid, a street nothing of another street; a caller must be signed in;
 * the public GET /units carries names only.
 */
import { HUICHENG, JINYUAN, JINYUAN_GRID_1, type Stack, startStack, XIAOJINKOU } from '../support/local-stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const codesOf = (reply: { body: { features: { properties: { code: string; level: string } }[] } }, level?: string) =>
  reply.body.features.filter((feature) => !level || feature.properties.level === level).map((feature) => feature.properties.code);

test("the district center gets every outline of the district: its towns, Jinyuan and Jinyuan's nine grids", async () => {
  const reply = await stack.call('GET', '/boundaries', { token: stack.token('district_center', HUICHENG) });
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ type: 'FeatureCollection', unit: HUICHENG });
  expect(codesOf(reply, 'town')).toHaveLength(13);
  expect(codesOf(reply, 'grid')).toEqual(Array.from({ length: 9 }, (_, i) => `${JINYUAN}00${i + 1}`));
  const grid1 = reply.body.features.find((feature: { properties: { code: string } }) => feature.properties.code === JINYUAN_GRID_1);
  expect(grid1).toEqual({
    type: 'Feature',
    properties: { code: JINYUAN_GRID_1, name: '金源社区第1网格', level: 'grid', parent: JINYUAN },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [114.405, 23.125],
          [114.4185, 23.125],
          [114.4185, 23.1327],
          [114.405, 23.1327],
          [114.405, 23.125],
        ],
      ],
    },
  });
});

test('a grid worker gets their grid; a street center its street; another unit is refused; without a token 401', async () => {
  const worker = await stack.call('GET', '/boundaries', { token: stack.token('grid_worker', JINYUAN_GRID_1) });
  expect(codesOf(worker)).toEqual([JINYUAN_GRID_1]);
  const street = stack.token('town_center', XIAOJINKOU);
  const own = await stack.call('GET', `/boundaries?unit=${JINYUAN}`, { token: street });
  expect(codesOf(own)).toEqual([JINYUAN, ...Array.from({ length: 9 }, (_, i) => `${JINYUAN}00${i + 1}`)]);
  const other = await stack.call('GET', '/boundaries?unit=441302001', { token: street });
  expect(other.status).toBe(403);
  const bad = await stack.call('GET', '/boundaries?unit=44130', { token: street });
  expect([bad.status, bad.body.error.fields[0].field]).toEqual([400, 'unit']);
  expect((await stack.call('GET', '/boundaries')).status).toBe(401);
});

test('the public GET /units names the units and carries no boundary', async () => {
  const { body } = await stack.call('GET', `/units?under=${HUICHENG}`);
  expect(body.items.length).toBeGreaterThan(20);
  expect(body.items.some((unit: object) => 'boundary' in unit)).toBe(false);
});
