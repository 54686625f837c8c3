import { parseLocal } from '../../shared/domain/calendar';
import { STANDING, type CounterIncrement } from '../../shared/domain/counters';
import { buildChange, countersFor, SYSTEM_ACTOR, unitCounters } from '../../shared/core/changes';
import { teamCode } from '../../shared/domain/routing';
import type { Actor, Assignee, Case } from '../../shared/domain/types';
import type { WaitingTask } from '../../shared/ports/cases';

const GRID_1 = '441302010001001';
const UNIT_CODES = ['441302', '441302010', '441302010001', GRID_1];

const worker: Actor = { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' };
const streetTeam: Assignee = { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: '441302010' };
const bureau: Assignee = { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' };
const station: Assignee = { type: 'unit', id: '441302010001', name: '金源社区网格站', unit: '441302010001' };
const person: Assignee = { type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: GRID_1 };

function sampleCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'E20261009-7K3M9Q',
    itemCode: '01-01',
    classCode: '01',
    gridCode: GRID_1,
    description: '金源路排水口堵塞',
    severity: 4,
    photos: [],
    source: 'grid_worker',
    reportedBy: worker,
    status: 'open',
    stage: 'registered',
    tier: 'grid',
    involvedDepartments: [],
    overdue: false,
    overdueNudges: 0,
    needsAcceptance: false,
    createdAt: '2026-10-09T16:00:00+08:00',
    updatedAt: '2026-10-09T16:00:00+08:00',
    version: 1,
    ...overrides,
  };
}

/** The event's fields a change is built from (buildChange sets version and updatedAt itself). */
function next(event: Case, overrides: Partial<Case> = {}): Omit<Case, 'version' | 'updatedAt'> {
  const { version: _version, updatedAt: _updatedAt, ...rest } = { ...event, ...overrides };
  return rest;
}

const at = parseLocal('2026-10-09 16:30');

describe('buildChange: version and event', () => {
  it('a new event gets version 1 and no expected version (it must not exist yet)', () => {
    const created = sampleCase();
    const change = buildChange(undefined, next(created), { type: 'registered', actor: worker, at });
    expect(change.case.version).toBe(1);
    expect(change.expectedVersion).toBeUndefined();
  });

  it('a change of version n writes n + 1 on the condition version = n', () => {
    const before = sampleCase({ version: 3 });
    const change = buildChange(before, next(before, { stage: 'routed', assignee: person }), { type: 'routed', actor: SYSTEM_ACTOR, at });
    expect(change.case.version).toBe(4);
    expect(change.expectedVersion).toBe(3);
  });

  it('keeps the new state and stamps updatedAt in Shanghai time', () => {
    const before = sampleCase();
    const change = buildChange(before, next(before, { stage: 'routed', tier: 'grid', assignee: person }), {
      type: 'routed',
      actor: SYSTEM_ACTOR,
      at,
    });
    expect(change.case).toEqual({ ...before, stage: 'routed', assignee: person, version: 2, updatedAt: '2026-10-09T16:30:00+08:00' });
  });

  it('passes the waiting task through, distinguishing null (clear it) from undefined (leave it)', () => {
    const before = sampleCase();
    expect(buildChange(before, next(before), { type: 'commented', actor: worker, at }).waitingTask).toBeUndefined();
    expect(buildChange(before, next(before), { type: 'commented', actor: worker, at, waitingTask: null }).waitingTask).toBeNull();
    const task: WaitingTask = { token: 't-1', waitingFor: 'handling', since: '2026-10-09T16:30:00+08:00', loops: 0 };
    expect(buildChange(before, next(before), { type: 'commented', actor: worker, at, waitingTask: task }).waitingTask).toEqual(task);
  });
});

