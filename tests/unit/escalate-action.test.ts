/** 上报: a handler sends the case one tier up — the same move as a missed deadline's, counted as `escalated` (shared/core/actions/handling.ts). */
import type { Caller } from '../../shared/domain/caller';
import { actOnCase } from '../../shared/core/act-on-case';
import { escalate } from '../../shared/core/case-moves';
import type { Case } from '../../shared/domain/types';
import { memoryPorts, pureDeps, rosterCaller, sampleClock, sampleEvent } from './pure-deps';

const NOW = '2026-11-23T10:00:00+08:00';
const bureau: Caller = {
  person: 'ds-urban-management-441302',
  sub: 'sub-ds-urban-management-441302',
  name: '区城管局办事员',
  role: 'department',
  department: 'urban-management',
  units: ['441302'],
};
const districtCenter = rosterCaller('dc-huicheng-duty');
const worker = rosterCaller('gw-ouyang-lingqiao');

const handling = (overrides: Partial<Case>): Case =>
  sampleEvent({
    stage: 'handling',
    routedAt: '2026-11-20T09:00:00+08:00',
    acknowledgedAt: '2026-11-20T09:30:00+08:00',
    clock: sampleClock('handling', '2026-11-20T09:00:00+08:00', '2026-11-27T09:00:00+08:00'),
    deadlineAt: '2026-11-27T09:00:00+08:00',
    version: 4,
    ...overrides,
  });

/** The district bureau handles a district case. */
const districtCase = handling({
  tier: 'district',
  assignee: { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' },
  involvedDepartments: ['441302:urban-management'],
});

/** The district center hosts the joint meeting, which decided; the lead department handles it. */
const meetingCase = handling({
  tier: 'joint_meeting',
  assignee: { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' },
  involvedDepartments: ['441302:urban-management'],
});

/** The grid worker handles a grid case. */
const gridCase = handling({ tier: 'grid', assignee: { type: 'person', id: worker.person, name: worker.name, unit: '441302010001001' } });

async function escalateAs(who: Caller, event: Case) {
  const ports = memoryPorts(event);
  const deps = pureDeps(NOW, { ports: { ...ports.stores, notifier: ports.notifier } });
  const after = await actOnCase(deps, who, event.id, { action: 'escalate', note: '需多部门协同' });
  const unitCounts = ports.applied[0]!.counters.find((increment) => increment.scope.code === '441302')!.counts;
  return { after, change: ports.applied[0]!, unitCounts, deps };
}

describe('escalate by the handler: the ladder’s one move', () => {
  it.each([
    ['district', districtCase, bureau, 'joint_meeting', 'jointMeeting'],
    ['joint_meeting', meetingCase, bureau, 'through_train', 'throughTrain'],
    ['grid', gridCase, worker, 'community', undefined],
  ] as const)('from %s: where the deadline would send it, counted as escalated', async (_from, event, who, to, alsoCounted) => {
    const { after, change, unitCounts, deps } = await escalateAs(who, event);
    const byDeadline = escalate(deps, event, new Date(NOW), { type: 'escalated', reason: 'x' })!;
    expect(after).toMatchObject({ tier: to, complex: true, assignee: byDeadline.after.assignee });
    expect(after.clock?.kind).toBe(byDeadline.after.clock?.kind);
    expect(change.timeline[0]).toMatchObject({ type: 'escalated', note: '上报 reported up: 需多部门协同' });
    expect(unitCounts.escalated).toBe(1);
    if (alsoCounted) expect(unitCounts[alsoCounted]).toBe(1);
  });

  it('the district center may not escalate for the bureau (only the handler)', async () => {
    await expect(escalateAs(districtCenter, districtCase)).rejects.toMatchObject({ status: 403 });
  });
});
