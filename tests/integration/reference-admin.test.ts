/**
 * The reference administration (issue 14) through HTTP on the local stack: read the version in effect and its
 * documents, validate a proposal (its diff), each refusal naming its field with nothing applied, apply with the
 * expected version (409 when another came first), the audit, roll back, and a new version in effect for the other
 * functions within a minute (the driven clock). Who may: admin changes, district_center reads, no one else.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { SEED_AUTHOR } from '../../dev-server/seed-reference';
import { at, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const clock = new DrivenClock(at('2026-11-23 09:00'));
let stack: Stack;
let admin: string;
beforeAll(async () => {
  stack = await startStack({ clock });
  admin = stack.token('admin', HUICHENG);
});
afterAll(() => stack?.stop());

/** Who a token is, as the audit names them: the person id claim, else the subject. */
function identityOf(token: string): string {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
  return claims['custom:person'] ?? claims.sub;
}

async function current() {
  const { status, body } = await stack.call('GET', '/admin/reference', { token: admin });
  expect(status).toBe(200);
  return body;
}

async function documentOf(version: number, name: string): Promise<any> {
  const { status, body } = await stack.call('GET', `/admin/reference/versions/${version}/documents/${name}`, { token: admin });
  expect(status).toBe(200);
  return body;
}

/** A copy to change. */
const copy = <T>(value: T): T => structuredClone(value);

/** Jinyuan community's node in the sample tree, and its path. */
const JINYUAN_PATH = 'units.children[7].children[0]';
const jinyuanOf = (units: any) => units.children[7].children[0];

/** A square of `side` degrees with its south-west corner at (lng, lat), closed. */
const square = (lng: number, lat: number, side = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + side, lat],
      [lng + side, lat + side],
      [lng, lat + side],
      [lng, lat],
    ],
  ],
});

/** Applies `documents` (removing `remove`), expects a 422 naming `field`, and that nothing was applied. */
async function refused(documents: Record<string, unknown>, field: string, message?: RegExp, remove?: string[]) {
  const before = await current();
  const reply = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: { expectedVersion: before.version, note: 'a proposal to refuse', documents, ...(remove && { remove }) },
  });
  expect(reply.status).toBe(422);
  expect(reply.body.error.code).toBe('unprocessable');
  const named = reply.body.error.fields.filter((problem: { field: string }) => problem.field === field);
  expect(named).not.toHaveLength(0);
  if (message) expect(named.map((problem: { message: string }) => problem.message).join(' ')).toMatch(message);
  // Validation refuses it the same way; nothing changed.
  const validated = await stack.call('POST', '/admin/reference/validate', { token: admin, body: { documents, ...(remove && { remove }) } });
  expect(validated.status).toBe(422);
  expect(validated.body.error.fields).toEqual(reply.body.error.fields);
  expect((await current()).version).toBe(before.version);
}

test('the version in effect: its audit and its documents, each to be fetched', async () => {
  const version = await current();
  expect(version).toMatchObject({ version: 1, appliedBy: SEED_AUTHOR });
  const names = version.documents.map((document: { name: string }) => document.name);
  expect(names).toEqual(expect.arrayContaining(['units', 'departments', 'people', 'catalog', 'working-hours', 'calendar-2026']));
  for (const document of version.documents) expect(document.bytes).toBeGreaterThan(0);
  const people = version.documents.find((document: { name: string }) => document.name === 'people');
  const { status, body } = await stack.call('GET', people.href, { token: admin });
  expect(status).toBe(200);
  expect(body).toContainEqual(expect.objectContaining({ id: 'gw-ouyang-lingqiao', unit: JINYUAN_GRID_1 }));
  expect((await stack.call('GET', '/admin/reference/versions/1/documents/calendar-1999', { token: admin })).status).toBe(404);
  expect((await stack.call('GET', '/admin/reference/versions/99/documents/people', { token: admin })).status).toBe(404);
});

test('the district center reads but does not change; other roles neither', async () => {
  const center = stack.token('district_center', HUICHENG);
  expect((await stack.call('GET', '/admin/reference', { token: center })).status).toBe(200);
  expect((await stack.call('GET', '/admin/reference/versions', { token: center })).status).toBe(200);
  expect((await stack.call('GET', '/admin/reference/versions/1/documents/units', { token: center })).status).toBe(200);
  const people = await documentOf(1, 'people');
  for (const [method, path, body] of [
    ['POST', '/admin/reference/validate', { documents: { people } }],
    ['POST', '/admin/reference/apply', { expectedVersion: 1, note: 'n', documents: { people } }],
    ['POST', '/admin/reference/rollback', { to: 1, expectedVersion: 1 }],
  ] as const) {
    expect((await stack.call(method, path, { token: center, body })).status).toBe(403);
  }
  for (const token of [
    stack.token('grid_worker', JINYUAN_GRID_1),
    stack.token('community_station', JINYUAN),
    stack.token('town_center', XIAOJINKOU),
    stack.token('leader', HUICHENG),
    stack.token('department', HUICHENG, { department: 'urban-management' }),
  ]) {
    expect((await stack.call('GET', '/admin/reference', { token })).status).toBe(403);
    expect((await stack.call('GET', '/admin/reference/versions', { token })).status).toBe(403);
    expect((await stack.call('POST', '/admin/reference/validate', { token, body: { documents: { people } } })).status).toBe(403);
  }
  expect((await current()).version).toBe(1);
});