describe('buildChange: the timeline entry', () => {
  it('has seq = the new version, and the new stage and tier', () => {
    const before = sampleCase({ version: 5 });
    const change = buildChange(before, next(before, { stage: 'handling', tier: 'town' }), { type: 'acknowledged', actor: worker, at });
    expect(change.timeline).toEqual([
      {
        eventId: 'E20261009-7K3M9Q',
        seq: 6,
        at: '2026-10-09T16:30:00+08:00',
        actor: worker,
        type: 'acknowledged',
        stage: 'handling',
        tier: 'town',
      },
    ]);
  });

  it('carries note, photos and data when given', () => {
    const before = sampleCase({ stage: 'routed' });
    const [entry] = buildChange(before, next(before, { stage: 'verifying' }), {
      type: 'completed',
      actor: worker,
      at,
      note: '已疏通',
      photos: ['https://photos.example/after.jpg'],
      data: { onTime: true },
    }).timeline;
    expect(entry).toMatchObject({ note: '已疏通', photos: ['https://photos.example/after.jpg'], data: { onTime: true } });
  });

  it('leaves out an empty note and an empty photo list', () => {
    const before = sampleCase();
    const [entry] = buildChange(before, next(before), { type: 'commented', actor: worker, at, note: '', photos: [] }).timeline;
    expect(entry).not.toHaveProperty('note');
    expect(entry).not.toHaveProperty('photos');
    expect(entry).not.toHaveProperty('data');
  });
});

