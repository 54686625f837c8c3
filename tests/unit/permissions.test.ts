import type { Caller } from '../../shared/auth/caller';
import { DomainError } from '../../shared/domain/errors';
import { ACTION_RULES, authorizeAction, canSeeEvent, isHandler } from '../../shared/domain/permissions';
import { ACTION_NAMES, type ActionName } from '../../shared/schemas/events';
import { ROLES, STAGES, type Assignee, type GridEvent, type Role, type Stage } from '../../shared/domain/types';

const HUICHENG = '441302';
const XIAOJINKOU = '441302010';
const JINYUAN = '441302010001';
const GRID_1 = '441302010001001';
const GRID_2 = '441302010001002';

// ---------------------------------------------------------------------------------------------------
// Callers

const caller = (role: Role, units: string[], sub = `${role}-1`, department?: string): Caller => ({
  sub,
  name: sub,
  role,
  units,
  ...(department ? { department } : {}),
});

const gridWorker = caller('grid_worker', [GRID_1], 'gw-ouyang-lingqiao');
const otherGridWorker = caller('grid_worker', [GRID_2], 'gw-441302010001002');
const station = caller('community_station', [JINYUAN], 'cs-jinyuan-duty');
const otherStation = caller('community_station', ['441302010002'], 'cs-other-duty');
const townCenter = caller('town_center', [XIAOJINKOU], 'tc-xiaojinkou-duty');
const otherTownCenter = caller('town_center', ['441302001'], 'tc-qiaodong-duty');
const districtCenter = caller('district_center', [HUICHENG], 'dc-huicheng-duty');
const leader = caller('leader', [HUICHENG], 'ld-zhang-wenzheng');
const supervisor = caller('supervisor', [HUICHENG], 'sv-huicheng-deputy');
const admin = caller('admin', [HUICHENG], 'ad-huicheng');
const streetTeamClerk = caller('department', [XIAOJINKOU], 'ds-urban-management-441302010', 'urban-management');
const bureauClerk = caller('department', [HUICHENG], 'ds-urban-management-441302', 'urban-management');
const otherStreetTeamClerk = caller('department', [XIAOJINKOU], 'ds-housing-construction-441302010', 'housing-construction');

// ---------------------------------------------------------------------------------------------------
// Assignees and events

const workerAssignee: Assignee = { type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: GRID_1 };
const stationAssignee: Assignee = { type: 'unit', id: JINYUAN, name: '金源社区网格站', unit: JINYUAN };
const townAssignee: Assignee = { type: 'unit', id: XIAOJINKOU, name: '小金口街道网格中心', unit: XIAOJINKOU };
const meetingAssignee: Assignee = { type: 'unit', id: HUICHENG, name: '惠城区跨部门联席会议', unit: HUICHENG };
const streetTeamAssignee: Assignee = { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: XIAOJINKOU };
const bureauAssignee: Assignee = { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: HUICHENG };

const STREET_TEAM = `${XIAOJINKOU}:urban-management`;
const BUREAU = `${HUICHENG}:urban-management`;