describe('a proposal is refused whole, each problem named, nothing applied', () => {
  test('a role that does not exist', async () => {
    const people = copy(await documentOf(1, 'people'));
    people[12].role = 'mayor';
    await refused({ people }, 'people[12].role', /mayor/);
  });

  test('a phone that is not a mainland mobile number', async () => {
    const people = copy(await documentOf(1, 'people'));
    people[3].phone = '0752-2812345';
    await refused({ people }, 'people[3].phone', /mobile/);
    people[3].phone = '1300000100';
    await refused({ people }, 'people[3].phone');
  });

  test("a unit whose parent is missing, or whose code does not extend its parent's", async () => {
    const units = copy(await documentOf(1, 'units'));
    const people = copy(await documentOf(1, 'people'));
    // A grid straight below the street: its community 441302010002 is not there.
    units.children[7].children.push({ code: '441302010002001', name: '无社区网格', nameEn: 'Orphan grid', level: 'grid' });
    people.push({ id: 'gw-orphan', name: '孤网格员', role: 'grid_worker', unit: '441302010002001', phone: '13000007001' });
    await refused({ units, people }, `units.children[7].children[${units.children[7].children.length - 1}].code`, /441302010002/);
    // A grid of Jinyuan whose code is another street's.
    const units2 = copy(await documentOf(1, 'units'));
    jinyuanOf(units2).children.push({ code: '441302009001010', name: '错码网格', nameEn: 'Miscoded grid', level: 'grid' });
    const last = jinyuanOf(units2).children.length - 1;
    await refused({ units: units2 }, `${JINYUAN_PATH}.children[${last}].code`, /does not extend/);
  });

  test('a boundary that is not a closed ring, or that overlaps a sibling; a shared edge is fine', async () => {
    const units = copy(await documentOf(1, 'units'));
    const grids = jinyuanOf(units).children;
    grids[0].boundary = square(114.41, 23.13);
    grids[1].boundary = square(114.411, 23.13); // shares grid 0's east edge
    expect((await stack.call('POST', '/admin/reference/validate', { token: admin, body: { documents: { units } } })).status).toBe(200);
    const open = copy(units);
    jinyuanOf(open).children[2].boundary = square(114.412, 23.13);
    jinyuanOf(open).children[2].boundary.coordinates[0].pop();
    await refused({ units: open }, `${JINYUAN_PATH}.children[2].boundary.coordinates[0]`, /closed/);
    const overlapping = copy(units);
    jinyuanOf(overlapping).children[2].boundary = square(114.4105, 23.1305); // a quarter of grid 0, a quarter of grid 1
    await refused({ units: overlapping }, `${JINYUAN_PATH}.children[2].boundary`, /441302010001001/);
  });

  test('a catalog item whose department has no team where the item routes', async () => {
    const departments = copy(await documentOf(1, 'departments'));
    const catalog = copy(await documentOf(1, 'catalog'));
    departments.push({ code: 'tourism', name: '区文广旅体局', nameEn: 'Culture and Tourism Bureau' });
    catalog.classes[0].items[2].department = 'tourism';
    await refused({ departments, catalog }, 'catalog.classes[0].items[2].department', /no team/);
  });

  test('a person of a unit that does not exist; a grid without a worker', async () => {
    const people = copy(await documentOf(1, 'people'));
    people[5].unit = '441302010009';
    await refused({ people }, 'people[5].unit', /441302010009/);
    const withoutWorker = copy(await documentOf(1, 'people')).filter((person: any) => person.id !== 'gw-441302010001003');
    await refused({ people: withoutWorker }, `${JINYUAN_PATH}.children[2].code`, /no grid worker/);
  });

  test('a unit with open cases would be removed', async () => {
    const worker = stack.token('grid_worker', '441302010001009');
    const reported = await stack.call('POST', '/events', {
      token: worker,
      body: {
        itemCode: '01-02',
        gridCode: '441302010001009',
        description: '垃圾堆积',
        severity: 4,
        reporter: { name: '居民', phone: '13000009998' },
        source: 'grid_worker',
      },
    });
    expect(reported.status).toBe(201);
    await clock.settled();
    const units = copy(await documentOf(1, 'units'));
    jinyuanOf(units).children.pop();
    const people = copy(await documentOf(1, 'people')).filter((person: any) => person.unit !== '441302010001009');
    await refused({ units, people }, `${JINYUAN_PATH}.children`, /441302010001009.*1 open case/);
  });
});

