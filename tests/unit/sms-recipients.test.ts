/**
 * The SMS table (shared/domain/sms-rules.ts) resolved for sample cases of Jinyuan's grid 1 by messagesFor
 * (shared/core/lifecycle-messages.ts): who receives each trigger (phones from shared/data/roster.json),
 * one message per distinct phone, the parameters filled and every message renderable.
 */
import sampleRoster from '../../shared/data/roster.json' with { type: 'json' };
import sampleUnits from '../../shared/data/units-huicheng-sample.json' with { type: 'json' };
import { baseParams, messagesFor, type SmsExtras } from '../../shared/core/lifecycle-messages';
import { renderMessage, TEMPLATES } from '../../shared/domain/messages';
import { EXTENSION_APPROVER } from '../../shared/domain/permissions';
import { SMS_RULES, type Recipients, type SmsTrigger } from '../../shared/domain/sms-rules';
import { TIERS, type Assignee, type Case, type Tier } from '../../shared/domain/types';
import { UnitDirectory, type Person } from '../../shared/domain/units';
import { sampleDirectoryData } from '../../dev-server/seed-reference';
import { pureDeps, sampleClock, sampleEvent } from './pure-deps';

const deps = pureDeps('2026-11-23T10:00:00+08:00');

/** The sample roster's phones. */
const PHONE = {
  worker: '13000001001', // 欧阳玲巧, grid 1
  communityHead: '13000002001', // 蓝彬, Jinyuan's party secretary and grid chief
  stationDuty: '13000002002',
  townHead: '13000003001', // 苏伟军
  townDuty: '13000003002',
  districtHead: '13000004001',
  districtDuty: '13000004002',
  leader: '13000005001', // 张文正
  streetTeamHead: '13000020101',
  streetTeamClerk: '13000020102',
  bureauHead: '13000010201',
  bureauClerk: '13000010202',
  housingBureauHead: '13000010301',
  waterBureauHead: '13000010601',
  streetWaterHead: '13000020701',
  reporter: '13000009999',
};

