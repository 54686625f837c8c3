/**
 * The HTTP contract on the local stack: bad input gets a clear 4xx naming the field and writes nothing;
 * tokens and scopes are checked; idempotency; residents' reports; listing; the reference routes.
 */
import * as z from 'zod';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { EventReply } from '../../shared/schemas/events';
import { eventually, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';
import { reporterTokenFor } from '../support/resident';

/** Residents' reports allowed per client per hour in this file's stack (every test client is 127.0.0.1). */
const CITIZEN_LIMIT = 6;

let stack: Stack;
let worker: string;
beforeAll(async () => {
  // The policy clock starts at the top of this hour (×1): the residents' hourly window cannot roll over mid-test.
  const thisHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  stack = await startStack({ timeScale: 1, clockStart: thisHour, policy: { ...DEFAULT_POLICY, citizenReportsPerHour: CITIZEN_LIMIT } });
  worker = stack.token('grid_worker', JINYUAN_GRID_1);
});
afterAll(() => stack?.stop());

const valid = { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: '垃圾堆积', reporter: { name: '张三', phone: '13000008888' } };

async function eventCount(): Promise<number> {
  const district = stack.token('district_center', HUICHENG);
  let count = 0;
  let cursor: string | undefined;
  do {
    const { body } = await stack.call('GET', `/events?unit=${HUICHENG}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: district });
    count += body.items.length;
    cursor = body.nextCursor;
  } while (cursor);
  return count;
}

describe('bad input: a clear 4xx naming the field, and nothing written', () => {
  const cases: [string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, number, string][] = [
    ['malformed JSON', { rawBody: '{"itemCode": "01-01",' }, 400, 'body'],
    ['no body', {}, 400, 'body'],
    ['wrong type', { body: { ...valid, severity: 'high' } }, 400, 'severity'],
    ['missing field', { body: { gridCode: JINYUAN_GRID_1, description: 'x' } }, 400, 'itemCode'],
    ['unknown item code', { body: { ...valid, itemCode: '09-99' } }, 422, 'itemCode'],
    ['unknown grid code', { body: { ...valid, gridCode: '441302010001099' } }, 422, 'gridCode'],
    ['grid code of the wrong length', { body: { ...valid, gridCode: '4413020100010' } }, 400, 'gridCode'],
    ['severity out of range', { body: { ...valid, severity: 5 } }, 400, 'severity'],
    ['description too long', { body: { ...valid, description: '长'.repeat(2001) } }, 400, 'description'],
    [
      'more than 9 photos',
      { body: { ...valid, photos: Array.from({ length: 10 }, (_, index) => `https://p.example.cn/${index}.jpg`) } },
      400,
      'photos',
    ],
    ['unknown field', { body: { ...valid, priority: 'urgent' } }, 400, 'priority'],
    ['body over 64 KiB', { rawBody: JSON.stringify({ ...valid, description: 'x'.repeat(70 * 1024) }) }, 413, ''],
    ['bad idempotency key', { body: valid, headers: { 'idempotency-key': 'has spaces in it' } }, 400, 'Idempotency-Key'],
  ];

  test.each(cases)('%s', async (_name, request, status, field) => {
    const before = await eventCount();
    const reply = await stack.call('POST', '/events', { token: worker, ...request });
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toEqual(expect.any(String));
    expect(reply.body.error.message).toEqual(expect.any(String));
    if (field) expect(JSON.stringify(reply.body.error.fields)).toContain(field);
    expect(await eventCount()).toBe(before);
  });

  test('actions: unknown action, missing note, wrong stage', async () => {
    const { body: event } = await stack.call('POST', '/events', { token: worker, body: valid });
    const unknown = await stack.call('POST', `/events/${event.id}/actions`, { token: worker, body: { action: 'teleport' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].field).toBe('action');
    const noNote = await stack.call('POST', `/events/${event.id}/actions`, { token: worker, body: { action: 'complete' } });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.fields[0].field).toBe('note');
    // A grid worker's own report needs no acceptance: accepting it is not allowed in its state.
    const accept = await stack.call('POST', `/events/${event.id}/actions`, { token: worker, body: { action: 'accept_report' } });
    expect(accept.status).toBe(409);
    expect(accept.body.error.fields[0].field).toBe('action');
    expect(
      (await stack.call('POST', '/events/E20260101-AAAAAA/actions', { token: worker, body: { action: 'complete', note: 'x' } })).status,
    ).toBe(404);
    expect((await stack.call('GET', '/events/not-an-id', { token: worker })).status).toBe(404);
  });
});

