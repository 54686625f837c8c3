/** 分流/转办: a center sends a case it holds to a team or a person (shared/core/actions/dispatch.ts), on an in-memory store. */
import type { Caller } from '../../shared/domain/caller';
import { actOnCase } from '../../shared/core/act-on-case';
import { DomainError } from '../../shared/domain/errors';
import type { Case } from '../../shared/domain/types';
import { memoryPorts, pureDeps, rosterCaller, sampleClock, sampleEvent } from './pure-deps';

const NOW = '2026-11-23T09:00:00+08:00';
const districtCenter = rosterCaller('dc-huicheng-duty');
const townCenter = rosterCaller('tc-xiaojinkou-duty');

/** A level-4 drain the district center holds for dispatch (it came up from the street). */
const districtHold: Case = sampleEvent({
  stage: 'routed',
  tier: 'district',
  assignee: { type: 'unit', id: '441302', name: '惠城区网格中心', unit: '441302' },
  involvedDepartments: ['441302010:urban-management'],
  routedAt: '2026-11-20T09:00:00+08:00',
  clock: sampleClock('dispatch', '2026-11-23T08:50:00+08:00', '2026-11-23T10:50:00+08:00'),
  deadlineAt: '2026-11-23T10:50:00+08:00',
  version: 7,
});

/** A level-2 stall (01-04) the street center holds for dispatch after its team returned it. */
const townHold: Case = sampleEvent({
  itemCode: '01-04',
  severity: 2,
  stage: 'routed',
  tier: 'town',
  assignee: { type: 'unit', id: '441302010', name: '小金口街道网格中心', unit: '441302010' },
  involvedDepartments: ['441302010:urban-management'],
  routedAt: '2026-11-23T08:00:00+08:00',
  clock: sampleClock('dispatch', '2026-11-23T08:50:00+08:00', '2026-11-23T09:20:00+08:00'),
  deadlineAt: '2026-11-23T09:20:00+08:00',
  version: 5,
});

async function assign(who: Caller, event: Case, target: { department?: string; person?: string }) {
  const ports = memoryPorts(event);
  const deps = pureDeps(NOW, { ports: { ...ports.stores, notifier: ports.notifier } });
  const after = await actOnCase(deps, who, event.id, { action: 'assign', ...target });
  return { after, ...ports };
}

async function refusal(who: Caller, event: Case, target: { department?: string; person?: string }) {
  try {
    await assign(who, event, target);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  return undefined;
}

describe('assign by the district center', () => {
  it('to the district bureau of a department: on the district’s handling clock (5 working days for level 4), the bureau told', async () => {
    const { after, applied, sent } = await assign(districtCenter, districtHold, { department: 'urban-management' });
    expect(after).toMatchObject({
      stage: 'routed',
      tier: 'district',
      assignee: { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' },
      involvedDepartments: ['441302010:urban-management', '441302:urban-management'],
      deadlineAt: '2026-11-30T09:00:00+08:00',
      routedAt: '2026-11-20T09:00:00+08:00',
    });
    expect(after.clock?.kind).toBe('handling');
    expect(applied[0]!.timeline[0]).toMatchObject({ type: 'assigned', actor: { id: 'dc-huicheng-duty' } });
    // A first dispatch is not a reassignment.
    expect(applied[0]!.counters).toEqual([]);
    expect(sent.map((message) => [message.template, message.to])).toEqual([['case_assigned', '13000010202']]);
  });

  it('to a person of the district who handles cases (its duty officer)', async () => {
    const { after } = await assign(districtCenter, districtHold, { person: 'dc-huicheng-duty' });
    expect(after.assignee).toEqual({ type: 'person', id: 'dc-huicheng-duty', name: '惠城区网格中心值班员', unit: '441302' });
  });

  it('to a department without a team at the district: 422', async () => {
    expect((await refusal(districtCenter, districtHold, { department: 'no-such-department' }))?.status).toBe(422);
  });

  it.each([
    ['the people’s-congress deputy (a supervisor)', 'sv-huicheng-deputy'],
    ['the platform administrator', 'ad-huicheng'],
  ])('not to %s, who may not act on a case as its handler (422)', async (_label, person) => {
    // A supervisor or an admin may not acknowledge, complete, return, escalate or ask for more time:
    // the case would sit with nobody able to act on it until its deadline.
    const error = await refusal(districtCenter, districtHold, { person });
    expect(error?.status).toBe(422);
  });
});

describe('assign by the street center', () => {
  it('to another street team: counted as a first dispatch, the team now involved', async () => {
    const { after, applied } = await assign(townCenter, townHold, { department: 'housing-construction' });
    expect(after.assignee).toEqual({ type: 'department', id: 'housing-construction', name: '小金口街道规划建设办', unit: '441302010' });
    expect(after.involvedDepartments).toEqual(['441302010:urban-management', '441302010:housing-construction']);
    expect(after.previousHandlers).toEqual(['unit#441302010#441302010']);
    expect(applied[0]!.counters).toEqual([]);
  });

  it('a case a team already handles: a reassignment, counted', async () => {
    const handled: Case = {
      ...townHold,
      assignee: { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: '441302010' },
      clock: sampleClock('handling', '2026-11-23T08:00:00+08:00', '2026-11-24T09:00:00+08:00'),
    };
    const { after, applied } = await assign(townCenter, handled, { person: 'gw-ouyang-lingqiao' });
    expect(after).toMatchObject({ assignee: { type: 'person', id: 'gw-ouyang-lingqiao' }, reassignments: 1 });
    expect(applied[0]!.counters[0]!.counts).toMatchObject({ reassigned: 1 });
  });

  it('not to a person above the street (the district center’s duty officer)', async () => {
    expect((await refusal(townCenter, townHold, { person: 'dc-huicheng-duty' }))?.status).toBe(422);
  });
});