const assignee = {
  worker: { type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: '441302010001001' },
  station: { type: 'unit', id: '441302010001', name: '金源社区网格站', unit: '441302010001' },
  townCenter: { type: 'unit', id: '441302010', name: '小金口街道网格中心', unit: '441302010' },
  streetTeam: { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: '441302010' },
  districtCenter: { type: 'unit', id: '441302', name: '惠城区网格中心', unit: '441302' },
  bureau: { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' },
  throughTrain: { type: 'unit', id: '441302', name: '惠城区直通车（区领导）', unit: '441302' },
} satisfies Record<string, Assignee>;

/** A level-4 drain on Jinyuan's grid 1, routed to its worker, due Tuesday 09:00. */
const routed = (overrides: Partial<Case> = {}): Case =>
  sampleEvent({
    stage: 'routed',
    assignee: assignee.worker,
    clock: sampleClock('handling', '2026-11-23T09:00:00+08:00', '2026-11-24T09:00:00+08:00'),
    deadlineAt: '2026-11-24T09:00:00+08:00',
    ...overrides,
  });
const residentReport = routed({
  stage: 'registered',
  source: 'citizen',
  needsAcceptance: true,
  assignee: undefined,
  deadlineAt: '2026-11-23T11:00:00+08:00',
});
const at = (tier: Tier, who: Assignee, overrides: Partial<Case> = {}) => routed({ tier, assignee: who, ...overrides });

/** The sample directory without some people (a grid without its worker). */
function directoryWithout(...ids: string[]): UnitDirectory {
  return new UnitDirectory({
    units: sampleDirectoryData().units,
    departments: sampleUnits.departments,
    people: (sampleRoster.people as Person[]).filter((person) => !ids.includes(person.id)),
  });
}
const noWorker = pureDeps('2026-11-23T10:00:00+08:00', { directory: directoryWithout('gw-ouyang-lingqiao') });

/** The extras each trigger is sent with by the core (act-on-case, case moves, workflow steps). */
const EXTRAS: Partial<Record<SmsTrigger, SmsExtras>> = {
  dispatch_needed: { params: { reason: '需要分流交办', reasonEn: 'needs dispatching' } },
  meeting_invitation: { departments: ['urban-management', 'housing-construction'], params: { meetingAt: '2026-11-25 09:00' } },
  meeting_helpers: { departments: ['urban-management', 'housing-construction'], params: { lead: '区住房和城乡建设局' } },
  extension_requested: { params: { until: '2026-11-25 09:00', reason: '需等待配件' } },
  extension_decided: { params: { decision: '已批准', decisionEn: 'approved' } },
  nudge: { params: { by: '惠城区人大代表' } },
  invitation_to_act: { departments: ['water-affairs'], params: { by: '惠城区人大代表', note: '请协助排涝' } },
  feedback: { params: { result: '已疏通', ratingCode: '123456' } },
  voided: { params: { result: '重复上报' } },
};

type Row = [label: string, event: Case, expected: [phone: string, role: Recipients][], extras?: SmsExtras, d?: typeof deps];

/** For each trigger: its template, its recipients, and sample cases with who receives it, in order. */
const TABLE: Record<SmsTrigger, { template: keyof typeof TEMPLATES; to: Recipients[]; cases: Row[] }> = {
  report_to_accept: {
    template: 'report_to_accept',
    to: ['grid_workers'],
    cases: [
      ['a resident report on grid 1: its worker', residentReport, [[PHONE.worker, 'grid_workers']]],
      [
        'a grid without a worker: the community station, head first',
        residentReport,
        [
          [PHONE.communityHead, 'grid_workers'],
          [PHONE.stationDuty, 'grid_workers'],
        ],
        undefined,
        noWorker,
      ],
    ],
  },
  acceptance_overdue: {
    template: 'acceptance_overdue',
    to: ['community_head'],
    cases: [['a report not accepted in time: the community head', residentReport, [[PHONE.communityHead, 'community_head']]]],
  },
  assigned: {
    template: 'case_assigned',
    to: ['handler'],
    cases: [
      ['the grid worker', routed(), [[PHONE.worker, 'handler']]],
      ['the station: its duty officer, not its head', at('community', assignee.station), [[PHONE.stationDuty, 'handler']]],
      ['the street center: its duty officer', at('town', assignee.townCenter), [[PHONE.townDuty, 'handler']]],
      ['the street team: its clerk, not its head', at('town', assignee.streetTeam), [[PHONE.streetTeamClerk, 'handler']]],
      ['the district bureau: its clerk', at('district', assignee.bureau), [[PHONE.bureauClerk, 'handler']]],
      [
        'the through train: the district center’s duty officer',
        at('through_train', assignee.throughTrain),
        [[PHONE.districtDuty, 'handler']],
      ],
      ['no handler: nobody', routed({ assignee: undefined }), []],
    ],
  },
  dispatch_needed: {
    template: 'dispatch_needed',
    to: ['handler'],
    cases: [
      [
        'held by the street center',
        at('town', assignee.townCenter, { clock: sampleClock('dispatch', '2026-11-23T09:00:00+08:00', '2026-11-23T11:00:00+08:00') }),
        [[PHONE.townDuty, 'handler']],
      ],
      ['held by the district center', at('district', assignee.districtCenter), [[PHONE.districtDuty, 'handler']]],
    ],
  },
  reminder: {
    template: 'case_reminder',
    to: ['handler'],
    cases: [
      ['the grid worker', routed(), [[PHONE.worker, 'handler']]],
      ['the street team’s clerk', at('town', assignee.streetTeam), [[PHONE.streetTeamClerk, 'handler']]],
    ],
  },
  acknowledge_reminder: {
    template: 'acknowledge_reminder',
    to: ['handler'],
    cases: [['the station’s duty officer', at('community', assignee.station), [[PHONE.stationDuty, 'handler']]]],
  },
  overdue: {
    template: 'case_overdue',
    to: ['head'],
    cases: [
      ['a worker’s case: the community’s grid chief', routed(), [[PHONE.communityHead, 'head']]],
      ['a station’s case: its head', at('community', assignee.station), [[PHONE.communityHead, 'head']]],
      ['a street center’s case: its head', at('town', assignee.townCenter), [[PHONE.townHead, 'head']]],
      ['a street team’s case: its head', at('town', assignee.streetTeam), [[PHONE.streetTeamHead, 'head']]],
      ['a bureau’s case: its head', at('district', assignee.bureau), [[PHONE.bureauHead, 'head']]],
      ['the district center’s dispatch: the leader', at('district', assignee.districtCenter), [[PHONE.leader, 'head']]],
      ['no handler: the community head', routed({ assignee: undefined }), [[PHONE.communityHead, 'head']]],
    ],
  },
  top_overdue: {
    template: 'case_overdue',
    to: ['leadership', 'district_center'],
    cases: [
      [
        'a through-train case: the leaders, then the district center',
        at('through_train', assignee.throughTrain),
        [
          [PHONE.leader, 'leadership'],
          [PHONE.districtHead, 'district_center'],
          [PHONE.districtDuty, 'district_center'],
        ],
      ],
    ],
  },
  level1_alert: {
    template: 'level1_alert',
    to: ['district_center', 'community_head', 'grid_workers', 'leadership'],
    cases: [
      [
        'the district center, the community head, the grid’s worker and the leaders',
        at('through_train', assignee.throughTrain, { severity: 1 }),
        [
          [PHONE.districtHead, 'district_center'],
          [PHONE.districtDuty, 'district_center'],
          [PHONE.communityHead, 'community_head'],
          [PHONE.worker, 'grid_workers'],
          [PHONE.leader, 'leadership'],
        ],
      ],
      [
        'a grid without a worker: the station stands in, and its head is told once',
        at('through_train', assignee.throughTrain, { severity: 1 }),
        [
          [PHONE.districtHead, 'district_center'],
          [PHONE.districtDuty, 'district_center'],
          [PHONE.communityHead, 'community_head'],
          [PHONE.stationDuty, 'grid_workers'],
          [PHONE.leader, 'leadership'],
        ],
        undefined,
        noWorker,
      ],
    ],
  },
  meeting_invitation: {
    template: 'meeting_invitation',
    to: ['department_heads'],
    cases: [
      [
        'the heads of the district bureaus named',
        at('joint_meeting', assignee.districtCenter),
        [
          [PHONE.bureauHead, 'department_heads'],
          [PHONE.housingBureauHead, 'department_heads'],
        ],
      ],
      ['no departments named: nobody', at('joint_meeting', assignee.districtCenter), [], { departments: [], params: { meetingAt: 'x' } }],
      [
        'an unknown department is skipped',
        at('joint_meeting', assignee.districtCenter),
        [[PHONE.bureauHead, 'department_heads']],
        { departments: ['urban-management', 'no-such'], params: { meetingAt: 'x' } },
      ],
    ],
  },
  meeting_helpers: {
    template: 'meeting_helper',
    to: ['department_heads'],
    cases: [
      [
        'the helpers’ heads',
        at('joint_meeting', assignee.bureau),
        [
          [PHONE.bureauHead, 'department_heads'],
          [PHONE.housingBureauHead, 'department_heads'],
        ],
      ],
    ],
  },
  extension_requested: {
    template: 'extension_requested',
    to: ['approver'],
    cases: [
      [
        'at the grid: the community station',
        routed(),
        [
          [PHONE.communityHead, 'approver'],
          [PHONE.stationDuty, 'approver'],
        ],
      ],
      [
        'at the community: the street center',
        at('community', assignee.station),
        [
          [PHONE.townHead, 'approver'],
          [PHONE.townDuty, 'approver'],
        ],
      ],
      [
        'at the street: the street center',
        at('town', assignee.streetTeam),
        [
          [PHONE.townHead, 'approver'],
          [PHONE.townDuty, 'approver'],
        ],
      ],
      [
        'at the district: the district center',
        at('district', assignee.bureau),
        [
          [PHONE.districtHead, 'approver'],
          [PHONE.districtDuty, 'approver'],
        ],
      ],
      [
        'at a joint meeting: the district center',
        at('joint_meeting', assignee.bureau),
        [
          [PHONE.districtHead, 'approver'],
          [PHONE.districtDuty, 'approver'],
        ],
      ],
      ['on the through train: the leaders', at('through_train', assignee.throughTrain), [[PHONE.leader, 'approver']]],
    ],
  },
  extension_decided: {
    template: 'extension_decided',
    to: ['handler'],
    cases: [['the handler who asked', at('town', assignee.streetTeam), [[PHONE.streetTeamClerk, 'handler']]]],
  },
  nudge: {
    template: 'case_nudged',
    to: ['head'],
    cases: [
      ['a worker’s case: the community’s grid chief', routed(), [[PHONE.communityHead, 'head']]],
      ['a bureau’s case: its head', at('district', assignee.bureau), [[PHONE.bureauHead, 'head']]],
    ],
  },
  invitation_to_act: {
    template: 'invitation_to_act',
    to: ['department_heads'],
    cases: [
      ['a district bureau', routed(), [[PHONE.waterBureauHead, 'department_heads']]],
      [
        'a street team, when the unit is given',
        routed(),
        [[PHONE.streetWaterHead, 'department_heads']],
        { departments: ['water-affairs'], departmentUnit: '441302010', params: { by: '惠城区人大代表', note: '请协助排涝' } },
      ],
    ],
  },
  feedback: {
    template: 'feedback_to_reporter',
    to: ['reporters'],
    cases: [
      ['the reporter', routed({ stage: 'feedback' }), [[PHONE.reporter, 'reporters']]],
      [
        'the reporter and those of linked duplicates, each phone once, none without a phone',
        routed({
          stage: 'feedback',
          linkedReporters: [{ name: '李先生', phone: '13000008888' }, { phone: PHONE.reporter }, { name: '无电话' }],
        }),
        [
          [PHONE.reporter, 'reporters'],
          ['13000008888', 'reporters'],
        ],
      ],
      ['no phone on file: nobody', routed({ stage: 'feedback', reporter: { name: '匿名' } }), []],
    ],
  },
  voided: {
    template: 'report_voided',
    to: ['reporters'],
    cases: [
      ['the resident who reported', { ...residentReport, stage: 'voided' }, [[PHONE.reporter, 'reporters']]],
      ['an anonymous report: nobody', { ...residentReport, stage: 'voided', reporter: undefined }, []],
    ],
  },
};

const TRIGGERS = Object.keys(SMS_RULES) as SmsTrigger[];

describe('SMS_RULES: the one table of who gets which SMS', () => {
  it('every trigger is tested here, and no other', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...TRIGGERS].sort());
    expect(TRIGGERS).toHaveLength(17);
  });

  it.each(TRIGGERS)('%s: its template and recipients', (trigger) => {
    expect({ template: SMS_RULES[trigger].template, to: SMS_RULES[trigger].to }).toEqual({
      template: TABLE[trigger].template,
      to: TABLE[trigger].to,
    });
    expect(TEMPLATES[SMS_RULES[trigger].template]).toBeDefined();
    expect(SMS_RULES[trigger].when.length).toBeGreaterThan(0);
  });

  it('only the reminders are folded into a digest', () => {
    expect(TRIGGERS.filter((trigger) => SMS_RULES[trigger].reminder).sort()).toEqual(['acknowledge_reminder', 'reminder']);
  });
});