describe('who calls', () => {
  test('no token or a bad token on a signed-in route is 401', async () => {
    expect((await stack.call('GET', `/events?unit=${JINYUAN_GRID_1}`)).status).toBe(401);
    expect((await stack.call('GET', `/events?unit=${JINYUAN_GRID_1}`, { token: `${worker}x` })).status).toBe(401);
    const forged = await stack.call('POST', '/events', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', body: valid });
    expect(forged.status).toBe(401);
  });

  test('a token out of scope is 403 for a grid and a unit, 404 for a single event', async () => {
    const otherStreet = stack.token('town_center', '441302001');
    expect((await stack.call('POST', '/events', { token: otherStreet, body: valid })).status).toBe(403);
    expect((await stack.call('GET', `/events?unit=${XIAOJINKOU}`, { token: otherStreet })).status).toBe(403);
    const { body: event } = await stack.call('POST', '/events', { token: worker, body: valid });
    expect((await stack.call('GET', `/events/${event.id}`, { token: otherStreet })).status).toBe(404);
  });

  test('roles that do not report are refused', async () => {
    const deputy = stack.token('supervisor', HUICHENG);
    expect((await stack.call('POST', '/events', { token: deputy, body: valid })).status).toBe(403);
  });
});

describe('idempotency', () => {
  test('20 concurrent reports with one Idempotency-Key make one event', async () => {
    const headers = { 'idempotency-key': `flood-${Date.now()}` };
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => stack.call('POST', '/events', { token: worker, body: valid, headers })),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    const created = await stack.platform.deps.cases.get(replies[0].body.id);
    expect(created?.case.description).toBe(valid.description);
  });

  test('the same key with another body is a 409', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    expect((await stack.call('POST', '/events', { token: worker, body: valid, headers })).status).toBe(201);
    const other = await stack.call('POST', '/events', { token: worker, body: { ...valid, description: '另一件事' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.error.fields[0].field).toBe('Idempotency-Key');
  });
});

describe("a resident's report", () => {
  const citizenReport = {
    itemCode: '03-08',
    gridCode: JINYUAN_GRID_1,
    description: '夜间噪音扰民',
    reporter: { name: '李四', phone: '13000007777' },
  };

  test('waits for the grid worker to accept it, then is routed', async () => {
    // The resident verified their phone: the report keeps it, and texts go to it.
    const created = await stack.call('POST', '/events', { body: citizenReport, headers: await reporterTokenFor(stack, '13000007777') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: 'citizen', stage: 'registered' });
    expect(created.body.reporter.phone).toBe('13000007777');
    const id = created.body.id;
    const waiting = await eventually(async () => {
      const { body } = await stack.call('GET', `/events/${id}`, { token: worker });
      return body.deadlineAt ? body : undefined;
    }, 'the acceptance deadline');
    expect(waiting.stage).toBe('registered');
    expect(waiting.reporter.phone).toBe('130****7777');
    await eventually(
      async () =>
        stack.platform.outbox.all().some((message) => message.eventId === id && message.template === 'report_to_accept') ? true : undefined,
      'the acceptance SMS',
    );

    const accepted = await stack.call('POST', `/events/${id}/actions`, {
      token: worker,
      body: { action: 'accept_report', note: '核实属实' },
    });
    expect(accepted.status).toBe(200);
    const routed = await eventually(async () => {
      const { body } = await stack.call('GET', `/events/${id}`, { token: worker });
      return body.stage === 'routed' ? body : undefined;
    }, 'routing after acceptance');
    expect(routed.timeline.map((entry: { type: string }) => entry.type)).toEqual([
      'registered',
      'awaiting_acceptance',
      'accepted',
      'routed',
    ]);
  });

  test('can be voided with a reason, and the resident is told', async () => {
    const { body } = await stack.call('POST', '/events', {
      body: { ...citizenReport, description: '重复反映' },
      headers: await reporterTokenFor(stack, '13000007777'),
    });
    await eventually(
      async () => ((await stack.call('GET', `/events/${body.id}`, { token: worker })).body.deadlineAt ? true : undefined),
      'acceptance wait',
    );
    const station = stack.token('community_station', JINYUAN);
    const voided = await stack.call('POST', `/events/${body.id}/actions`, {
      token: station,
      body: { action: 'void_report', note: '经核实为重复反映' },
    });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ stage: 'voided', status: 'closed' });
    const told = stack.platform.outbox.all().find((message) => message.eventId === body.id && message.template === 'report_voided');
    expect(told?.to).toBe('13000007777');
    await stack.platform.workflow.engine.result(body.id);
    expect(stack.platform.workflow.engine.isRunning(body.id)).toBe(false);
  });

  test('is rate-limited per client, and a refused report writes nothing', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= CITIZEN_LIMIT; attempt++) {
      const before = await eventCount();
      const reply = await stack.call('POST', '/events', { body: { ...citizenReport, description: `第${attempt}次反映` } });
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.body.error.message).toMatch(/hotline/);
        expect(await eventCount()).toBe(before);
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 201).length).toBeLessThan(CITIZEN_LIMIT);
    // Staff with a token are not limited by the residents' bucket.
    expect((await stack.call('POST', '/events', { token: worker, body: valid })).status).toBe(201);
  });

  test('may not claim another source without a token', async () => {
    const reply = await stack.call('POST', '/events', { body: { ...citizenReport, source: 'grid_worker' } });
    expect(reply.status).toBe(422);
    expect(reply.body.error.fields[0].field).toBe('source');
  });
});

