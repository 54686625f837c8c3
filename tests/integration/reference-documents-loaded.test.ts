/**
 * The cloud composition loads every reference document from the table (issue 14): on the local stack each function
 * is the cloud composition (shared/composition/cloud-dependencies.ts) against DynamoDB Local. A version whose units,
 * departments, people, catalog, working hours and calendar all differ from the sample is applied through the API;
 * a report into its new grid goes to its new person with its item's limit, counted on its working hours and
 * holiday, and a street-level report of its item goes to its new department's street team. A version applied after
 * is in effect within a minute of the clock (driven here), not before.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { sampleCalendar } from '../../dev-server/seed-reference';
import { BusinessCalendar, toLocalIso } from '../../shared/domain/calendar';
import { at, HUICHENG, JINYUAN, smsWhen, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const clock = new DrivenClock(at('2026-11-23 09:00'));
let stack: Stack;
let admin: string;
beforeAll(async () => {
  stack = await startStack({ clock });
  admin = stack.token('admin', HUICHENG);
});
afterAll(() => stack?.stop());

const NEW_GRID = '441302010001010';
const NEW_WORKER = { id: 'gw-tenth-grid', name: '第十网格员', role: 'grid_worker', unit: NEW_GRID, phone: '13000101010' };
const DRAINAGE = { code: 'drainage-company', name: '区排水有限公司', nameEn: 'District Drainage Company' };
const DRAINAGE_STREET_CLERK = {
  id: 'ds-drainage-441302010',
  name: '小金口街道排水所办件员',
  role: 'department',
  unit: XIAOJINKOU,
  department: DRAINAGE.code,
  phone: '13000101012',
};
const NEW_ITEM = {
  code: '01-90',
  name: '窨井盖缺失',
  nameEn: 'Manhole cover missing',
  department: DRAINAGE.code,
  severity: 4,
  handlingLimit: { workingHours: 10 },
  closedWhen: 'Cover replaced; photo',
};
const WORKING_HOURS = {
  timezone: 'Asia/Shanghai',
  workingHours: [
    { from: '08:00', to: '12:00' },
    { from: '13:00', to: '17:00' },
  ],
};
/** A holiday the sample does not have: the Tuesday after the reports. */
const EXTRA_HOLIDAY = { name: '区庆日 District day', from: '2026-11-24', to: '2026-11-24' };

async function documentOf(name: string): Promise<any> {
  const { body: current } = await stack.call('GET', '/admin/reference', { token: admin });
  const { status, body } = await stack.call('GET', `/admin/reference/versions/${current.version}/documents/${name}`, { token: admin });
  expect(status).toBe(200);
  return body;
}

async function apply(expectedVersion: number, note: string, documents: Record<string, unknown>) {
  const applied = await stack.call('POST', '/admin/reference/apply', { token: admin, body: { expectedVersion, note, documents } });
  if (applied.status !== 201) throw new Error(`apply answered ${applied.status}: ${JSON.stringify(applied.body)}`);
  return applied.body;
}

async function report(token: string, severity: number) {
  const created = await stack.call('POST', '/events', {
    token,
    body: { itemCode: NEW_ITEM.code, gridCode: NEW_GRID, description: '窨井盖丢失，有人踩空', severity, source: 'grid_worker' },
  });
  expect(created.status).toBe(201);
  return created.body;
}