const cases = TRIGGERS.flatMap((trigger) =>
  TABLE[trigger].cases.map(
    ([label, event, expected, extras, d]) => [trigger, label, event, expected, extras ?? EXTRAS[trigger] ?? {}, d ?? deps] as const,
  ),
);

describe('messagesFor: the recipients of each trigger for a case of grid 1', () => {
  it.each(cases)('%s — %s', (trigger, _label, event, expected, extras, d) => {
    const messages = messagesFor(d, trigger, event, extras);
    expect(messages.map((message) => [message.to.phone, message.recipientRole])).toEqual(expected);
    for (const message of messages) expect(message.template).toBe(SMS_RULES[trigger].template);
  });

  it.each(cases)(
    '%s — %s: one message per distinct phone, each renderable with the case’s parameters',
    (trigger, _label, event, _expected, extras, d) => {
      const messages = messagesFor(d, trigger, event, extras);
      const phones = messages.map((message) => message.to.phone);
      expect(new Set(phones).size).toBe(phones.length);
      for (const message of messages) {
        expect(message.params).toEqual({ ...baseParams(d, event), ...extras.params });
        const rendered = renderMessage(message.template, message.params);
        expect(rendered.text).toContain(event.id);
        expect(rendered.text.startsWith('【网格通】')).toBe(true);
      }
    },
  );

  it('names each person from the roster', () => {
    expect(messagesFor(deps, 'overdue', routed())[0]!.to).toMatchObject({ name: '蓝彬', phone: PHONE.communityHead });
    expect(messagesFor(deps, 'feedback', routed({ linkedReporters: [{ phone: '13000008888' }] }), EXTRAS.feedback)[1]!.to).toEqual({
      name: '反映人',
      phone: '13000008888',
    });
  });

  it('a person a center assigned personally: their head is told when it is overdue (督办), not nobody', () => {
    const townOfficer: Assignee = { type: 'person', id: 'tc-xiaojinkou-duty', name: '小金口街道网格中心值班员', unit: '441302010' };
    const districtOfficer: Assignee = { type: 'person', id: 'dc-huicheng-duty', name: '惠城区网格中心值班员', unit: '441302' };
    // The street center's duty officer answers to the street center's head.
    expect(messagesFor(deps, 'overdue', at('town', townOfficer)).map((message) => message.to.phone)).toEqual([PHONE.townHead]);
    expect(messagesFor(deps, 'nudge', at('town', townOfficer), EXTRAS.nudge)).toHaveLength(1);
    // Someone above the district center's duty officer hears of it.
    expect(messagesFor(deps, 'overdue', at('district', districtOfficer)).length).toBeGreaterThan(0);
  });

  it('skips a person on the roster without a phone', () => {
    const people = (sampleRoster.people as Person[]).map((person) =>
      person.id === 'gw-ouyang-lingqiao' ? { ...person, phone: '' } : person,
    );
    const silent = pureDeps('2026-11-23T10:00:00+08:00', {
      directory: new UnitDirectory({ units: sampleDirectoryData().units, departments: sampleUnits.departments, people }),
    });
    expect(messagesFor(silent, 'assigned', routed())).toEqual([]);
  });

  it('the extension approver’s contacts are people of the role that decides at that tier (EXTENSION_APPROVER)', () => {
    const roster = new Map((sampleRoster.people as Person[]).map((person) => [person.phone, person]));
    const assignees: Record<Tier, Assignee> = {
      grid: assignee.worker,
      community: assignee.station,
      town: assignee.streetTeam,
      district: assignee.bureau,
      joint_meeting: assignee.bureau,
      through_train: assignee.throughTrain,
    };
    for (const tier of TIERS) {
      const messages = messagesFor(deps, 'extension_requested', at(tier, assignees[tier]), EXTRAS.extension_requested);
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect([tier, roster.get(message.to.phone)?.role]).toEqual([tier, EXTENSION_APPROVER[tier]]);
    }
  });
});