test('validate shows the diff; apply needs the version in effect (409), is audited, and is in effect everywhere within a minute; roll back', async () => {
  const before = await current();
  const units = copy(await documentOf(before.version, 'units'));
  const people = copy(await documentOf(before.version, 'people'));
  const catalog = copy(await documentOf(before.version, 'catalog'));
  jinyuanOf(units).children.push({
    code: '441302010001010',
    name: '金源第十网格',
    nameEn: 'Jinyuan grid 10',
    level: 'grid',
    // East of Jinyuan's nine grids, which tile the community: a sibling's ground would be refused.
    boundary: square(114.436, 23.14),
  });
  people.push({ id: 'gw-441302010001010', name: '新网格员', role: 'grid_worker', unit: '441302010001010', phone: '+8613000001010' });
  const removed = people.splice(20, 1)[0];
  people[1].phone = '13000002002';
  catalog.classes[0].items[0].name = '排水口堵塞';
  const calendar2027 = { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], makeUpWorkdays: [] };
  const documents = { units, people, catalog, 'calendar-2027': calendar2027 };

  const validated = await stack.call('POST', '/admin/reference/validate', { token: admin, body: { documents } });
  expect(validated.status).toBe(200);
  expect(validated.body).toMatchObject({ basedOn: before.version, valid: true });
  const changes = validated.body.changes;
  expect(changes.units.added).toEqual([{ code: '441302010001010', name: '金源第十网格', parent: JINYUAN }]);
  expect(changes.units.removed).toEqual([]);
  expect(changes.people.added).toEqual([{ id: 'gw-441302010001010', name: '新网格员' }]);
  expect(changes.people.removed).toEqual([{ id: removed.id, name: removed.name }]);
  expect(changes.people.changed).toEqual([{ id: people[1].id, fields: ['phone'] }]);
  expect(changes.catalog.changed).toEqual([{ id: catalog.classes[0].items[0].code, fields: ['name'] }]);
  expect(changes.calendars).toEqual({ added: [2027], changed: [], removed: [] });
  expect((await current()).version).toBe(before.version);

  // The units function holds the version it loaded: the new grid is not there yet.
  const unitsBefore = await stack.call('GET', `/units?parent=${JINYUAN}`);
  expect(unitsBefore.body.items.map((unit: { code: string }) => unit.code)).not.toContain('441302010001010');

  const applied = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: { expectedVersion: before.version, note: 'Jinyuan gets a tenth grid', documents },
  });
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({ version: before.version + 1, appliedBy: identityOf(admin), note: 'Jinyuan gets a tenth grid' });
  expect(applied.body.changes).toEqual(changes);

  // Another proposal made against the version before is refused.
  const late = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: { expectedVersion: before.version, note: 'late', documents: { people } },
  });
  expect(late.status).toBe(409);
  expect(late.body.error.fields).toEqual([{ field: 'expectedVersion', message: `the version in effect is ${before.version + 1}` }]);

  // Within a minute of wall time (the driven clock's), the other functions read the new version.
  await clock.advance(61_000);
  const unitsAfter = await stack.call('GET', `/units?parent=${JINYUAN}`);
  expect(unitsAfter.body.items.find((unit: { code: string }) => unit.code === '441302010001010')).toMatchObject({ name: '金源第十网格' });
  const outlines = await stack.call('GET', `/boundaries?unit=441302010001010`, { token: stack.token('district_center', HUICHENG) });
  // The map's outline: the square to 6 decimals (GET /boundaries).
  const rounded = square(114.436, 23.14).coordinates.map((ring) => ring.map((position) => position.map((n) => Number(n.toFixed(6)))));
  expect(outlines.body.features).toEqual([expect.objectContaining({ geometry: { type: 'Polygon', coordinates: rounded } })]);

  const listed = await stack.call('GET', '/admin/reference/versions', { token: admin });
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((version: { version: number }) => version.version)).toEqual([before.version + 1, before.version]);
  expect(listed.body.items[0]).toMatchObject({ appliedBy: identityOf(admin), note: 'Jinyuan gets a tenth grid', changes });

  // Roll back: a new version with version 1's documents, saying so.
  const rolledBack = await stack.call('POST', '/admin/reference/rollback', {
    token: admin,
    body: { to: before.version, expectedVersion: before.version + 1, note: 'the tenth grid is not approved yet' },
  });
  expect(rolledBack.status).toBe(201);
  expect(rolledBack.body).toMatchObject({
    version: before.version + 2,
    appliedBy: identityOf(admin),
    note: `rolled back to version ${before.version}: the tenth grid is not approved yet`,
  });
  expect(rolledBack.body.changes.units.removed).toEqual([{ code: '441302010001010', name: '金源第十网格' }]);
  expect(rolledBack.body.changes.calendars).toEqual({ added: [], changed: [], removed: [2027] });
  const hashes = (version: { documents: { name: string; sha256: string }[] }) =>
    Object.fromEntries(version.documents.map((document) => [document.name, document.sha256]));
  expect(hashes(rolledBack.body)).toEqual(hashes(before));
  expect((await current()).version).toBe(before.version + 2);
  await clock.advance(61_000);
  const unitsRolledBack = await stack.call('GET', `/units?parent=${JINYUAN}`);
  expect(unitsRolledBack.body.items.map((unit: { code: string }) => unit.code)).not.toContain('441302010001010');
});