describe('buildChange: counters', () => {
  const counts = { reported: 1, 'reported@01': 1, 'reported@01-01': 1 };

  it('counts for the grid and every unit above it, per class and per item', () => {
    const created = sampleCase({ assignee: person });
    const change = buildChange(undefined, next(created), { type: 'registered', actor: worker, at, count: ['reported'] });
    // Units also count reports per grid (where matters pile up); the reporting grid worker's scorecard counts it too.
    const unitCounts = { ...counts, [`reported@g:${created.gridCode}`]: 1 };
    expect(change.counters.filter((counter) => counter.scope.kind === 'unit')).toEqual([
      ...UNIT_CODES.map((code) => ({ scope: { kind: 'unit', code }, day: '2026-10-09', counts: unitCounts })),
      // A new open case: one more open in each of its units (a standing count, not a day's).
      ...UNIT_CODES.map((code) => ({ scope: { kind: 'unit', code }, day: STANDING, counts: { open: 1 } })),
    ]);
  });

  it('moves the standing open count by every open and close, and by a move to another grid, and by nothing else', () => {
    const open = sampleCase();
    const standing = (change: { counters: CounterIncrement[] }) =>
      change.counters.filter((counter) => counter.day === STANDING).map((counter) => [counter.scope.code, counter.counts.open]);
    const closed = next(open, { status: 'closed', stage: 'archived' });
    expect(standing(buildChange(open, closed, { type: 'archived', actor: SYSTEM_ACTOR, at }))).toEqual(
      UNIT_CODES.map((code) => [code, -1]),
    );
    const reopened = sampleCase({ status: 'closed', stage: 'archived', version: 2 });
    expect(standing(buildChange(reopened, next(reopened, { status: 'open' }), { type: 'reopened', actor: SYSTEM_ACTOR, at }))).toEqual(
      UNIT_CODES.map((code) => [code, 1]),
    );
    expect(standing(buildChange(open, next(open, { stage: 'routed' }), { type: 'routed', actor: SYSTEM_ACTOR, at }))).toEqual([]);
    const elsewhere = '441302010002001';
    expect(standing(buildChange(open, next(open, { gridCode: elsewhere }), { type: 'commented', actor: SYSTEM_ACTOR, at }))).toEqual([
      ...UNIT_CODES.map((code) => [code, -1]),
      ...['441302', '441302010', '441302010002', elsewhere].map((code) => [code, 1]),
    ]);
  });

  it('adds the street team when a street team handles the case', () => {
    const before = sampleCase({ assignee: streetTeam, tier: 'town' });
    const change = buildChange(before, next(before), { type: 'routed', actor: SYSTEM_ACTOR, at, count: ['routed'] });
    expect(change.counters).toHaveLength(5);
    expect(change.counters[4]).toEqual({
      scope: { kind: 'department', code: '441302010:urban-management' },
      day: '2026-10-09',
      counts: { routed: 1, 'routed@01': 1, 'routed@01-01': 1 },
    });
  });

  it('counts the district bureau apart from the street team', () => {
    const before = sampleCase({ assignee: bureau, tier: 'district' });
    const change = buildChange(before, next(before), { type: 'overdue', actor: SYSTEM_ACTOR, at, count: ['overdue'] });
    const departmentScopes = change.counters.filter((counter) => counter.scope.kind === 'department').map((counter) => counter.scope.code);
    expect(departmentScopes).toEqual(['441302:urban-management']);
  });

  it('adds no department counter when a unit or a person handles the case (a person gets a scorecard counter)', () => {
    for (const assignee of [station, person, undefined]) {
      const before = sampleCase({ assignee });
      const change = buildChange(before, next(before), { type: 'commented', actor: SYSTEM_ACTOR, at, count: ['handled'] });
      const kinds = change.counters.map((counter) => counter.scope.kind);
      expect(kinds).toEqual(['unit', 'unit', 'unit', 'unit', ...(assignee === person ? ['person'] : [])]);
    }
  });

  it("counts a person's approved extension on their scorecard counters (the on-time rate sets it apart)", () => {
    const before = sampleCase({ assignee: person });
    const change = buildChange(before, next(before), { type: 'extension_approved', actor: SYSTEM_ACTOR, at, count: ['extended'] });
    expect(change.counters.find((counter) => counter.scope.kind === 'person')).toMatchObject({
      scope: { kind: 'person', code: 'gw-ouyang-lingqiao' },
      counts: { extended: 1 },
    });
  });

  it('one fan-out for cases and patrols: a unit and every unit above it', () => {
    expect(unitCounters('441302010001', '2026-11-23', { patrols: 1 })).toEqual(
      ['441302', '441302010', '441302010001'].map((code) => ({ scope: { kind: 'unit', code }, day: '2026-11-23', counts: { patrols: 1 } })),
    );
  });

  it('counts several names at once, each per class and item', () => {
    const before = sampleCase({ itemCode: '02-03', classCode: '02' });
    const change = buildChange(before, next(before), { type: 'commented', actor: SYSTEM_ACTOR, at, count: ['handled', 'handledOnTime'] });
    expect(change.counters[0]?.counts).toEqual({
      handled: 1,
      'handled@02': 1,
      'handled@02-03': 1,
      handledOnTime: 1,
      'handledOnTime@02': 1,
      'handledOnTime@02-03': 1,
    });
  });

  it('counts on the Shanghai date of the change (00:30 on 10-10 is 10-10, though UTC still says 10-09)', () => {
    const before = sampleCase();
    const change = buildChange(before, next(before), {
      type: 'commented',
      actor: SYSTEM_ACTOR,
      at: parseLocal('2026-10-10 00:30'),
      count: ['reported'],
    });
    expect(change.counters.every((counter) => counter.day === '2026-10-10')).toBe(true);
  });

  it('has no counters when none are named', () => {
    const before = sampleCase({ assignee: streetTeam });
    expect(buildChange(before, next(before), { type: 'commented', actor: SYSTEM_ACTOR, at }).counters).toEqual([]);
    expect(buildChange(before, next(before), { type: 'commented', actor: SYSTEM_ACTOR, at, count: [] }).counters).toEqual([]);
    expect(countersFor(before, [], at)).toEqual([]);
  });
});

describe('teamCode and SYSTEM_ACTOR', () => {
  it('joins unit and department', () => {
    expect(teamCode('441302', 'urban-management')).toBe('441302:urban-management');
    expect(teamCode('441302010', 'water-affairs')).toBe('441302010:water-affairs');
  });

  it('the platform acts as the system', () => {
    expect(SYSTEM_ACTOR.role).toBe('system');
  });
});