describe('baseParams: what every message of a case says', () => {
  it('the case, its item in both languages, the place, the deadline as month-day time, the handler', () => {
    expect(baseParams(deps, routed())).toEqual({
      eventId: 'E20261123-7K3M9Q',
      item: '排水口或下水道堵塞',
      itemEn: 'Drain outlet or sewer blocked',
      level: '四',
      place: '金英街',
      deadline: '11月24日09:00',
      assignee: '欧阳玲巧',
    });
  });

  it('without an address: the grid’s name; without a deadline or a handler: empty', () => {
    expect(baseParams(deps, routed({ location: undefined, deadlineAt: undefined, assignee: undefined }))).toMatchObject({
      place: '金源社区第1网格',
      deadline: '',
      assignee: '',
    });
  });

  it('an item the catalog no longer has: its code', () => {
    expect(baseParams(deps, routed({ itemCode: '99-99' }))).toMatchObject({ item: '99-99', itemEn: '99-99' });
  });

  it('the trigger’s own parameters come on top', () => {
    const [message] = messagesFor(deps, 'dispatch_needed', at('district', assignee.districtCenter), {
      params: { reason: '需要分流交办', reasonEn: 'needs dispatching', assignee: '值班' },
    });
    expect(message!.params).toMatchObject({
      reason: '需要分流交办',
      reasonEn: 'needs dispatching',
      assignee: '值班',
      eventId: 'E20261123-7K3M9Q',
    });
  });
});