function gridEvent(overrides: Partial<GridEvent> = {}): GridEvent {
  return {
    id: 'E20261009-7K3M9Q',
    itemCode: '01-01',
    classCode: '01',
    gridCode: GRID_1,
    description: '金源路排水口堵塞，雨后积水',
    severity: 4,
    photos: [],
    source: 'grid_worker',
    reportedBy: { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' },
    status: 'open',
    stage: 'routed',
    tier: 'grid',
    assignee: workerAssignee,
    involvedDepartments: [],
    deadlineAt: '2026-10-10T16:00:00+08:00',
    overdue: false,
    overdueNudges: 0,
    needsAcceptance: false,
    routedAt: '2026-10-09T16:00:00+08:00',
    createdAt: '2026-10-09T16:00:00+08:00',
    updatedAt: '2026-10-09T16:00:00+08:00',
    version: 2,
    ...overrides,
  };
}

/** A resident's report waiting for the grid's worker or station to accept or void it. */
const residentReport = (overrides: Partial<GridEvent> = {}) =>
  gridEvent({
    source: 'citizen',
    reportedBy: { id: 'citizen', name: '居民', role: 'citizen' },
    stage: 'registered',
    tier: 'grid',
    assignee: undefined,
    routedAt: undefined,
    deadlineAt: '2026-10-10T09:00:00+08:00',
    needsAcceptance: true,
    version: 1,
    ...overrides,
  });

/** The DomainError authorizeAction throws, or undefined when it allows the action. */
function refusalOf(action: ActionName, who: Caller, event: GridEvent): DomainError | undefined {
  try {
    authorizeAction(action, who, event);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
}

const statusOf = (action: ActionName, who: Caller, event: GridEvent) => refusalOf(action, who, event)?.status;

// ---------------------------------------------------------------------------------------------------

describe('ACTION_RULES: the one table of actions', () => {
  it('has a rule for every action of the API, and no other', () => {
    expect(Object.keys(ACTION_RULES).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it('accept_report and void_report: grid worker or station, on a registered report, not handler-only', () => {
    for (const action of ['accept_report', 'void_report'] as const) {
      expect(ACTION_RULES[action]).toMatchObject({ roles: ['grid_worker', 'community_station'], stages: ['registered'], handlerOnly: false });
    }
  });

  it('complete: every handling role, routed or handling, the handler only', () => {
    expect(ACTION_RULES.complete).toMatchObject({
      roles: ['grid_worker', 'community_station', 'town_center', 'district_center', 'department', 'leader'],
      stages: ['routed', 'handling'],
      handlerOnly: true,
    });
  });
});

describe.each(['accept_report', 'void_report'] as const)('authorizeAction(%s)', (action) => {
  it('allows the grid’s worker and the community station', () => {
    expect(refusalOf(action, gridWorker, residentReport())).toBeUndefined();
    expect(refusalOf(action, station, residentReport())).toBeUndefined();
  });

  it.each([
    ['town_center', townCenter],
    ['district_center', districtCenter],
    ['leader', leader],
    ['supervisor', supervisor],
    ['admin', admin],
  ] as const)('refuses a %s in scope with 403', (_role, who) => {
    const error = refusalOf(action, who, residentReport());
    expect(error?.status).toBe(403);
    expect(error?.code).toBe('forbidden');
    expect(error?.message).toContain(`A ${who.role} may not ${action}; allowed: grid_worker, community_station`);
  });

  it('refuses a department that sees the case with 403 (role), and one that does not with 404', () => {
    expect(statusOf(action, streetTeamClerk, residentReport({ involvedDepartments: [STREET_TEAM] }))).toBe(403);
    expect(statusOf(action, streetTeamClerk, residentReport())).toBe(404);
  });

  it('refuses callers outside the case’s units with 404, before looking at their role', () => {
    expect(statusOf(action, otherGridWorker, residentReport())).toBe(404);
    expect(statusOf(action, otherStation, residentReport())).toBe(404);
    expect(statusOf(action, otherTownCenter, residentReport())).toBe(404);
    const error = refusalOf(action, otherGridWorker, residentReport());
    expect(error?.code).toBe('not_found');
    expect(error?.message).toBe('Event E20261009-7K3M9Q does not exist or is outside your units');
  });

  it.each(STAGES.filter((stage) => stage !== 'registered'))('refuses a case in stage %s with 409', (stage) => {
    const error = refusalOf(action, gridWorker, residentReport({ stage }));
    expect(error?.status).toBe(409);
    expect(error?.code).toBe('conflict');
    expect(error?.fields).toEqual([{ field: 'action', message: `not allowed in stage ${stage}` }]);
  });

  it('checks the role before the stage (a supervisor on a routed case is 403)', () => {
    expect(statusOf(action, supervisor, residentReport({ stage: 'routed' }))).toBe(403);
  });

  it('refuses a report that needs no acceptance (a worker’s own report) with 409', () => {
    const error = refusalOf(action, gridWorker, gridEvent({ stage: 'registered', needsAcceptance: false, assignee: undefined }));
    expect(error?.status).toBe(409);
    expect(error?.fields).toEqual([{ field: 'action', message: 'it was not a resident report waiting for acceptance' }]);
  });

  it('refuses a report already accepted with 409', () => {
    const error = refusalOf(action, station, residentReport({ acceptedAt: '2026-10-09T16:05:00+08:00' }));
    expect(error?.status).toBe(409);
    expect(error?.message).toContain('it was already accepted');
  });

  it('does not require the caller to be the handler (a report has none yet)', () => {
    expect(residentReport().assignee).toBeUndefined();
    expect(refusalOf(action, station, residentReport())).toBeUndefined();
  });
});

describe('authorizeAction(complete)', () => {
  it.each([
    ['the grid worker', gridWorker, gridEvent({ assignee: workerAssignee })],
    ['the community station', station, gridEvent({ tier: 'community', assignee: stationAssignee })],
    ['the town center', townCenter, gridEvent({ tier: 'town', assignee: townAssignee })],
    ['the street team', streetTeamClerk, gridEvent({ tier: 'town', assignee: streetTeamAssignee, involvedDepartments: [STREET_TEAM] })],
    ['the district bureau', bureauClerk, gridEvent({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [STREET_TEAM, BUREAU] })],
    ['the district center (joint meeting)', districtCenter, gridEvent({ tier: 'joint_meeting', assignee: meetingAssignee })],
    ['the leader (through train)', leader, gridEvent({ tier: 'through_train', assignee: { ...meetingAssignee, name: '惠城区直通车（区领导）' } })],
  ] as const)('allows %s as the handler', (_label, who, event) => {
    expect(refusalOf('complete', who, event)).toBeUndefined();
    expect(refusalOf('complete', who, { ...event, stage: 'handling' })).toBeUndefined();
  });

  it.each(STAGES.filter((stage) => stage !== 'routed' && stage !== 'handling'))('refuses the handler in stage %s with 409', (stage) => {
    const error = refusalOf('complete', gridWorker, gridEvent({ stage }));
    expect(error?.status).toBe(409);
    expect(error?.message).toBe(`Event E20261009-7K3M9Q is ${stage}; complete needs it to be routed or handling`);
  });

  it.each([
    ['supervisor', supervisor],
    ['admin', admin],
  ] as const)('refuses a %s with 403 (wrong role)', (_role, who) => {
    expect(statusOf('complete', who, gridEvent())).toBe(403);
  });

  it('refuses anyone but the handler with 403, naming the handler', () => {
    const error = refusalOf('complete', station, gridEvent({ assignee: workerAssignee }));
    expect(error?.status).toBe(403);
    expect(error?.message).toBe("Only the case's handler (欧阳玲巧) may complete");
  });

  it('refuses a second worker of the same grid: the handler is a person', () => {
    const colleague = caller('grid_worker', [GRID_1], 'gw-substitute');
    expect(statusOf('complete', colleague, gridEvent({ assignee: workerAssignee }))).toBe(403);
  });

  it('refuses the station when the town center handles the case, and the town center when the station does', () => {
    expect(statusOf('complete', station, gridEvent({ tier: 'town', assignee: townAssignee }))).toBe(403);
    expect(statusOf('complete', townCenter, gridEvent({ tier: 'community', assignee: stationAssignee }))).toBe(403);
  });

  it('refuses the town center on a joint-meeting case', () => {
    expect(statusOf('complete', townCenter, gridEvent({ tier: 'joint_meeting', assignee: meetingAssignee }))).toBe(403);
  });

  it('refuses the district bureau on the street team’s case (403 when it sees it, 404 when it does not)', () => {
    expect(statusOf('complete', bureauClerk, gridEvent({ tier: 'town', assignee: streetTeamAssignee, involvedDepartments: [STREET_TEAM, BUREAU] }))).toBe(403);
    expect(statusOf('complete', bureauClerk, gridEvent({ tier: 'town', assignee: streetTeamAssignee, involvedDepartments: [STREET_TEAM] }))).toBe(404);
  });

  it('refuses another department’s street team with 404: it never handled the case', () => {
    expect(statusOf('complete', otherStreetTeamClerk, gridEvent({ tier: 'town', assignee: streetTeamAssignee, involvedDepartments: [STREET_TEAM] }))).toBe(404);
  });

  it('refuses everyone when the case has no handler yet, saying so', () => {
    const error = refusalOf('complete', gridWorker, gridEvent({ assignee: undefined }));
    expect(error?.status).toBe(403);
    expect(error?.message).toContain('(none yet)');
  });
});

describe('isHandler', () => {
  it('is false without an assignee', () => {
    expect(isHandler(gridWorker, undefined)).toBe(false);
  });

  it('person: the caller whose subject is the assignee', () => {
    expect(isHandler(gridWorker, workerAssignee)).toBe(true);
    expect(isHandler(otherGridWorker, workerAssignee)).toBe(false);
    expect(isHandler({ ...station, sub: 'gw-ouyang-lingqiao' }, workerAssignee)).toBe(true);
  });

  it('unit: a caller of the unit’s role whose units name exactly that unit', () => {
    expect(isHandler(station, stationAssignee)).toBe(true);
    expect(isHandler(townCenter, townAssignee)).toBe(true);
    expect(isHandler(districtCenter, meetingAssignee)).toBe(true);
    expect(isHandler(leader, meetingAssignee)).toBe(true);
  });

  it('unit: not a caller of another level’s role, even one whose units cover the unit', () => {
    expect(isHandler(townCenter, stationAssignee)).toBe(false);
    expect(isHandler(districtCenter, stationAssignee)).toBe(false);
    expect(isHandler(districtCenter, townAssignee)).toBe(false);
    expect(isHandler(leader, townAssignee)).toBe(false);
    expect(isHandler(station, townAssignee)).toBe(false);
    expect(isHandler(supervisor, meetingAssignee)).toBe(false);
    expect(isHandler(admin, meetingAssignee)).toBe(false);
  });

  it('unit: not the right role of another unit of the same level', () => {
    expect(isHandler(otherStation, stationAssignee)).toBe(false);
    expect(isHandler(otherTownCenter, townAssignee)).toBe(false);
  });

  it('department: the department’s staff at the assignee’s unit', () => {
    expect(isHandler(streetTeamClerk, streetTeamAssignee)).toBe(true);
    expect(isHandler(bureauClerk, bureauAssignee)).toBe(true);
  });

  it('department: a street team’s case is not the district bureau’s, nor the other way round', () => {
    expect(isHandler(bureauClerk, streetTeamAssignee)).toBe(false);
    expect(isHandler(streetTeamClerk, bureauAssignee)).toBe(false);
  });

  it('department: not another department, and not a non-department role at that unit', () => {
    expect(isHandler(otherStreetTeamClerk, streetTeamAssignee)).toBe(false);
    expect(isHandler({ ...townCenter, department: 'urban-management' }, streetTeamAssignee)).toBe(false);
  });
});

describe('canSeeEvent', () => {
  it.each([
    ['the grid’s worker', gridWorker, true],
    ['another grid’s worker', otherGridWorker, false],
    ['the community station', station, true],
    ['another community’s station', otherStation, false],
    ['the town center', townCenter, true],
    ['another town’s center', otherTownCenter, false],
    ['the district center', districtCenter, true],
    ['the leader', leader, true],
    ['the supervisor', supervisor, true],
  ] as const)('non-department callers see by unit scope: %s → %s', (_label, who, visible) => {
    expect(canSeeEvent(who, gridEvent())).toBe(visible);
  });

  it('department staff see only cases their team handles or handled (involvedDepartments)', () => {
    expect(canSeeEvent(streetTeamClerk, gridEvent())).toBe(false);
    expect(canSeeEvent(streetTeamClerk, gridEvent({ involvedDepartments: [STREET_TEAM] }))).toBe(true);
    expect(canSeeEvent(otherStreetTeamClerk, gridEvent({ involvedDepartments: [STREET_TEAM] }))).toBe(false);
  });

  it('a street team’s case is not visible to the district bureau until the bureau is involved', () => {
    expect(canSeeEvent(bureauClerk, gridEvent({ involvedDepartments: [STREET_TEAM] }))).toBe(false);
    expect(canSeeEvent(bureauClerk, gridEvent({ involvedDepartments: [STREET_TEAM, BUREAU] }))).toBe(true);
    expect(canSeeEvent(streetTeamClerk, gridEvent({ involvedDepartments: [BUREAU] }))).toBe(false);
  });

  it('a department caller of several units sees the cases of each of its teams', () => {
    const both = caller('department', [HUICHENG, XIAOJINKOU], 'dh-urban-management', 'urban-management');
    expect(canSeeEvent(both, gridEvent({ involvedDepartments: [STREET_TEAM] }))).toBe(true);
    expect(canSeeEvent(both, gridEvent({ involvedDepartments: [BUREAU] }))).toBe(true);
  });

  it('keeps seeing a case after it moved on from the department', () => {
    const escalated = gridEvent({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [STREET_TEAM, BUREAU] });
    expect(canSeeEvent(streetTeamClerk, escalated)).toBe(true);
  });
});

describe('every role is covered by the rules table', () => {
  it('each role may do at least one action, except supervisor and admin', () => {
    const acting = (role: Role) => (Object.keys(ACTION_RULES) as ActionName[]).some((action) => ACTION_RULES[action].roles.includes(role));
    expect(ROLES.filter((role) => !acting(role))).toEqual(['supervisor', 'admin']);
  });

  it('each rule names only real stages', () => {
    for (const rule of Object.values(ACTION_RULES)) {
      for (const stage of rule.stages) expect(STAGES).toContain<Stage>(stage);
    }
  });
});