test('every document of the version in effect is read from the table: units, departments, people, catalog, hours, calendar', async () => {
  const units = await documentOf('units');
  units.children[7].children[0].children.push({ code: NEW_GRID, name: '金源第十网格', nameEn: 'Jinyuan grid 10', level: 'grid' });
  const departments = [...(await documentOf('departments')), DRAINAGE];
  const people = [
    ...(await documentOf('people')),
    NEW_WORKER,
    {
      id: 'ds-drainage-441302',
      name: '区排水公司办件员',
      role: 'department',
      unit: HUICHENG,
      department: DRAINAGE.code,
      phone: '13000101011',
    },
    DRAINAGE_STREET_CLERK,
  ];
  const catalog = await documentOf('catalog');
  catalog.classes[0].items.push(NEW_ITEM);
  const calendar2026 = await documentOf('calendar-2026');
  calendar2026.holidays.push(EXTRA_HOLIDAY);
  const documents = { units, departments, people, catalog, 'working-hours': WORKING_HOURS, 'calendar-2026': calendar2026 };
  const applied = await apply(1, 'a district of its own', documents);
  expect(applied.changes).toMatchObject({
    units: { added: [{ code: NEW_GRID }] },
    departments: { added: [{ code: DRAINAGE.code }] },
    people: { added: expect.arrayContaining([{ id: NEW_WORKER.id, name: NEW_WORKER.name }]) },
    catalog: { added: [{ code: NEW_ITEM.code, name: NEW_ITEM.name }] },
    calendars: { changed: [2026] },
    workingHours: true,
  });

  // A function that loaded version 1 keeps it until a minute has passed.
  const worker = stack.token('grid_worker', NEW_GRID, { person: NEW_WORKER.id, name: NEW_WORKER.name, phone: NEW_WORKER.phone });
  const early = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: NEW_ITEM.code, gridCode: NEW_GRID, description: '窨井盖丢失', severity: 4, source: 'grid_worker' },
  });
  expect(early.status).toBe(422);
  await clock.advance(61_000);

  // Into the new grid: its new worker, the new item's 10 working hours on the new hours, over the new holiday.
  const small = await report(worker, 4);
  expect(small).toMatchObject({ tier: 'grid', assignee: { type: 'person', id: NEW_WORKER.id, name: NEW_WORKER.name, unit: NEW_GRID } });
  const routedAt = new Date(small.routedAt);
  const calendar = new BusinessCalendar({
    ...WORKING_HOURS,
    holidays: calendar2026.holidays,
    makeUpWorkdays: calendar2026.makeUpWorkdays,
  });
  expect(small.deadlineAt).toBe(toLocalIso(calendar.add(routedAt, NEW_ITEM.handlingLimit)));
  // Monday 09:01:01 + 10 working hours: 6:58:59 of them on Monday (to 17:00), Tuesday a holiday, Wednesday 08:00 + 3:01:01.
  expect(small.deadlineAt).toMatch(/^2026-11-25T11:01:01/);
  expect(toLocalIso(sampleCalendar().add(routedAt, NEW_ITEM.handlingLimit))).not.toBe(small.deadlineAt);
  const [assigned] = await smsWhen(stack, small.id, 'case_assigned');
  expect(assigned.to).toBe(NEW_WORKER.phone);

  // A street-level report of the item goes to the new department's street team.
  const serious = await report(worker, 2);
  expect(serious).toMatchObject({ tier: 'town', assignee: { type: 'department', id: DRAINAGE.code, unit: XIAOJINKOU } });
  const [toTeam] = await smsWhen(stack, serious.id, 'case_assigned');
  expect(toTeam.to).toBe(DRAINAGE_STREET_CLERK.phone);

  // GET /catalog and GET /units read it too.
  const { body: listed } = await stack.call('GET', '/catalog');
  expect(listed.classes[0].items).toContainEqual(expect.objectContaining({ code: NEW_ITEM.code, handlingLimit: { workingHours: 10 } }));
  const { body: grids } = await stack.call('GET', `/units?parent=${JINYUAN}`);
  expect(grids.items.map((unit: { code: string }) => unit.code)).toContain(NEW_GRID);
});

test('a version applied after is in effect within a minute of the clock, not before', async () => {
  const { body: current } = await stack.call('GET', '/admin/reference', { token: admin });
  const catalog = await documentOf('catalog');
  const item = catalog.classes[0].items.find((each: { code: string }) => each.code === NEW_ITEM.code);
  item.handlingLimit = { workingHours: 2 };
  const people = (await documentOf('people')).map((person: { id: string }) =>
    person.id === NEW_WORKER.id ? { ...person, id: 'gw-tenth-grid-2', name: '新第十网格员', phone: '13000101020' } : person,
  );
  await apply(current.version, 'a shorter limit, another worker', { catalog, people });
  const worker = stack.token('grid_worker', NEW_GRID, { person: NEW_WORKER.id, name: NEW_WORKER.name });

  // The functions checked the pointer less than a minute ago: the version before is still in effect.
  const before = await report(worker, 4);
  expect(before).toMatchObject({ assignee: { id: NEW_WORKER.id } });
  await clock.advance(30_000);
  expect((await report(worker, 4)).assignee.id).toBe(NEW_WORKER.id);

  await clock.advance(31_000);
  const after = await report(worker, 4);
  expect(after.assignee).toMatchObject({ id: 'gw-tenth-grid-2', name: '新第十网格员' });
  const calendar = new BusinessCalendar({
    ...WORKING_HOURS,
    holidays: (await documentOf('calendar-2026')).holidays,
    makeUpWorkdays: [],
  });
  expect(after.deadlineAt).toBe(toLocalIso(calendar.add(new Date(after.routedAt), { workingHours: 2 })));
});
