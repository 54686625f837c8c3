/**
 * The who-may-do-what table (shared/domain/permissions.ts), row by row: for every action, each allowed
 * role passes on a case in the right stage and state; a wrong role is 403, a caller outside the case's
 * units 404, a wrong stage 409, each refusal 409 with its reason; handler-only actions refuse others
 * (403) and tell a previous handler the case moved on (409); center and approver rows per tier.
 */
import type { Caller } from '../../shared/domain/caller';
import { DomainError } from '../../shared/domain/errors';
import { ACTION_RULES, authorizeAction, canSeeCase, EXTENSION_APPROVER, isHandler, type Who } from '../../shared/domain/permissions';
import { ACTION_NAMES, type ActionName } from '../../shared/domain/actions';
import {
  ROLES,
  STAGES,
  TIERS,
  type Assignee,
  type CaseClock,
  type ClockKind,
  type Case,
  type Role,
  type Stage,
  type Tier,
} from '../../shared/domain/types';

const HUICHENG = '441302';
const XIAOJINKOU = '441302010';
const JINYUAN = '441302010001';
const GRID_1 = '441302010001001';
const GRID_2 = '441302010001002';
const EVENT_ID = 'E20261009-7K3M9Q';

// ---------------------------------------------------------------------------------------------------
// Callers

