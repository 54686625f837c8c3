/**
 * The Check-the-case step (shared/core/workflow-steps.ts `advance`) at a deadline, on an in-memory store:
 * what is recorded, counted and sent, and whom it is charged to.
 */
import { runWorkflowStep } from '../../shared/core/workflow-steps';
import type { Case } from '../../shared/domain/types';
import { memoryPorts, pureDeps, sampleClock, sampleEvent } from './pure-deps';

function stepAt(now: string, event: Case) {
  const { stores, notifier, applied, sent, current } = memoryPorts(event);
  const deps = pureDeps(now, { ports: { ...stores, notifier } });
  const advance = () => runWorkflowStep(deps, { step: 'advance', eventId: event.id, loops: 4 });
  return { advance, applied, sent, current };
}

const worker = { type: 'person' as const, id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: '441302010001001' };
const bureau = { type: 'department' as const, id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' };

/** A level-4 drain with the grid worker, due Tuesday 09:00. */
const withWorker = sampleEvent({
  stage: 'routed',
  assignee: worker,
  routedAt: '2026-11-23T09:00:00+08:00',
  acknowledgedAt: '2026-11-23T09:10:00+08:00',
  clock: sampleClock('handling', '2026-11-23T09:00:00+08:00', '2026-11-24T09:00:00+08:00', { reminders: 2 }),
  deadlineAt: '2026-11-24T09:00:00+08:00',
  version: 3,
});

/** A district-level case the bureau completed on time; the district center must verify it by Tuesday 09:00. */
const toVerify = sampleEvent({
  stage: 'verifying',
  tier: 'district',
  assignee: bureau,
  involvedDepartments: ['441302:urban-management'],
  routedAt: '2026-11-20T09:00:00+08:00',
  handledAt: '2026-11-23T09:00:00+08:00',
  handledOnTime: true,
  clock: sampleClock('verification', '2026-11-23T09:00:00+08:00', '2026-11-24T09:00:00+08:00'),
  deadlineAt: '2026-11-24T09:00:00+08:00',
  version: 9,
});

describe('advance at a handling deadline: overdue, 督办 to the late handler’s head, one tier up', () => {
  it('records one change: overdue and escalated, counted, the worker’s case now the station’s', async () => {
    const { advance, applied, sent, current } = stepAt('2026-11-24T09:00:00+08:00', withWorker);
    const decision = await advance();

    expect(applied).toHaveLength(1);
    expect(applied[0]!.timeline[0]).toMatchObject({ type: 'escalated', tier: 'community' });
    expect(applied[0]!.counters[0]!.counts).toMatchObject({ overdue: 1, escalated: 1 });
    expect(current()).toMatchObject({
      overdue: true,
      tier: 'community',
      assignee: { name: '金源社区网格站' },
      previousHandlers: ['person#441302010001001#gw-ouyang-lingqiao'],
    });
    // The 督办 goes to the worker's head (the community's grid chief), the new assignment to the station's duty officer.
    expect(sent.map((message) => [message.template, message.to])).toEqual([
      ['case_overdue', '13000002001'],
      ['case_assigned', '13000002002'],
    ]);
    expect(sent[0]!.params.assignee).toBe('欧阳玲巧');
    expect(decision).toMatchObject({ next: 'handle', loops: 5 });
  });

  it('before the deadline with nothing due: no change, no SMS, the next checkpoint', async () => {
    const { advance, applied, sent } = stepAt('2026-11-23T17:00:00+08:00', withWorker); // both reminders sent, signed for
    expect(await advance()).toEqual({ next: 'handle', timeoutSeconds: 16 * 3600, loops: 5, version: withWorker.version });
    expect(applied).toEqual([]);
    expect(sent).toEqual([]);
  });
});

describe('advance at a verification deadline: the district center was late, not the department', () => {
  it('marks the case overdue and nudges, without moving it', async () => {
    const { advance, current } = stepAt('2026-11-24T09:00:00+08:00', toVerify);
    const decision = await advance();
    expect(current()).toMatchObject({ stage: 'verifying', overdue: true, assignee: bureau });
    expect(current().clock).toMatchObject({ kind: 'verification', expired: true });
    expect(decision.next).toBe('verify');
  });

  it('is not charged to the bureau that handled the case on time (no department overdue count, no 督办 to its head)', async () => {
    const { advance, applied, sent } = stepAt('2026-11-24T09:00:00+08:00', toVerify);
    await advance();
    const departmentCounts = applied.flatMap((change) => change.counters).filter((counter) => counter.scope.kind === 'department');
    expect(departmentCounts).toEqual([]);
    expect(sent.map((message) => message.to)).not.toContain('13000010201');
  });

  it('the district center’s own late verification is told to the district: its head hears of it', async () => {
    const { advance, sent } = stepAt('2026-11-24T09:00:00+08:00', toVerify);
    await advance();
    expect(sent.map((message) => message.template)).toContain('case_overdue');
    expect(sent.map((message) => message.to)).toContain('13000004001');
  });
});

describe('advance when the rating window closes', () => {
  it('changes nothing and archives', async () => {
    const fedBack = sampleEvent({
      stage: 'feedback',
      assignee: worker,
      handledAt: '2026-11-23T09:00:00+08:00',
      fedBackAt: '2026-11-23T09:05:00+08:00',
      clock: sampleClock('rating', '2026-11-23T09:05:00+08:00', '2026-11-24T09:05:00+08:00'),
      deadlineAt: '2026-11-24T09:05:00+08:00',
    });
    const { advance, applied, sent } = stepAt('2026-11-24T09:05:00+08:00', fedBack);
    expect(await advance()).toMatchObject({ next: 'archive', loops: 5 });
    expect(applied).toEqual([]);
    expect(sent).toEqual([]);
  });
});