test("a proposal may be larger than other routes' bodies (a district's boundaries), up to 5 MiB", async () => {
  const units = copy(await documentOf(1, 'units'));
  // Nine grids, each a 1,000-vertex ring: about 300 KB of boundaries.
  const ring = (lng: number, lat: number) => {
    const points = Array.from({ length: 1000 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 1000;
      return [Number((lng + 0.0004 * Math.cos(angle)).toFixed(7)), Number((lat + 0.0004 * Math.sin(angle)).toFixed(7))];
    });
    return { type: 'Polygon', coordinates: [[...points, points[0]]] };
  };
  jinyuanOf(units).children.forEach((grid: any, i: number) => {
    grid.boundary = ring(114.41 + 0.001 * i, 23.13);
  });
  const body = { documents: { units } };
  expect(JSON.stringify(body).length).toBeGreaterThan(200 * 1024);
  const validated = await stack.call('POST', '/admin/reference/validate', { token: admin, body });
  expect(validated.status).toBe(200);
  expect(validated.body.changes.units.changed).toHaveLength(9);
  const tooLarge = await stack.call('POST', '/admin/reference/validate', {
    token: admin,
    rawBody: JSON.stringify({ documents: { units, padding: 'x'.repeat(5 * 1024 * 1024) } }),
  });
  expect(tooLarge.status).toBe(413);
  // Other routes keep their 64 KiB.
  const report = await stack.call('POST', '/events', {
    token: stack.token('grid_worker', JINYUAN_GRID_1),
    rawBody: JSON.stringify({ description: 'x'.repeat(100 * 1024) }),
  });
  expect(report.status).toBe(413);
});

test('a proposal removes a document by name (a calendar year applied by mistake), the diff saying so; the required five stay', async () => {
  const before = await current();
  const calendar2031 = { year: 2031, holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }], makeUpWorkdays: [] };
  const added = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: { expectedVersion: before.version, note: '2031 by mistake', documents: { 'calendar-2031': calendar2031 } },
  });
  expect(added.status).toBe(201);
  expect(added.body.changes.documents).toEqual({ added: ['calendar-2031'], removed: [] });

  const proposal = { documents: {}, remove: ['calendar-2031'] };
  const validated = await stack.call('POST', '/admin/reference/validate', { token: admin, body: proposal });
  expect(validated.status).toBe(200);
  expect(validated.body.changes).toMatchObject({
    calendars: { added: [], changed: [], removed: [2031] },
    documents: { added: [], removed: ['calendar-2031'] },
    unchanged: false,
  });
  const removed = await stack.call('POST', '/admin/reference/apply', {
    token: admin,
    body: { expectedVersion: added.body.version, note: '2031 is not published yet', ...proposal },
  });
  expect(removed.status).toBe(201);
  expect(removed.body.changes).toEqual(validated.body.changes);
  expect(removed.body.documents.map((document: { name: string }) => document.name)).not.toContain('calendar-2031');
  expect((await current()).documents).toEqual(removed.body.documents);
  expect(
    (await stack.call('GET', `/admin/reference/versions/${removed.body.version}/documents/calendar-2031`, { token: admin })).status,
  ).toBe(404);

  // Each required document, a document the version does not have, one both given and removed: 422 naming the entry.
  for (const name of ['units', 'departments', 'people', 'catalog', 'working-hours'])
    await refused({}, 'remove[1]', new RegExp(`${name} cannot be removed`), ['calendar-2026', name]);
  await refused({}, 'remove[0]', /no document 'calendar-2031'/, ['calendar-2031']);
  await refused({ 'calendar-2026': await documentOf(1, 'calendar-2026') }, 'remove[0]', /both given and removed/, ['calendar-2026']);
  // A name that is no document's is the body's 400.
  const unknown = await stack.call('POST', '/admin/reference/validate', { token: admin, body: { documents: {}, remove: ['roster'] } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.fields).toEqual([expect.objectContaining({ field: 'remove.0' })]);
});