const caller = (role: Role, units: string[], person = `${role}-1`, department?: string): Caller => ({
  person,
  // Cognito's subject: a UUID-like account id unlike the person id, which decides nothing.
  sub: `sub-of-${person}`,
  name: person,
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
const otherDistrictCenter = caller('district_center', ['441303'], 'dc-huiyang-duty');
const leader = caller('leader', [HUICHENG], 'ld-zhang-wenzheng');
const otherLeader = caller('leader', ['441303'], 'ld-huiyang');
const supervisor = caller('supervisor', [HUICHENG], 'sv-huicheng-deputy');
const otherSupervisor = caller('supervisor', ['441303'], 'sv-huiyang-deputy');
const admin = caller('admin', [HUICHENG], 'ad-huicheng');
const otherAdmin = caller('admin', ['441303'], 'ad-huiyang');
const streetTeamClerk = caller('department', [XIAOJINKOU], 'ds-urban-management-441302010', 'urban-management');
const bureauClerk = caller('department', [HUICHENG], 'ds-urban-management-441302', 'urban-management');
const otherStreetTeamClerk = caller('department', [XIAOJINKOU], 'ds-housing-construction-441302010', 'housing-construction');

/** A caller of each role whose units cover the sample case (a department: once its street team is involved). */
const IN_SCOPE: Record<Role, Caller> = {
  grid_worker: gridWorker,
  community_station: station,
  town_center: townCenter,
  district_center: districtCenter,
  department: streetTeamClerk,
  supervisor,
  leader,
  admin,
};

/** A caller of each role who does not see the sample case. */
const OUT_OF_SCOPE: Record<Role, Caller> = {
  grid_worker: otherGridWorker,
  community_station: otherStation,
  town_center: otherTownCenter,
  district_center: otherDistrictCenter,
  department: otherStreetTeamClerk,
  supervisor: otherSupervisor,
  leader: otherLeader,
  admin: otherAdmin,
};

// ---------------------------------------------------------------------------------------------------
// Assignees, clocks and events

const workerAssignee: Assignee = { type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: GRID_1 };
const stationAssignee: Assignee = { type: 'unit', id: JINYUAN, name: '金源社区网格站', unit: JINYUAN };
const townAssignee: Assignee = { type: 'unit', id: XIAOJINKOU, name: '小金口街道网格中心', unit: XIAOJINKOU };
const districtCenterAssignee: Assignee = { type: 'unit', id: HUICHENG, name: '惠城区网格中心', unit: HUICHENG };
const meetingAssignee: Assignee = { type: 'unit', id: HUICHENG, name: '惠城区跨部门联席会议', unit: HUICHENG };
const throughTrainAssignee: Assignee = { type: 'unit', id: HUICHENG, name: '惠城区直通车（区领导）', unit: HUICHENG };
const streetTeamAssignee: Assignee = { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: XIAOJINKOU };
const bureauAssignee: Assignee = { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: HUICHENG };

const STREET_TEAM = `${XIAOJINKOU}:urban-management`;
const BUREAU = `${HUICHENG}:urban-management`;

const clock = (kind: ClockKind, overrides: Partial<CaseClock> = {}): CaseClock => ({
  kind,
  startedAt: '2026-10-09T16:00:00+08:00',
  deadlineAt: '2026-10-10T16:00:00+08:00',
  reminders: 0,
  nudges: 0,
  ...overrides,
});

/** A level-4 drain case with the grid's worker, on its handling clock. */
function sampleCase(overrides: Partial<Case> = {}): Case {
  return {
    id: EVENT_ID,
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
    clock: clock('handling'),
    deadlineAt: '2026-10-10T16:00:00+08:00',
    overdue: false,
    needsAcceptance: false,
    routedAt: '2026-10-09T16:00:00+08:00',
    createdAt: '2026-10-09T16:00:00+08:00',
    updatedAt: '2026-10-09T16:00:00+08:00',
    version: 2,
    ...overrides,
  };
}

/** A resident's report waiting for the grid's worker or station to accept or void it. */
const residentReport = (overrides: Partial<Case> = {}) =>
  sampleCase({
    source: 'citizen',
    reportedBy: { id: 'citizen', name: '居民', role: 'citizen' },
    stage: 'registered',
    tier: 'grid',
    assignee: undefined,
    routedAt: undefined,
    clock: clock('acceptance', { deadlineAt: '2026-10-09T18:00:00+08:00' }),
    deadlineAt: '2026-10-09T18:00:00+08:00',
    needsAcceptance: true,
    version: 1,
    ...overrides,
  });

/** The case as each handling role has it: the worker, the station, the street center, the street team, the district unit (through train). */
const handledBy = {
  grid_worker: () => sampleCase(),
  community_station: () => sampleCase({ tier: 'community', assignee: stationAssignee }),
  town_center: () => sampleCase({ tier: 'town', assignee: townAssignee }),
  department: () => sampleCase({ tier: 'town', assignee: streetTeamAssignee, involvedDepartments: [STREET_TEAM] }),
  district_center: () => sampleCase({ tier: 'through_train', severity: 1, assignee: throughTrainAssignee }),
  leader: () => sampleCase({ tier: 'through_train', severity: 1, assignee: throughTrainAssignee }),
};

/** A person a center assigned (交办) at the district tier: the district center's duty officer or the leader. */
const districtPerson = (who: Caller) =>
  sampleCase({ tier: 'district', assignee: { type: 'person', id: who.person, name: who.name, unit: HUICHENG } });

/** A town-tier case the street center holds for dispatch; a district-tier case the district center holds. */
const townDispatch = () => sampleCase({ tier: 'town', assignee: townAssignee, clock: clock('dispatch') });
const districtDispatch = () =>
  sampleCase({ tier: 'district', assignee: districtCenterAssignee, clock: clock('dispatch'), involvedDepartments: [STREET_TEAM] });

/** A case waiting for a joint meeting to be convened, one convened, one decided. */
const meetingToConvene = () => sampleCase({ tier: 'joint_meeting', assignee: meetingAssignee, clock: clock('convene') });
const meeting = {
  at: '2026-10-12T09:00:00+08:00',
  departments: ['urban-management', 'housing-construction'],
  convenedAt: '2026-10-10T09:00:00+08:00',
};
const meetingConvened = () => sampleCase({ tier: 'joint_meeting', assignee: meetingAssignee, clock: clock('meeting'), meeting });
const decision = {
  lead: 'housing-construction',
  helpers: [],
  deadlineAt: '2026-10-20T17:30:00+08:00',
  minutes: '住建牵头',
  recordedAt: '2026-10-12T10:00:00+08:00',
};

/** A district-level case the bureau completed, waiting for the district center to verify it on site. */
const verifying = () =>
  sampleCase({
    tier: 'district',
    stage: 'verifying',
    assignee: bureauAssignee,
    involvedDepartments: [STREET_TEAM, BUREAU],
    clock: clock('verification'),
    handledAt: '2026-10-10T10:00:00+08:00',
  });

/** Fed back to the reporter, who may rate it. */
const fedBack = () =>
  sampleCase({
    stage: 'feedback',
    clock: clock('rating'),
    fedBackAt: '2026-10-10T10:00:00+08:00',
    handledAt: '2026-10-10T09:00:00+08:00',
    reporter: { phone: '13000009999' },
  });

const extensionRequest = (status: 'requested' | 'approved' | 'rejected' = 'requested') => ({
  status,
  until: '2026-10-11T16:00:00+08:00',
  reason: '需等待配件',
  requestedBy: { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' as const },
  requestedAt: '2026-10-10T09:00:00+08:00',
});

/** The DomainError authorizeAction throws, or undefined when it allows the action. */
function refusalOf(action: ActionName, who: Caller, event: Case): DomainError | undefined {
  try {
    authorizeAction(action, who, event);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
}

const statusOf = (action: ActionName, who: Caller, event: Case) => refusalOf(action, who, event)?.status;

/** Fails with the refusal's message when the action is refused, so a wrong fixture says why. */
function expectAllowed(action: ActionName, who: Caller, event: Case) {
  const refusal = refusalOf(action, who, event);
  expect(refusal === undefined ? 'allowed' : `${refusal.status} ${refusal.message}`).toBe('allowed');
}

// ---------------------------------------------------------------------------------------------------
// The table, row by row

const HANDLER_ROLES: Role[] = ['grid_worker', 'community_station', 'town_center', 'district_center', 'department', 'leader'];
const ASSIGNED: Stage[] = ['routed', 'handling'];
const OPEN_STAGES: Stage[] = ['registered', 'routed', 'handling', 'verifying'];

type Refusal = [label: string, event: Case, reason: string, who?: Caller];

interface ActionSpec {
  /** The row as the README prints it. */
  roles: Role[];
  stages: Stage[];
  who: Who;
  wakes: boolean;
  /** A caller of each allowed role, with a case in the right stage and state where it may act. */
  allowed: [Caller, Case][];
  /** More cases where the action applies (edges of the refusals). */
  alsoAllowed?: [label: string, who: Caller, event: Case][];
  /** Each `refuse` condition: a case it refuses (for the first allowed caller unless given) and the reason. */
  refusals: Refusal[];
}

/** What unlessHandling refuses: every clock but the handling clock, and none at all. */
const notHandling = (base: () => Case, who?: Caller): Refusal[] => [
  ['a case waiting for dispatch', { ...base(), clock: clock('dispatch') }, 'it waits for its center to dispatch it', who],
  ['a case waiting for a joint meeting to be convened', { ...base(), clock: clock('convene') }, 'it waits for a joint meeting', who],
  ['a case waiting for a joint meeting’s decision', { ...base(), clock: clock('meeting') }, 'it waits for a joint meeting', who],
  ['a case without a clock', { ...base(), clock: undefined }, 'it is not being handled', who],
  ...(['acceptance', 'verification', 'rating'] as const).map(
    (kind): Refusal => [`a case on the ${kind} clock`, { ...base(), clock: clock(kind) }, 'it is not being handled', who],
  ),
];

const everyHandler: [Caller, Case][] = [
  [gridWorker, handledBy.grid_worker()],
  [station, handledBy.community_station()],
  [townCenter, handledBy.town_center()],
  [districtCenter, handledBy.district_center()],
  [streetTeamClerk, handledBy.department()],
  [leader, handledBy.leader()],
];

const handlerEdges: [string, Caller, Case][] = [
  [
    'the district bureau at the district tier',
    bureauClerk,
    sampleCase({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [STREET_TEAM, BUREAU] }),
  ],
  [
    'the lead department after a joint meeting',
    bureauClerk,
    sampleCase({ tier: 'joint_meeting', assignee: bureauAssignee, involvedDepartments: [BUREAU], meeting: { ...meeting, decision } }),
  ],
  ['a person the district center assigned', leader, districtPerson(leader)],
  [
    'an overdue through-train case (its clock keeps nudging)',
    leader,
    { ...handledBy.leader(), overdue: true, clock: clock('handling', { expired: true, nudges: 1 }) },
  ],
];

const withExtension = (event: Case, status?: 'requested' | 'approved' | 'rejected'): Case => ({
  ...event,
  extension: status ? extensionRequest(status) : undefined,
});

const SPECS: Record<ActionName, ActionSpec> = {
  accept_report: {
    roles: ['grid_worker', 'community_station'],
    stages: ['registered'],
    who: 'in_scope',
    wakes: true,
    allowed: [
      [gridWorker, residentReport()],
      [station, residentReport()],
    ],
    alsoAllowed: [
      [
        'a report whose acceptance deadline passed',
        station,
        residentReport({ overdue: true, clock: clock('acceptance', { expired: true, nudges: 2 }) }),
      ],
    ],
    refusals: [
      [
        'a worker’s own report',
        sampleCase({ stage: 'registered', assignee: undefined, clock: undefined }),
        'it was not a resident report waiting for acceptance',
      ],
      [
        'a report already accepted',
        residentReport({ acceptedAt: '2026-10-09T16:05:00+08:00', clock: undefined }),
        'it was already accepted',
      ],
    ],
  },
  void_report: {
    roles: ['grid_worker', 'community_station'],
    stages: ['registered'],
    who: 'in_scope',
    wakes: true,
    allowed: [
      [gridWorker, residentReport()],
      [station, residentReport()],
    ],
    refusals: [
      [
        'a worker’s own report',
        sampleCase({ stage: 'registered', assignee: undefined, clock: undefined }),
        'it was not a resident report waiting for acceptance',
      ],
      [
        'a report already accepted',
        residentReport({ acceptedAt: '2026-10-09T16:05:00+08:00', clock: undefined }),
        'it was already accepted',
      ],
    ],
  },
  acknowledge: {
    roles: HANDLER_ROLES,
    stages: ['routed'],
    who: 'handler',
    wakes: false,
    allowed: everyHandler,
    alsoAllowed: handlerEdges,
    refusals: notHandling(() => sampleCase()),
  },
  complete: {
    roles: HANDLER_ROLES,
    stages: ['routed', 'handling'],
    who: 'handler',
    wakes: true,
    allowed: everyHandler,
    alsoAllowed: handlerEdges,
    refusals: notHandling(() => sampleCase()),
  },
  assign: {
    roles: ['town_center', 'district_center'],
    stages: ASSIGNED,
    who: 'center',
    wakes: true,
    allowed: [
      [townCenter, townDispatch()],
      [districtCenter, districtDispatch()],
    ],
    alsoAllowed: [
      ['a reassignment of a case the street team handles', townCenter, handledBy.department()],
      [
        'a reassignment of a case the district bureau handles',
        districtCenter,
        sampleCase({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [BUREAU] }),
      ],
    ],
    refusals: [
      ['a grid case', sampleCase(), 'a grid case is not dispatched by a center'],
      ['a community case', handledBy.community_station(), 'a community case is not dispatched by a center'],
      ['a joint-meeting case', meetingToConvene(), 'a joint_meeting case is not dispatched by a center', districtCenter],
      ['a through-train case', handledBy.leader(), 'a through_train case is not dispatched by a center', districtCenter],
    ],
  },
  return: {
    roles: ['department'],
    stages: ASSIGNED,
    who: 'handler',
    wakes: true,
    allowed: [[streetTeamClerk, handledBy.department()]],
    alsoAllowed: [handlerEdges[0]!],
    refusals: [
      ...notHandling(() => handledBy.department()),
      [
        'a joint meeting’s lead department',
        handlerEdges[1]![2],
        'a joint_meeting case is not returned; its lead reports it up (escalate) instead',
        bureauClerk,
      ],
      ...(['grid', 'community', 'through_train'] as const).map(
        (tier): Refusal => [
          `a ${tier} case`,
          { ...handledBy.department(), tier },
          `a ${tier} case is not returned; its lead reports it up (escalate) instead`,
        ],
      ),
    ],
  },
  escalate: {
    roles: HANDLER_ROLES,
    stages: ASSIGNED,
    who: 'handler',
    wakes: true,
    allowed: [
      [gridWorker, handledBy.grid_worker()],
      [station, handledBy.community_station()],
      [townCenter, handledBy.town_center()],
      [districtCenter, districtPerson(districtCenter)],
      [streetTeamClerk, handledBy.department()],
      [leader, districtPerson(leader)],
    ],
    alsoAllowed: [handlerEdges[0]!, handlerEdges[1]!],
    refusals: [
      ['a through-train case', handledBy.leader(), 'it is already at the top of the ladder', leader],
      [
        'a through-train case even off its handling clock',
        { ...handledBy.leader(), clock: undefined },
        'it is already at the top of the ladder',
        leader,
      ],
      ...notHandling(() => sampleCase()),
    ],
  },
  request_extension: {
    roles: HANDLER_ROLES,
    stages: ASSIGNED,
    who: 'handler',
    wakes: false,
    allowed: everyHandler,
    alsoAllowed: [...handlerEdges, ['after a rejected request', gridWorker, withExtension(sampleCase(), 'rejected')]],
    refusals: [
      ['a pending request', withExtension(sampleCase(), 'requested'), 'an extension request is already pending'],
      ['an approved extension', withExtension(sampleCase(), 'approved'), 'the one extension was already approved'],
      ...notHandling(() => sampleCase()),
    ],
  },
  approve_extension: {
    roles: ['community_station', 'town_center', 'district_center', 'leader'],
    stages: ASSIGNED,
    who: 'approver',
    wakes: true,
    allowed: [
      [station, withExtension(sampleCase(), 'requested')],
      [townCenter, withExtension(handledBy.community_station(), 'requested')],
      [
        districtCenter,
        withExtension(sampleCase({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [BUREAU] }), 'requested'),
      ],
      [leader, withExtension(handledBy.leader(), 'requested')],
    ],
    alsoAllowed: [
      ['the street center for its team', townCenter, withExtension(handledBy.department(), 'requested')],
      ['the district center for a meeting’s lead', districtCenter, withExtension(handlerEdges[1]![2], 'requested')],
    ],
    refusals: [
      ['no request', sampleCase(), 'no extension request is pending'],
      ['an approved request', withExtension(sampleCase(), 'approved'), 'no extension request is pending'],
      ['a rejected request', withExtension(sampleCase(), 'rejected'), 'no extension request is pending'],
    ],
  },
  reject_extension: {
    roles: ['community_station', 'town_center', 'district_center', 'leader'],
    stages: ASSIGNED,
    who: 'approver',
    wakes: false,
    allowed: [
      [station, withExtension(sampleCase(), 'requested')],
      [townCenter, withExtension(handledBy.community_station(), 'requested')],
      [
        districtCenter,
        withExtension(sampleCase({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [BUREAU] }), 'requested'),
      ],
      [leader, withExtension(handledBy.leader(), 'requested')],
    ],
    refusals: [
      ['no request', sampleCase(), 'no extension request is pending'],
      ['an approved request', withExtension(sampleCase(), 'approved'), 'no extension request is pending'],
      ['a rejected request', withExtension(sampleCase(), 'rejected'), 'no extension request is pending'],
    ],
  },
  verify_pass: {
    roles: ['district_center'],
    stages: ['verifying'],
    who: 'in_scope',
    wakes: true,
    allowed: [[districtCenter, verifying()]],
    alsoAllowed: [['after the verification deadline', districtCenter, { ...verifying(), clock: clock('verification', { expired: true }) }]],
    refusals: [],
  },
  verify_fail: {
    roles: ['district_center'],
    stages: ['verifying'],
    who: 'in_scope',
    wakes: true,
    allowed: [[districtCenter, verifying()]],
    alsoAllowed: [['a second failure', districtCenter, { ...verifying(), verifyFailures: 1 }]],
    refusals: [],
  },
  convene_meeting: {
    roles: ['district_center'],
    stages: ASSIGNED,
    who: 'in_scope',
    wakes: true,
    allowed: [[districtCenter, meetingToConvene()]],
    alsoAllowed: [['after the convene deadline', districtCenter, { ...meetingToConvene(), clock: clock('convene', { expired: true }) }]],
    refusals: [
      ['a district case', districtDispatch(), 'it is not waiting for a joint meeting'],
      ['a grid case', sampleCase(), 'it is not waiting for a joint meeting'],
      ['a convened meeting', meetingConvened(), 'the meeting is already convened'],
      ['a decided meeting (its lead handles the case)', handlerEdges[1]![2], 'the meeting is already convened'],
    ],
  },
  record_meeting_decision: {
    roles: ['district_center'],
    stages: ASSIGNED,
    who: 'in_scope',
    wakes: true,
    allowed: [[districtCenter, meetingConvened()]],
    refusals: [
      ['a district case', districtDispatch(), 'no joint meeting is convened for it'],
      ['a meeting not yet convened', meetingToConvene(), 'no joint meeting is convened for it'],
      ['a meeting of an earlier tier, left on the case', sampleCase({ tier: 'district', meeting }), 'no joint meeting is convened for it'],
      ['a decided meeting', { ...meetingConvened(), meeting: { ...meeting, decision } }, 'the meeting already decided'],
    ],
  },
  through_train: {
    roles: ['leader', 'district_center'],
    stages: OPEN_STAGES,
    who: 'in_scope',
    wakes: true,
    allowed: [
      [leader, sampleCase()],
      [districtCenter, sampleCase()],
    ],
    alsoAllowed: [
      ['a level-1 resident report still waiting for acceptance', leader, residentReport({ severity: 1, tier: 'through_train' })],
      ['a case waiting for verification', districtCenter, verifying()],
      ['a joint meeting that was not convened', districtCenter, meetingToConvene()],
    ],
    refusals: [
      ['a through-train case', handledBy.leader(), 'it is already on the through train'],
      ['a through-train case being handled', { ...handledBy.leader(), stage: 'handling' }, 'it is already on the through train'],
    ],
  },
  nudge: {
    roles: ['supervisor', 'leader', 'district_center'],
    stages: ['routed', 'handling', 'verifying'],
    who: 'in_scope',
    wakes: false,
    allowed: [
      [supervisor, sampleCase()],
      [leader, sampleCase()],
      [districtCenter, sampleCase()],
    ],
    refusals: [],
  },
  invite_department: {
    roles: ['supervisor', 'leader'],
    stages: OPEN_STAGES,
    who: 'in_scope',
    wakes: false,
    allowed: [
      [supervisor, sampleCase()],
      [leader, sampleCase()],
    ],
    refusals: [],
  },
  evaluate: {
    roles: ['supervisor'],
    stages: ['registered', 'routed', 'handling', 'verifying', 'feedback', 'archived'],
    who: 'in_scope',
    wakes: false,
    allowed: [[supervisor, sampleCase()]],
    refusals: [],
  },
  rate: {
    roles: ['grid_worker', 'community_station'],
    stages: ['feedback'],
    who: 'in_scope',
    wakes: true,
    allowed: [
      [gridWorker, fedBack()],
      [station, fedBack()],
    ],
    alsoAllowed: [['after the rating window (not yet archived)', station, { ...fedBack(), clock: undefined }]],
    refusals: [
      [
        'a case already rated',
        { ...fedBack(), rating: { score: 5, at: '2026-10-10T11:00:00+08:00', by: 'reporter' } },
        'it was already rated',
      ],
      [
        'a case whose reporter was not told yet',
        { ...fedBack(), fedBackAt: undefined, clock: undefined },
        'the reporter has not been told yet',
      ],
    ],
  },
  comment: {
    roles: [...ROLES],
    stages: [...STAGES],
    who: 'in_scope',
    wakes: false,
    allowed: ROLES.map((role): [Caller, Case] => [IN_SCOPE[role], sampleCase({ involvedDepartments: [STREET_TEAM] })]),
    refusals: [],
  },
  link_duplicate: {
    roles: ['grid_worker', 'community_station', 'town_center', 'district_center'],
    stages: ['registered', 'routed', 'handling'],
    who: 'in_scope',
    wakes: true,
    allowed: [
      [gridWorker, residentReport()],
      [station, residentReport()],
      [townCenter, sampleCase()],
      [districtCenter, sampleCase()],
    ],
    refusals: [],
  },
};

const ACTIONS = Object.keys(ACTION_RULES) as ActionName[];

describe('ACTION_RULES: the one table of actions', () => {
  it('has a rule for every action of the API, and no other', () => {
    expect(Object.keys(ACTION_RULES).sort()).toEqual([...ACTION_NAMES].sort());
    expect(ACTIONS).toHaveLength(21);
  });

  it('every row is tested here: a new row without a spec fails', () => {
    expect(Object.keys(SPECS).sort()).toEqual(Object.keys(ACTION_RULES).sort());
  });

  it('each rule names only real roles and stages', () => {
    for (const rule of Object.values(ACTION_RULES)) {
      for (const role of rule.roles) expect(ROLES).toContain<Role>(role);
      for (const stage of rule.stages) expect(STAGES).toContain<Stage>(stage);
      expect(rule.summary.length).toBeGreaterThan(0);
    }
  });

  it('each role may do at least one action (every one may comment)', () => {
    const acting = (role: Role) => ACTIONS.some((action) => ACTION_RULES[action].roles.includes(role));
    expect(ROLES.filter((role) => !acting(role))).toEqual([]);
  });

  it('the handler-only, center and approver actions', () => {
    const withWho = (who: Who) => ACTIONS.filter((action) => ACTION_RULES[action].who === who).sort();
    expect(withWho('handler')).toEqual(['acknowledge', 'complete', 'escalate', 'request_extension', 'return']);
    expect(withWho('center')).toEqual(['assign']);
    expect(withWho('approver')).toEqual(['approve_extension', 'reject_extension']);
  });
});

describe.each(ACTIONS)('authorizeAction(%s)', (action) => {
  const rule = ACTION_RULES[action];
  const spec = SPECS[action];
  const [firstCaller, firstEvent] = spec.allowed[0]!;
  /** The sample case, seen by the street team too (so a department is refused for its role, not its scope). */
  const visibleToAll = (event: Case): Case => ({
    ...event,
    involvedDepartments: [...new Set([...event.involvedDepartments, STREET_TEAM])],
  });

  it('reads as the README’s table: roles, stages, who, whether it wakes the workflow', () => {
    expect({ roles: rule.roles, stages: rule.stages, who: rule.who, wakes: rule.wakes }).toEqual({
      roles: spec.roles,
      stages: spec.stages,
      who: spec.who,
      wakes: spec.wakes,
    });
  });

  it('the spec has an allowed caller of every role of the row, and a refusal for its refuse rule if it has one', () => {
    expect([...new Set(spec.allowed.map(([who]) => who.role))].sort()).toEqual([...rule.roles].sort());
    expect(spec.refusals.length > 0).toBe(rule.refuse !== undefined);
  });

  it.each(spec.allowed.map(([who, event]) => [who.role, who, event] as const))(
    'allows a %s on a case in the right stage and state',
    (_role, who, event) => {
      expectAllowed(action, who, event);
    },
  );

  if (spec.alsoAllowed) {
    it.each(spec.alsoAllowed)('allows %s', (_label, who, event) => {
      expectAllowed(action, who, event);
    });
  }

  it.each([...rule.stages])('allows it in stage %s', (stage) => {
    expectAllowed(action, firstCaller, { ...firstEvent, stage });
  });

  const wrongRoles = ROLES.filter((role) => !rule.roles.includes(role));
  if (wrongRoles.length > 0) {
    it.each(wrongRoles)('refuses a %s in scope with 403, naming the roles allowed', (role) => {
      const error = refusalOf(action, IN_SCOPE[role], visibleToAll(firstEvent));
      expect(error?.status).toBe(403);
      expect(error?.code).toBe('forbidden');
      expect(error?.message).toBe(`A ${role} may not ${action}; allowed: ${rule.roles.join(', ')}`);
    });
  }

  it.each(spec.allowed.map(([who, event]) => [who.role, event] as const))(
    'refuses a %s outside the case’s units with 404, whatever the case',
    (role, event) => {
      const error = refusalOf(action, OUT_OF_SCOPE[role], event);
      expect(error?.status).toBe(404);
      expect(error?.code).toBe('not_found');
      expect(error?.message).toBe(`Event ${EVENT_ID} does not exist or is outside your units`);
      // Scope first: not even a wrong stage is revealed.
      expect(statusOf(action, OUT_OF_SCOPE[role], { ...event, stage: 'archived', status: 'closed' })).toBe(404);
    },
  );

  const wrongStages = STAGES.filter((stage) => !rule.stages.includes(stage));
  if (wrongStages.length > 0) {
    it.each(wrongStages)('refuses the allowed caller in stage %s with 409', (stage) => {
      const error = refusalOf(action, firstCaller, { ...firstEvent, stage });
      expect(error?.status).toBe(409);
      expect(error?.code).toBe('conflict');
      expect(error?.message).toBe(`Event ${EVENT_ID} is ${stage}; ${action} needs it to be ${rule.stages.join(' or ')}`);
      expect(error?.fields).toEqual([{ field: 'action', message: `not allowed in stage ${stage}` }]);
    });

    if (wrongRoles.length > 0) {
      it('checks the role before the stage', () => {
        expect(statusOf(action, IN_SCOPE[wrongRoles[0]!], visibleToAll({ ...firstEvent, stage: wrongStages[0]! }))).toBe(403);
      });
    }
  }

  if (spec.refusals.length > 0) {
    // Every row has its caller (jest would take a missing fourth value for a done callback).
    const refusals = spec.refusals.map(([label, event, reason, who]) => [label, event, reason, who ?? firstCaller] as const);
    it.each(refusals)('refuses %s with 409 and the reason', (_label, event, reason, who) => {
      const error = refusalOf(action, who, event);
      expect(error?.status).toBe(409);
      expect(error?.code).toBe('conflict');
      expect(error?.message).toBe(`Cannot ${action} event ${EVENT_ID}: ${reason}`);
      expect(error?.fields).toEqual([{ field: 'action', message: reason }]);
      expect(rule.refuse!(event)).toBe(reason);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// who: handler, center, approver

const HANDLER_ACTIONS = ACTIONS.filter((action) => ACTION_RULES[action].who === 'handler');

/** A case that moved on from a previous handler: the worker's case escalated to the station, the street team's to the district. */
const MOVED_ON: [label: string, previous: Caller, event: Case][] = [
  [
    'the grid worker, after the case went up to the station',
    gridWorker,
    sampleCase({
      tier: 'community',
      assignee: stationAssignee,
      previousHandlers: ['person#441302010001001#gw-ouyang-lingqiao'],
      lastMove: {
        at: '2026-10-10T16:00:00+08:00',
        type: 'escalated',
        reason: '超过时限 2026-10-10T16:00:00+08:00 missed the handling deadline',
        tier: 'community',
        to: '金源社区网格站',
      },
    }),
  ],
  [
    'the station, after it reported the case up to the street',
    station,
    sampleCase({
      tier: 'town',
      assignee: streetTeamAssignee,
      involvedDepartments: [STREET_TEAM],
      previousHandlers: ['person#441302010001001#gw-ouyang-lingqiao', 'unit#441302010001#441302010001'],
      lastMove: {
        at: '2026-10-11T10:00:00+08:00',
        type: 'escalated',
        reason: '上报 reported up: 需要执法',
        tier: 'town',
        to: '小金口街道城管执法中队',
      },
    }),
  ],
  [
    'the street team, after it returned the case and the district took it',
    streetTeamClerk,
    sampleCase({
      tier: 'district',
      assignee: bureauAssignee,
      involvedDepartments: [STREET_TEAM, BUREAU],
      previousHandlers: ['department#441302010#urban-management', 'unit#441302#441302'],
      lastMove: {
        at: '2026-10-12T09:00:00+08:00',
        type: 'assigned',
        reason: '交办 区城市管理和综合执法局',
        tier: 'district',
        to: '区城市管理和综合执法局',
      },
    }),
  ],
];

describe.each(HANDLER_ACTIONS)('who: handler — %s', (action) => {
  const rule = ACTION_RULES[action];
  const spec = SPECS[action];

  /**
   * Every allowed caller on every other allowed caller's case. Callers whose sample cases have the same
   * handler act for one unit (the district center and the leader for the through train): not strangers.
   */
  const handlerKey = (event: Case) => JSON.stringify([event.assignee?.type, event.assignee?.unit, event.assignee?.id]);
  const strangers = spec.allowed.flatMap(([, event]) =>
    spec.allowed
      .filter(([, own]) => handlerKey(own) !== handlerKey(event))
      .map(([who]): [string, Caller, Case] => [
        `a ${who.role} on ${event.assignee!.name}’s case`,
        who,
        { ...event, involvedDepartments: [...event.involvedDepartments, STREET_TEAM, BUREAU] },
      ]),
  );

  if (strangers.length > 0) {
    it.each(strangers)('refuses %s with 403, naming the handler', (_label, who, event) => {
      const error = refusalOf(action, who, event);
      expect(error?.status).toBe(403);
      expect(error?.code).toBe('forbidden');
      expect(error?.message).toBe(`Only the case's handler (${event.assignee!.name}) may ${action}`);
    });
  }

  if (rule.roles.includes('department')) {
    it('refuses another team of the department with 403: the bureau on the street team’s case', () => {
      const event = { ...handledBy.department(), involvedDepartments: [STREET_TEAM, BUREAU] };
      expect(refusalOf(action, bureauClerk, event)?.message).toBe(`Only the case's handler (小金口街道城管执法中队) may ${action}`);
    });
  }

  if (rule.roles.includes('grid_worker')) {
    it('refuses a second worker of the same grid: the handler is a person', () => {
      expect(statusOf(action, caller('grid_worker', [GRID_1], 'gw-substitute'), sampleCase())).toBe(403);
    });
  }

  it('refuses everyone when the case has no handler yet, saying so', () => {
    const [who, event] = spec.allowed[0]!;
    const error = refusalOf(action, who, { ...event, assignee: undefined });
    expect(error?.status).toBe(403);
    expect(error?.message).toBe(`Only the case's handler (none yet) may ${action}`);
  });

  const movedOn = MOVED_ON.filter(([, previous]) => rule.roles.includes(previous.role));
  it('has a moved-on case for it', () => {
    expect(movedOn.length).toBeGreaterThan(0);
  });

  it.each(movedOn)('tells %s that the case moved on (409), naming the last move', (_label, previous, event) => {
    const error = refusalOf(action, previous, event);
    const move = event.lastMove!;
    expect(error?.status).toBe(409);
    expect(error?.code).toBe('conflict');
    expect(error?.message).toBe(`Event ${EVENT_ID} moved on: ${move.type} to ${move.to} (${move.tier}) at ${move.at} — ${move.reason}`);
    expect(error?.fields).toEqual([{ field: 'action', message: 'the case is no longer yours' }]);
  });

  it.each(movedOn)('tells %s before looking at the stage or the clock', (_label, previous, event) => {
    expect(refusalOf(action, previous, { ...event, stage: 'archived', status: 'closed', clock: undefined })?.message).toContain('moved on');
    expect(refusalOf(action, previous, { ...event, clock: clock('dispatch') })?.message).toContain('moved on');
  });

  it.each(movedOn)('without a recorded move, %s is simply not the handler (403)', (_label, previous, event) => {
    expect(statusOf(action, previous, { ...event, lastMove: undefined })).toBe(403);
  });

  it('a case that came back to its previous handler (rework) is theirs again', () => {
    const [, previous, event] = movedOn[0]!;
    const back = {
      ...spec.allowed.find(([who]) => who === previous)![1],
      previousHandlers: event.previousHandlers,
      lastMove: event.lastMove,
    };
    expectAllowed(action, previous, back);
  });

  it('a caller who never handled the case is not told what happened to it', () => {
    const [, previous, event] = movedOn[0]!;
    // A colleague of the previous handler's role who never had the case: no grid worker, another street's team.
    const colleague =
      previous.role === 'department'
        ? { ...bureauClerk, units: [XIAOJINKOU, HUICHENG], department: 'housing-construction', person: 'ds-hc' }
        : caller('grid_worker', [GRID_1], 'gw-substitute');
    const error = refusalOf(action, colleague, {
      ...event,
      involvedDepartments: [...event.involvedDepartments, `${XIAOJINKOU}:housing-construction`],
    });
    expect(error?.status).toBe(403);
    expect(error?.message).not.toContain('moved on');
  });
});

describe('who: center — assign', () => {
  it('the street center dispatches town-tier cases of its street', () => {
    expectAllowed('assign', townCenter, townDispatch());
    expectAllowed('assign', caller('town_center', [XIAOJINKOU, '441302001'], 'tc-two-streets'), townDispatch());
  });

  it('another street’s center does not see the case (404)', () => {
    expect(statusOf('assign', otherTownCenter, townDispatch())).toBe(404);
  });

  it('the district center is not the center of a town-tier case (403)', () => {
    const error = refusalOf('assign', districtCenter, townDispatch());
    expect(error?.status).toBe(403);
    expect(error?.message).toBe('Only the street center of this case may assign');
  });

  it('a town center scoped to one community is not its street’s center (403)', () => {
    expect(refusalOf('assign', caller('town_center', [JINYUAN], 'tc-jinyuan-only'), townDispatch())?.message).toBe(
      'Only the street center of this case may assign',
    );
  });

  it('the district center dispatches district-tier cases of its district', () => {
    expectAllowed('assign', districtCenter, districtDispatch());
  });

  it('the street center is not the center of a district-tier case (403)', () => {
    const error = refusalOf('assign', townCenter, districtDispatch());
    expect(error?.status).toBe(403);
    expect(error?.message).toBe('Only the district center of this case may assign');
  });

  it('a district_center scoped below the district (a street) is not the district’s center (403)', () => {
    expect(statusOf('assign', caller('district_center', [XIAOJINKOU], 'dc-street-scoped'), districtDispatch())).toBe(403);
  });

  it('another district’s center does not see the case (404)', () => {
    expect(statusOf('assign', otherDistrictCenter, districtDispatch())).toBe(404);
  });
});

describe('who: approver — approve_extension and reject_extension', () => {
  it('EXTENSION_APPROVER: the station above a worker, the street center for the community and the street, the district center for the district and its meetings, the leader for the through train', () => {
    expect(EXTENSION_APPROVER).toEqual({
      grid: 'community_station',
      community: 'town_center',
      town: 'town_center',
      district: 'district_center',
      joint_meeting: 'district_center',
      through_train: 'leader',
    });
    expect(Object.keys(EXTENSION_APPROVER).sort()).toEqual([...TIERS].sort());
  });

  const assigneeAt: Record<Tier, Assignee> = {
    grid: workerAssignee,
    community: stationAssignee,
    town: streetTeamAssignee,
    district: bureauAssignee,
    joint_meeting: bureauAssignee,
    through_train: throughTrainAssignee,
  };
  const requestAt = (tier: Tier) =>
    withExtension(sampleCase({ tier, assignee: assigneeAt[tier], involvedDepartments: [STREET_TEAM, BUREAU] }), 'requested');
  const cases = (['approve_extension', 'reject_extension'] as const).flatMap((action) =>
    TIERS.flatMap((tier) => ACTION_RULES[action].roles.map((role) => [action, tier, role] as const)),
  );

  it.each(cases)('%s at the %s tier by a %s: only the tier’s approver', (action, tier, role) => {
    const approver = EXTENSION_APPROVER[tier];
    const error = refusalOf(action, IN_SCOPE[role], requestAt(tier));
    if (role === approver) {
      expect(error).toBeUndefined();
    } else {
      expect(error?.status).toBe(403);
      expect(error?.message).toBe(`An extension at the ${tier} tier is decided by a ${approver}`);
    }
  });

  it('the handler who asked cannot decide its own request (unless it is the approver role)', () => {
    expect(statusOf('approve_extension', streetTeamClerk, requestAt('town'))).toBe(403);
    expect(statusOf('approve_extension', gridWorker, requestAt('grid'))).toBe(403);
  });

  // Issue 13 item 7: a leader asked on a through-train case and approved it; a district center could on its own cases.
  const askedBy = (tier: Tier, who: Caller): Case => {
    const event = requestAt(tier);
    const extension = event.extension as NonNullable<Case['extension']>;
    return { ...event, extension: { ...extension, requestedBy: { id: who.person, name: who.name, role: who.role } } };
  };

  it.each(['approve_extension', 'reject_extension'] as const)('%s: the one who asked never decides, whatever the role', (action) => {
    const leader = IN_SCOPE.leader;
    const center = IN_SCOPE.district_center;
    const ownThroughTrain = refusalOf(action, leader, askedBy('through_train', leader));
    expect(ownThroughTrain?.status).toBe(403);
    expect(ownThroughTrain?.message).toContain('asked for it');
    expect(refusalOf(action, center, askedBy('district', center))?.status).toBe(403);
  });

  it.each(['approve_extension', 'reject_extension'] as const)(
    '%s: another person of the approving role decides, or the next tier’s approver (for the through train, the district center)',
    (action) => {
      const leader = IN_SCOPE.leader;
      const otherLeader = { ...leader, person: 'leader-2', name: 'leader-2' };
      const center = IN_SCOPE.district_center;
      const otherCenter = { ...center, person: 'dc-2', name: 'dc-2' };
      expect(refusalOf(action, otherLeader, askedBy('through_train', leader))).toBeUndefined();
      expect(refusalOf(action, center, askedBy('through_train', leader))).toBeUndefined();
      expect(refusalOf(action, otherCenter, askedBy('district', center))).toBeUndefined();
      // A street center that asked at the town tier: the district center (the next tier's approver) decides too.
      const streetCenter = IN_SCOPE.town_center;
      expect(refusalOf(action, center, askedBy('town', streetCenter))).toBeUndefined();
      // Not when someone else asked: the tier's own approver decides then.
      expect(refusalOf(action, center, requestAt('town'))?.status).toBe(403);
    },
  );
});

describe('isHandler', () => {
  it('is false without an assignee', () => {
    expect(isHandler(gridWorker, undefined)).toBe(false);
  });

  it('person: the caller whose person id is the assignee, whatever the subject', () => {
    expect(isHandler(gridWorker, workerAssignee)).toBe(true);
    expect(isHandler(otherGridWorker, workerAssignee)).toBe(false);
    expect(isHandler({ ...station, person: 'gw-ouyang-lingqiao' }, workerAssignee)).toBe(true);
    expect(isHandler({ ...otherGridWorker, sub: 'gw-ouyang-lingqiao' }, workerAssignee)).toBe(false);
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

describe('canSeeCase', () => {
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
    expect(canSeeCase(who, sampleCase())).toBe(visible);
  });

  it('department staff see only cases their team handles or handled (involvedDepartments)', () => {
    expect(canSeeCase(streetTeamClerk, sampleCase())).toBe(false);
    expect(canSeeCase(streetTeamClerk, sampleCase({ involvedDepartments: [STREET_TEAM] }))).toBe(true);
    expect(canSeeCase(otherStreetTeamClerk, sampleCase({ involvedDepartments: [STREET_TEAM] }))).toBe(false);
  });

  it('a street team’s case is not visible to the district bureau until the bureau is involved', () => {
    expect(canSeeCase(bureauClerk, sampleCase({ involvedDepartments: [STREET_TEAM] }))).toBe(false);
    expect(canSeeCase(bureauClerk, sampleCase({ involvedDepartments: [STREET_TEAM, BUREAU] }))).toBe(true);
    expect(canSeeCase(streetTeamClerk, sampleCase({ involvedDepartments: [BUREAU] }))).toBe(false);
  });

  it('a department caller of several units sees the cases of each of its teams', () => {
    const both = caller('department', [HUICHENG, XIAOJINKOU], 'dh-urban-management', 'urban-management');
    expect(canSeeCase(both, sampleCase({ involvedDepartments: [STREET_TEAM] }))).toBe(true);
    expect(canSeeCase(both, sampleCase({ involvedDepartments: [BUREAU] }))).toBe(true);
  });

  it('keeps seeing a case after it moved on from the department', () => {
    const escalated = sampleCase({ tier: 'district', assignee: bureauAssignee, involvedDepartments: [STREET_TEAM, BUREAU] });
    expect(canSeeCase(streetTeamClerk, escalated)).toBe(true);
  });
});