describe('listing', () => {
  test('filters by unit prefix and status, pages with a cursor, and stays in scope', async () => {
    const station = stack.token('community_station', JINYUAN);
    const otherGrid = '441302010001003';
    const gridWorker3 = stack.token('grid_worker', otherGrid);
    for (let index = 0; index < 3; index++) {
      expect(
        (await stack.call('POST', '/events', { token: gridWorker3, body: { ...valid, gridCode: otherGrid, description: `第${index}件` } }))
          .status,
      ).toBe(201);
    }
    const grid3 = await stack.call('GET', `/events?unit=${otherGrid}&status=open`, { token: station });
    expect(grid3.status).toBe(200);
    expect(grid3.body.items).toHaveLength(3);
    expect(grid3.body.items.every((event: { gridCode: string }) => event.gridCode === otherGrid)).toBe(true);

    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { body } = await stack.call('GET', `/events?unit=${JINYUAN}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: station });
      for (const event of body.items as { id: string }[]) seen.add(event.id);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(await eventCount());
    expect(pages).toBeGreaterThan(1);

    // The grid 3 worker sees only grid 3.
    expect((await stack.call('GET', `/events?unit=${JINYUAN}`, { token: gridWorker3 })).status).toBe(403);
    const own = await stack.call('GET', '/events', { token: gridWorker3 });
    expect(own.body.items.every((event: { gridCode: string }) => event.gridCode === otherGrid)).toBe(true);

    expect((await stack.call('GET', `/events?unit=${JINYUAN}&status=pending`, { token: station })).body.error.fields[0].field).toBe(
      'status',
    );
    expect((await stack.call('GET', `/events?unit=${JINYUAN}&cursor=garbage`, { token: station })).status).toBe(400);
  });
});

describe('a street-level matter goes to the street team of its department', () => {
  test('the team sees and completes it; the district bureau of the same department does not see it', async () => {
    const streetCenter = stack.token('town_center', XIAOJINKOU);
    const { body } = await stack.call('POST', '/events', {
      token: streetCenter,
      body: { ...valid, itemCode: '01-04', severity: 2, description: '占道经营堵塞主干道' },
    });
    const routed = await eventually(async () => {
      const { body: current } = await stack.call('GET', `/events/${body.id}`, { token: streetCenter });
      return current.stage === 'routed' ? current : undefined;
    }, 'routing');
    expect(routed.tier).toBe('town');
    expect(routed.assignee).toMatchObject({ type: 'department', id: 'urban-management', unit: XIAOJINKOU });
    const sms = stack.platform.outbox.all().filter((message) => message.eventId === body.id && message.template === 'case_assigned');
    expect(sms.map((message) => message.to)).toEqual(['13000020102']);

    const team = stack.token('department', XIAOJINKOU, { department: 'urban-management' });
    const listed = await stack.call('GET', `/events?unit=${XIAOJINKOU}&status=open`, { token: team });
    expect(listed.body.items.map((event: { id: string }) => event.id)).toContain(body.id);
    expect(listed.body.items.every((event: { assignee?: { id: string } }) => event.assignee?.id === 'urban-management')).toBe(true);
    const bureau = stack.token('department', HUICHENG, { department: 'urban-management' });
    expect((await stack.call('GET', `/events/${body.id}`, { token: bureau })).status).toBe(404);
    const otherTeam = stack.token('department', XIAOJINKOU, { department: 'housing-construction' });
    expect((await stack.call('GET', `/events/${body.id}`, { token: otherTeam })).status).toBe(404);

    const done = await stack.call('POST', `/events/${body.id}/actions`, {
      token: team,
      body: { action: 'complete', note: '已清理占道摊点' },
    });
    expect(done.status).toBe(200);
    // The handler may call the reporter; the street center, which only dispatched, sees the number masked.
    expect(done.body.reporter.phone).toBe('13000008888');
    expect((await stack.call('GET', `/events/${body.id}`, { token: streetCenter })).body.reporter.phone).toBe('130****8888');
  });
});

describe("a handler's own cases", () => {
  test("mine=true lists the caller's open cases, soonest deadline first", async () => {
    const grid4 = '441302010001004';
    const worker4 = stack.token('grid_worker', grid4);
    const ids: string[] = [];
    for (const itemCode of ['01-09', '01-04', '01-02']) {
      const { body } = await stack.call('POST', '/events', { token: worker4, body: { ...valid, itemCode, gridCode: grid4 } });
      ids.push(body.id);
    }
    const mine = await eventually(async () => {
      const { body } = await stack.call('GET', '/events?mine=true', { token: worker4 });
      return body.items.length === 3 ? body.items : undefined;
    }, 'three routed cases');
    const deadlines = mine.map((event: { deadlineAt: string }) => Date.parse(event.deadlineAt));
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    // 01-04 (4 working hours) is due first, 01-09 (3 working days) last.
    expect(mine.map((event: { itemCode: string }) => event.itemCode)).toEqual(['01-04', '01-02', '01-09']);

    await stack.call('POST', `/events/${ids[1]}/actions`, { token: worker4, body: { action: 'complete', note: '已处理' } });
    await eventually(
      async () => ((await stack.call('GET', '/events?mine=true', { token: worker4 })).body.items.length === 2 ? true : undefined),
      'the completed case to leave the list',
    );

    const deputy = stack.token('supervisor', HUICHENG);
    expect((await stack.call('GET', '/events?mine=true', { token: deputy })).body.error.fields[0].field).toBe('mine');
  });
});

describe('reference routes', () => {
  test('catalog, units, health and the OpenAPI document', async () => {
    const catalog = await stack.call('GET', '/catalog');
    expect(catalog.body.classes).toHaveLength(4);
    expect(catalog.body.classes.flatMap((entry: { items: unknown[] }) => entry.items)).toHaveLength(36);
    // The departments by name, for a department picker (assign, invite, a meeting's lead and helpers).
    expect(catalog.body.departments).toContainEqual({
      code: 'urban-management',
      name: expect.stringContaining('城市管理'),
      nameEn: expect.any(String),
    });

    const grids = await stack.call('GET', `/units?parent=${JINYUAN}`);
    expect(grids.body.items).toHaveLength(9);
    expect(grids.body.items[0]).toEqual({
      code: JINYUAN_GRID_1,
      name: '金源社区第1网格',
      nameEn: 'Jinyuan grid 1',
      level: 'grid',
      parent: JINYUAN,
    });
    const tree = await stack.call('GET', '/units?tree=true');
    expect(tree.body.tree[0].code).toBe(HUICHENG);
    expect((await stack.call('GET', '/units?level=province')).status).toBe(400);

    expect((await stack.call('GET', '/health')).body.status).toBe('ok');
    const openapi = await stack.call('GET', '/openapi.json');
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/events', '/events/{id}', '/events/{id}/actions', '/catalog', '/units', '/health']),
    );
    expect(openapi.body.paths['/events'].post.requestBody.content['application/json'].schema.properties.severity).toMatchObject({
      minimum: 1,
      maximum: 4,
    });

    expect((await stack.call('GET', '/nowhere')).status).toBe(404);
    expect((await stack.call('DELETE', '/events')).status).toBe(405);
  });

  test('the local outbox lists every message to a district center with to, template, text, eventId and at', async () => {
    const { body } = await stack.call('GET', '/_local/outbox', { token: stack.token('district_center', HUICHENG) });
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items[0]).toEqual(
      expect.objectContaining({
        to: expect.any(String),
        template: expect.any(String),
        text: expect.any(String),
        eventId: expect.any(String),
        at: expect.any(String),
      }),
    );
  });
});

test('every event the API lists, and each one read alone with its timeline, parses strictly with the reply schema OpenAPI shows', async () => {
  const district = stack.token('district_center', HUICHENG);
  const strictEvent = z.strictObject(EventReply.shape);
  const { body } = await stack.call('GET', `/events?unit=${HUICHENG}&limit=100`, { token: district });
  expect(body.items.length).toBeGreaterThan(0);
  for (const item of body.items) {
    strictEvent.parse(item);
    strictEvent.parse((await stack.call('GET', `/events/${item.id}`, { token: district })).body);
  }
});
