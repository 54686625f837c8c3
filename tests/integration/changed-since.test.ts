/**
 * The board's "changed since" poll through the real handler (issue 16): GET /events?changedSince=…&unit=… lists the
 * unit's cases changed at or after a moment, open or closed (a closed one leaves the board), the earliest change
 * first, a page at a time; the first page names the next poll's moment. Each caller sees only their units. On the
 * local stack (DynamoDB Local, the lifecycle on the local engine) with a driven clock. And the urgency list's bigger pages.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import type { Caller } from '../../shared/domain/caller';
import { toLocalIso } from '../../shared/domain/calendar';
import { CHANGE_SETTLE_SECONDS, listCases } from '../../shared/core/read-cases';
import { ListEventsQuery } from '../../shared/schemas/events';
import { act, at, HUICHENG, JINYUAN_GRID_1, startStack, type Stack, XIAOJINKOU } from '../support/local-stack';

const GRID_2 = '441302010001002';
const start = at('2026-11-23 09:00');
const clock = new DrivenClock(start);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack?.stop());

async function report(gridCode: string, description: string): Promise<string> {
  const { status, body } = await stack.call('POST', '/events', {
    token: stack.token('grid_worker', gridCode),
    body: { itemCode: '01-01', gridCode, severity: 4, description },
  });
  expect(status).toBe(201);
  return body.id;
}

const changed = (token: string, query: string) => stack.call('GET', `/events?${query}`, { token });

/** Every page of a poll: the ids in order, and the first page's next moment. */
async function poll(token: string, query: string, limit = 100): Promise<{ ids: string[]; statuses: string[]; next: string }> {
  const ids: string[] = [];
  const statuses: string[] = [];
  let next = '';
  let cursor: string | undefined;
  do {
    const reply = await changed(token, `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(reply.status).toBe(200);
    if (cursor) expect(reply.body.nextChangedSince).toBeUndefined();
    else next = reply.body.nextChangedSince;
    ids.push(...reply.body.items.map((event: { id: string }) => event.id));
    statuses.push(...reply.body.items.map((event: { status: string }) => event.status));
    cursor = reply.body.nextCursor;
  } while (cursor);
  return { ids, statuses, next };
}

test('a poll lists what changed since a moment, earliest first, in pages; a closed case is listed closed; each caller sees only their units', async () => {
  const district = stack.token('district_center', HUICHENG);
  const since = encodeURIComponent(toLocalIso(start));
  const empty = await poll(district, `unit=${HUICHENG}&changedSince=${since}`);
  expect(empty).toEqual({ ids: [], statuses: [], next: toLocalIso(new Date(start.getTime() - CHANGE_SETTLE_SECONDS * 1000)) });

  const first = await report(JINYUAN_GRID_1, '金源第1网格排水口堵塞');
  await clock.advance(60_000);
  const second = await report(GRID_2, '金源第2网格排水口堵塞');
  await clock.settled();
  const both = await poll(district, `unit=${HUICHENG}&changedSince=${since}`, 1);
  expect(both.ids).toEqual([first, second]);
  expect(both.next).toBe(toLocalIso(new Date(clock.now().getTime() - CHANGE_SETTLE_SECONDS * 1000)));

  // A grid worker's poll (their one unit) holds their grid's case only; another grid is refused.
  const worker2 = stack.token('grid_worker', GRID_2);
  expect((await poll(worker2, `changedSince=${since}`)).ids).toEqual([second]);
  expect((await changed(worker2, `unit=${JINYUAN_GRID_1}&changedSince=${since}`)).status).toBe(403);

  // Linked to the first, a duplicate closes: the next poll lists it closed (the board drops it), and not the others.
  await clock.advance(60_000);
  const duplicate = await report(JINYUAN_GRID_1, '金源第1网格排水口又堵了');
  await clock.settled();
  await clock.advance(60_000);
  const afterReport = clock.now();
  const linked = await act(stack, duplicate, stack.token('grid_worker', JINYUAN_GRID_1), {
    action: 'link_duplicate',
    duplicateOf: first,
    note: '同一排水口',
  });
  expect(linked.status).toBe(200);
  await clock.settled();
  const later = await poll(district, `unit=${HUICHENG}&changedSince=${encodeURIComponent(toLocalIso(afterReport))}`);
  expect(later.ids).toContain(duplicate);
  expect(later.statuses[later.ids.indexOf(duplicate)]).toBe('closed');
  expect(later.ids).not.toContain(second);
});

test("a department's poll reads only its teams' cases: each one GetItem, no other case of the district read", async () => {
  await clock.advance(60_000);
  const since = toLocalIso(clock.now());
  // Two grid cases, a stall for the street's urban-management team, and one the team reports up to the district
  // center, which sends it to the district's bureau: the street team handled both stalls, the bureau one.
  const others = [await report(JINYUAN_GRID_1, '金源第1网格又一处排水口堵塞'), await report(GRID_2, '金源第2网格又一处排水口堵塞')];
  const stall = async (description: string) => {
    const { status, body } = await stack.call('POST', '/events', {
      token: stack.token('town_center', XIAOJINKOU),
      body: { itemCode: '01-04', gridCode: JINYUAN_GRID_1, severity: 2, description },
    });
    expect([status, body.assignee?.type]).toEqual([201, 'department']);
    return body.id as string;
  };
  const streetOnly = await stall('金英街路口流动摊贩占道经营');
  const upToBureau = await stall('金源路口流动摊贩占道经营');
  await clock.settled();
  const streetTeam = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
  expect((await act(stack, upToBureau, streetTeam, { action: 'acknowledge' })).status).toBe(200);
  await clock.settled();
  expect((await act(stack, upToBureau, streetTeam, { action: 'escalate', note: '需区级协调' })).status).toBe(200);
  await clock.settled();
  const districtCenter = stack.token('district_center', HUICHENG);
  expect((await act(stack, upToBureau, districtCenter, { action: 'assign', department: 'urban-management' })).status).toBe(200);
  await clock.settled();

  // What each gets, through the handler: the district center every change, each team its own cases.
  const query = `changedSince=${encodeURIComponent(since)}`;
  expect((await poll(districtCenter, `unit=${HUICHENG}&${query}`)).ids).toEqual(
    expect.arrayContaining([...others, streetOnly, upToBureau]),
  );
  const bureau = stack.token('department', HUICHENG, { department: 'urban-management' });
  expect((await poll(bureau, query, 1)).ids).toEqual([upToBureau]);
  expect((await poll(streetTeam, query, 1)).ids.sort()).toEqual([streetOnly, upToBureau].sort());

  // What each reads: the core on the platform's store, its DynamoDB calls recorded (only this poll's: the platform
  // works on the same client meanwhile).
  const pollCalls = new AsyncLocalStorage<string[]>();
  const record = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    pollCalls.getStore()?.push(String(context.commandName));
    return next(args);
  };
  const reads = async (caller: Caller) => {
    const calls: string[] = [];
    const reply = await pollCalls.run(calls, () =>
      listCases(stack.platform.deps, caller, ListEventsQuery.parse({ changedSince: since, limit: '100' })),
    );
    return { ids: reply.items.map((event) => event.id).sort(), getItems: calls.filter((name) => name === 'GetItemCommand').length, calls };
  };
  const teamCaller = (unit: string): Caller => ({
    person: `test-urban-management-${unit}`,
    sub: `sub-urban-management-${unit}`,
    name: '城管',
    role: 'department',
    department: 'urban-management',
    units: [unit],
  });
  stack.platform.dynamoDbClient.middlewareStack.add(record as never, { step: 'initialize', name: 'recordPollCommands' });
  try {
    // The district center sees every case: it reads each changed one.
    const { department: _none, ...districtCenterCaller } = { ...teamCaller(HUICHENG), role: 'district_center' as const };
    const district = await reads(districtCenterCaller);
    expect(district.ids).toEqual(expect.arrayContaining([...others, streetOnly, upToBureau]));
    expect(district.getItems).toBe(district.ids.length);
    const ofBureau = await reads(teamCaller(HUICHENG));
    expect(ofBureau).toMatchObject({ ids: [upToBureau], getItems: 1 });
    const ofStreetTeam = await reads(teamCaller(XIAOJINKOU));
    expect(ofStreetTeam).toMatchObject({ ids: [streetOnly, upToBureau].sort(), getItems: 2 });
    // The index entries only otherwise (the district's street shards), no Scan.
    expect(ofBureau.calls.filter((name) => name !== 'GetItemCommand').every((name) => name === 'QueryCommand')).toBe(true);
  } finally {
    stack.platform.dynamoDbClient.middlewareStack.remove('recordPollCommands');
  }
});

test('bad input: 400 naming the field, never a 5xx', async () => {
  const district = stack.token('district_center', HUICHENG);
  const since = encodeURIComponent(toLocalIso(start));
  const named = async (query: string, field: string) => {
    const reply = await changed(district, query);
    expect([query, reply.status]).toEqual([query, 400]);
    expect(reply.body.error.fields.map((problem: { field: string }) => problem.field)).toContain(field);
  };
  await named(`unit=${HUICHENG}&changedSince=yesterday`, 'changedSince');
  await named(`unit=${HUICHENG}&changedSince=2026-11-23`, 'changedSince');
  await named(`unit=${HUICHENG}&changedSince=${since}&sort=urgency`, 'sort');
  await named(`unit=${HUICHENG}&changedSince=${since}&status=open`, 'status');
  await named(`unit=${HUICHENG}&changedSince=${since}&mine=true`, 'mine');
  // Pages over 100 are for the urgency list only (a board's full read).
  await named(`unit=${HUICHENG}&changedSince=${since}&limit=101`, 'limit');
  await named(`unit=${HUICHENG}&limit=101`, 'limit');
  expect((await changed(district, `unit=${HUICHENG}&sort=urgency&limit=500`)).status).toBe(200);
  // A cursor is signed for its poll: another moment's, or another list's, is refused.
  const paged = await changed(district, `unit=${HUICHENG}&changedSince=${since}&limit=1`);
  expect(paged.body.nextCursor).toEqual(expect.any(String));
  const cursor = encodeURIComponent(paged.body.nextCursor);
  await named(`unit=${HUICHENG}&changedSince=${encodeURIComponent(toLocalIso(clock.now()))}&cursor=${cursor}`, 'cursor');
  await named(`unit=${HUICHENG}&sort=urgency&cursor=${cursor}`, 'cursor');
});
