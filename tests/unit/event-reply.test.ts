/**
 * The events API's reply schema (shared/schemas/events.ts `EventReply`) against the view it describes
 * (`CaseView`, shared/core/read-cases.ts): the same fields at compile time, and real replies — a case taken
 * through its lifecycle by the core on the in-memory stores — parse with it strictly (no field undescribed).
 */
import * as z from 'zod';
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import type { Caller } from '../../shared/domain/caller';
import { actOnCase } from '../../shared/core/act-on-case';
import type { CoreDependencies } from '../../shared/core/dependencies';
import { type CaseView, getCase, listCases } from '../../shared/core/read-cases';
import { reportCase } from '../../shared/core/report-case';
import { runWorkflowStep } from '../../shared/core/workflow-steps';
import type { Notifier } from '../../shared/ports/notifier';
import type { WorkflowPort } from '../../shared/ports/workflow';
import { ActionBody, EventReply } from '../../shared/schemas/events';
import { pureDeps, rosterCaller } from './pure-deps';

type Reply = z.output<typeof EventReply>;
// Compile-time: the schema names exactly the view's fields, and each side's values fit the other's types.
const sameFields: [Exclude<keyof CaseView, keyof Reply>, Exclude<keyof Reply, keyof CaseView>] extends [never, never] ? true : false = true;
const viewAsReply = (view: CaseView): Reply => view;
const replyAsView = (reply: Reply): CaseView => reply;

const strictReply = z.strictObject(EventReply.shape);

const GRID = '441302010001001';
const worker = rosterCaller('gw-ouyang-lingqiao');
const station = rosterCaller('cs-jinyuan-duty');
const districtCenter = rosterCaller('dc-huicheng-duty');
const bureau: Caller = {
  person: 'ds-urban-management-441302',
  sub: 'sub-ds-urban-management-441302',
  name: '区城管局办事员',
  role: 'department',
  department: 'urban-management',
  units: ['441302'],
};

function lifecycleDeps() {
  let now = Date.parse('2026-11-23T09:00:00+08:00');
  const workflow: WorkflowPort = {
    start: async () => 'started',
    status: async () => 'running',
    sendTaskSuccess: async () => true,
    course: async () => undefined,
  };
  const notifier: Notifier = { send: async () => ({ messageId: 'm' }) };
  const deps: CoreDependencies = {
    ...pureDeps(new Date(now), { ports: { ...createMemoryStores(), workflow, notifier } }),
    clock: { now: () => new Date(now), scale: 1 },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  };
  return { deps, later: (minutes: number) => (now += minutes * 60_000) };
}

describe('EventReply describes the case view', () => {
  it('field for field, at compile time', () => {
    expect([sameFields, typeof viewAsReply, typeof replyAsView]).toEqual([true, 'function', 'function']);
  });

  it('every reply of a case reported, accepted, extended, escalated, returned to a joint meeting, verified, fed back and rated parses strictly', async () => {
    const { deps, later } = lifecycleDeps();
    const replies: CaseView[] = [];
    const { case: event } = await reportCase(deps, {
      body: {
        itemCode: '01-01',
        gridCode: GRID,
        description: '金英街排水口堵塞',
        severity: 4,
        location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
        photos: ['https://example.com/a.jpg'],
        reporter: { name: '居民', phone: '13000009999' },
      },
      clientId: '203.0.113.7',
    });
    const id = event.id;
    const read = async (caller: Caller = districtCenter) => {
      const view = await getCase(deps, caller, id);
      replies.push(view);
      return view;
    };
    // Bodies as the API takes them (the schema fills the defaults).
    const act = async (caller: Caller, body: z.input<typeof ActionBody>) => {
      later(10);
      replies.push(...(await listCases(deps, districtCenter, { unit: '441302', limit: 20 })).items);
      return actOnCase(deps, caller, id, ActionBody.parse(body));
    };
    const step = async (name: 'register' | 'route' | 'advance' | 'feedback' | 'archive') => {
      later(10);
      await runWorkflowStep(deps, { step: name, eventId: id, loops: 0 });
      return read();
    };

    await step('register');
    await act(worker, { action: 'accept_report', note: '属实' });
    await step('route');
    await act(worker, { action: 'acknowledge' });
    const { deadlineAt } = await read(worker);
    await act(worker, { action: 'request_extension', until: new Date(Date.parse(deadlineAt!) + 3600_000).toISOString(), note: '等配件' });
    await act(station, { action: 'approve_extension', note: '同意' });
    await act(worker, { action: 'escalate', note: '需街道协调' });
    // Nobody acts at the community or the street: reminders, 督办, up the ladder to the district center.
    let atDistrict = await read();
    for (let tries = 0; tries < 12 && atDistrict.tier !== 'district'; tries++) {
      later(60 * 24 * 3);
      atDistrict = await step('advance');
    }
    expect(atDistrict.tier).toBe('district');
    await act(districtCenter, { action: 'assign', department: 'urban-management' });
    await act(bureau, { action: 'return', note: '不属本局' });
    await act(districtCenter, { action: 'assign', department: 'urban-management' });
    await act(bureau, { action: 'return', note: '仍不属本局' });
    await act(districtCenter, {
      action: 'convene_meeting',
      at: new Date(deps.clock.now().getTime() + 86_400_000).toISOString(),
      departments: ['urban-management', 'water-affairs'],
    });
    await act(districtCenter, {
      action: 'record_meeting_decision',
      lead: 'urban-management',
      helpers: [],
      deadlineAt: new Date(Date.parse('2026-12-31T09:00:00+08:00')).toISOString(),
      minutes: '城管局牵头',
    });
    await act(bureau, { action: 'complete', note: '已疏通', photos: ['https://example.com/b.jpg'] });
    await act(districtCenter, { action: 'verify_fail', note: '仍有积水' });
    await act(bureau, { action: 'complete', note: '再次疏通' });
    await act(districtCenter, { action: 'verify_pass' });
    await step('feedback');
    await act(worker, { action: 'rate', score: 2, note: '不满意' });
    const reopened = await read();
    expect(reopened).toMatchObject({ reopened: true, complex: true, overdue: true });
    expect(reopened.extension ?? reopened.meeting).toBeDefined();
    expect(reopened.lastMove?.type).toBe('reopened');

    expect(replies.length).toBeGreaterThan(20);
    for (const reply of replies) strictReply.parse(reply);
    expect(reopened.timeline?.map((entry) => entry.type)).toContain('meeting_decided');
  });

  it('a duplicate and its original parse too (linked reports, possible duplicates)', async () => {
    const { deps, later } = lifecycleDeps();
    const body = { itemCode: '01-01', gridCode: GRID, description: '排水口堵塞', location: { lat: 23.1315, lng: 114.4152 }, photos: [] };
    const first = (await reportCase(deps, { body: { ...body, reporter: { phone: '13000008888' } }, caller: worker, clientId: 'x' })).case;
    later(5);
    const second = (await reportCase(deps, { body: { ...body, reporter: { phone: '13000007777' } }, caller: worker, clientId: 'x' })).case;
    later(5);
    await actOnCase(deps, worker, second.id, { action: 'link_duplicate', duplicateOf: first.id });
    for (const id of [first.id, second.id]) strictReply.parse(await getCase(deps, worker, id));
    expect((await getCase(deps, worker, first.id)).linkedReports).toEqual([second.id]);
  });
});
