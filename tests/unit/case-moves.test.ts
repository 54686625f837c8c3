/** How a case moves (shared/core/case-moves.ts): the first routing by severity, one tier up at a time, and what each move records. */
import {
  assignTo,
  escalate,
  firstRoute,
  holdForDispatch,
  itemOf,
  reminderTimes,
  startClock,
  toJointMeeting,
  toThroughTrain,
  type Move,
} from '../../shared/core/case-moves';
import { DEFAULT_POLICY, startingTier } from '../../shared/domain/policy';
import { centerOf } from '../../shared/domain/routing';
import type { Assignee, Case, Severity, Tier } from '../../shared/domain/types';
import { pureDeps, sampleEvent } from './pure-deps';

/** Monday 2026-11-23 09:00 in Shanghai. */
const MONDAY = '2026-11-23T09:00:00+08:00';
const now = new Date(MONDAY);
const deps = pureDeps(now);

const GRID_1 = '441302010001001';
const worker: Assignee = { type: 'person', id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: GRID_1 };
const station: Assignee = { type: 'unit', id: '441302010001', name: '金源社区网格站', unit: '441302010001' };
const streetTeam: Assignee = { type: 'department', id: 'urban-management', name: '小金口街道城管执法中队', unit: '441302010' };
const streetCenter: Assignee = { type: 'unit', id: '441302010', name: '小金口街道网格中心', unit: '441302010' };
const districtCenter: Assignee = { type: 'unit', id: '441302', name: '惠城区网格中心', unit: '441302' };
const bureau: Assignee = { type: 'department', id: 'urban-management', name: '区城市管理和综合执法局', unit: '441302' };
const jointMeeting: Assignee = { type: 'unit', id: '441302', name: '惠城区跨部门联席会议', unit: '441302' };
const throughTrain: Assignee = { type: 'unit', id: '441302', name: '惠城区直通车（区领导）', unit: '441302' };

const KEY = {
  worker: 'person#441302010001001#gw-ouyang-lingqiao',
  station: 'unit#441302010001#441302010001',
  streetTeam: 'department#441302010#urban-management',
  districtUnit: 'unit#441302#441302',
  bureau: 'department#441302#urban-management',
};

/** The first routing of a case of this severity and item, as the Route step does it. */
const route = (severity: Severity, itemCode = '01-01', at = now) =>
  firstRoute(pureDeps(at), sampleEvent({ severity, itemCode }), startingTier(DEFAULT_POLICY, severity), at);

const how = { type: 'escalated' as const, reason: '超过时限 missed the handling deadline' };

describe('firstRoute: severity picks the starting tier, the handler and the clock', () => {
  it('the policy’s starting tiers: 4 grid, 3 community, 2 town, 1 through train', () => {
    expect(DEFAULT_POLICY.startingTier).toEqual({ 1: 'through_train', 2: 'town', 3: 'community', 4: 'grid' });
  });

  it('level 4: the grid’s worker, on the item’s own limit (1 working day), reminders at half and three quarters of the working time', () => {
    const move = route(4);
    expect(move.after).toMatchObject({
      stage: 'routed',
      tier: 'grid',
      assignee: worker,
      routedAt: MONDAY,
      deadlineAt: '2026-11-24T09:00:00+08:00',
      involvedDepartments: [],
      previousHandlers: [],
    });
    expect(move.after.clock).toEqual({
      kind: 'handling',
      startedAt: MONDAY,
      deadlineAt: '2026-11-24T09:00:00+08:00',
      reminders: 0,
      nudges: 0,
      // 3.5 and 5.25 of 7 working hours: 09:00–12:00, then 14:00 on.
      remindAt: ['2026-11-23T14:30:00+08:00', '2026-11-23T16:15:00+08:00'],
      acknowledgeBy: '2026-11-23T11:00:00+08:00',
    });
    expect(move).toMatchObject({
      type: 'routed',
      count: ['routed'],
      sms: [{ trigger: 'assigned' }],
      data: { tier: 'grid', assignee: worker, deadlineAt: '2026-11-24T09:00:00+08:00' },
    });
    expect(move.after.lastMove).toEqual({ at: MONDAY, type: 'routed', reason: 'routed', tier: 'grid', to: '欧阳玲巧' });
  });

  it('level 3: the community station, on the community’s limit for level 3 (2 working days; the item’s own limit is for level 4)', () => {
    const move = route(3);
    expect(move.after).toMatchObject({ tier: 'community', assignee: station, deadlineAt: '2026-11-25T09:00:00+08:00' });
    expect(move.after.clock?.remindAt).toEqual(['2026-11-24T09:00:00+08:00', '2026-11-24T14:30:00+08:00']);
    expect(move.count).toEqual(['routed']);
  });

  it('level 2: the Xiaojinkou street team of the item’s department (01-04 → urban management at 441302010), 8 working hours', () => {
    const move = route(2, '01-04');
    expect(move.after).toMatchObject({
      tier: 'town',
      assignee: streetTeam,
      deadlineAt: '2026-11-24T10:00:00+08:00',
      involvedDepartments: ['441302010:urban-management'],
    });
    expect(move.after.clock?.kind).toBe('handling');
    expect(move.after.lastMove?.to).toBe('小金口街道城管执法中队');
  });

  it('level 2 of a department without a street team (02-04 natural resources): the street center itself handles it', () => {
    const move = route(2, '02-04');
    expect(move.after).toMatchObject({ tier: 'town', assignee: streetCenter, involvedDepartments: [] });
    expect(move.after.clock?.kind).toBe('handling');
  });

  it('level 1: the through train to district leadership, on a 2-hour calendar clock; everyone who must act is alerted', () => {
    const move = route(1, '02-03');
    expect(move.after).toMatchObject({
      stage: 'routed',
      tier: 'through_train',
      assignee: throughTrain,
      routedAt: MONDAY,
      deadlineAt: '2026-11-23T11:00:00+08:00',
    });
    expect(move.after.clock).toEqual({
      kind: 'handling',
      startedAt: MONDAY,
      deadlineAt: '2026-11-23T11:00:00+08:00',
      reminders: 0,
      nudges: 0,
      calendarTime: true,
      remindAt: ['2026-11-23T10:00:00+08:00', '2026-11-23T10:30:00+08:00'],
      acknowledgeBy: '2026-11-23T09:10:00+08:00',
    });
    expect(move).toMatchObject({
      type: 'routed',
      note: '一级事件直通车 level 1: the through train',
      count: ['routed', 'throughTrain'],
      sms: [{ trigger: 'level1_alert' }],
      data: { tier: 'through_train', assignee: throughTrain, deadlineAt: '2026-11-23T11:00:00+08:00', district: '441302' },
    });
  });

  it('level 1 on a Sunday morning: still 2 hours, calendar time', () => {
    const sunday = new Date('2026-11-22T10:00:00+08:00');
    expect(route(1, '02-03', sunday).after.deadlineAt).toBe('2026-11-22T12:00:00+08:00');
  });

  it('level 4 on a Friday afternoon: due Monday at the same hour, reminders on Monday', () => {
    const friday = new Date('2026-11-27T16:00:00+08:00');
    const move = route(4, '01-01', friday);
    expect(move.after.deadlineAt).toBe('2026-11-30T16:00:00+08:00');
    expect(move.after.clock?.remindAt).toEqual(['2026-11-30T10:30:00+08:00', '2026-11-30T14:15:00+08:00']);
  });

  it('leaves the case it was given alone', () => {
    const event = sampleEvent();
    const copy = structuredClone(event);
    firstRoute(deps, event, 'grid', now);
    expect(event).toEqual(copy);
  });
});

describe('escalate: one tier up', () => {
  const gridCase = () => route(4).after;
  const communityCase = () => escalate(deps, gridCase(), now, how)!.after;
  const townCase = () => escalate(deps, communityCase(), now, how)!.after;
  const districtCase = () => escalate(deps, townCase(), now, how)!.after;
  const meetingCase = () => escalate(deps, districtCase(), now, how)!.after;
  const trainCase = () => escalate(deps, meetingCase(), now, how)!.after;

  it('grid → the community station, on the community’s handling clock (2 working days for level 4)', () => {
    const move = escalate(deps, { ...gridCase(), stage: 'handling', acknowledgedAt: MONDAY }, now, how)!;
    expect(move.after).toMatchObject({
      stage: 'routed',
      tier: 'community',
      assignee: station,
      deadlineAt: '2026-11-25T09:00:00+08:00',
      acknowledgedAt: undefined,
    });
    expect(move.after.clock?.kind).toBe('handling');
    expect(move).toMatchObject({ type: 'escalated', note: how.reason, count: ['escalated'], sms: [{ trigger: 'assigned' }] });
    expect(move.data).toEqual({ tier: 'community', assignee: station, deadlineAt: '2026-11-25T09:00:00+08:00' });
  });

  it('community → the street team of the item’s department (3 working days for level 4); the team is now involved', () => {
    const move = escalate(deps, communityCase(), now, how)!;
    expect(move.after).toMatchObject({
      tier: 'town',
      assignee: streetTeam,
      deadlineAt: '2026-11-26T09:00:00+08:00',
      involvedDepartments: ['441302010:urban-management'],
    });
    expect(move.count).toEqual(['escalated']);
    expect(move.sms).toEqual([{ trigger: 'assigned' }]);
  });

  it('town → the district center, which must dispatch it on the dispatch clock (2 working hours for level 4)', () => {
    const move = escalate(deps, townCase(), now, how)!;
    expect(move.after).toMatchObject({
      stage: 'routed',
      tier: 'district',
      assignee: districtCenter,
      deadlineAt: '2026-11-23T11:00:00+08:00',
    });
    expect(move.after.clock).toEqual({
      kind: 'dispatch',
      startedAt: MONDAY,
      deadlineAt: '2026-11-23T11:00:00+08:00',
      reminders: 0,
      nudges: 0,
    });
    expect(move.count).toEqual(['escalated']);
    expect(move.sms).toEqual([
      { trigger: 'dispatch_needed', extras: { params: { reason: '需要分流交办', reasonEn: 'needs dispatching' } } },
    ]);
    // The street team keeps seeing the case it handled.
    expect(move.after.involvedDepartments).toEqual(['441302010:urban-management']);
  });

  it('district → a joint meeting the district center must convene (3 working days for level 4)', () => {
    const move = escalate(deps, { ...districtCase(), meeting: { at: MONDAY, departments: ['a-b', 'c-d'], convenedAt: MONDAY } }, now, how)!;
    expect(move.after).toMatchObject({
      stage: 'routed',
      tier: 'joint_meeting',
      assignee: jointMeeting,
      deadlineAt: '2026-11-26T09:00:00+08:00',
      meeting: undefined,
    });
    expect(move.after.clock).toEqual({
      kind: 'convene',
      startedAt: MONDAY,
      deadlineAt: '2026-11-26T09:00:00+08:00',
      reminders: 0,
      nudges: 0,
    });
    expect(move.count).toEqual(['escalated', 'jointMeeting']);
    expect(move.sms).toEqual([
      {
        trigger: 'dispatch_needed',
        extras: { params: { reason: '需召开跨部门联席会议', reasonEn: 'needs a joint meeting of departments' } },
      },
    ]);
  });

  it('joint meeting → the through train (24 calendar hours for level 4)', () => {
    const move = escalate(deps, meetingCase(), now, how)!;
    expect(move.after).toMatchObject({
      stage: 'routed',
      tier: 'through_train',
      assignee: throughTrain,
      deadlineAt: '2026-11-24T09:00:00+08:00',
    });
    expect(move.after.clock?.kind).toBe('handling');
    expect(move.count).toEqual(['escalated', 'throughTrain']);
    expect(move.sms).toEqual([{ trigger: 'level1_alert' }]);
    expect(move.data).toMatchObject({ district: '441302' });
  });

  it('through train → nothing: the top of the ladder', () => {
    expect(escalate(deps, trainCase(), now, how)).toBeUndefined();
  });

  it.each([
    ['grid', 'community'],
    ['community', 'town'],
    ['town', 'district'],
    ['district', 'joint_meeting'],
    ['joint_meeting', 'through_train'],
  ] as const)('from %s the case lands at %s', (from, to) => {
    const cases: Record<string, () => Case> = {
      grid: gridCase,
      community: communityCase,
      town: townCase,
      district: districtCase,
      joint_meeting: meetingCase,
    };
    expect(cases[from]!().tier).toBe(from);
    expect(escalate(deps, cases[from]!(), now, how)!.after.tier).toBe(to);
  });

  it('adds its counters to those of the cause (a missed deadline)', () => {
    expect(escalate(deps, gridCase(), now, { ...how, count: ['overdue'] })!.count).toEqual(['overdue', 'escalated']);
    expect(escalate(deps, districtCase(), now, { ...how, count: ['overdue'] })!.count).toEqual(['overdue', 'escalated', 'jointMeeting']);
    expect(escalate(deps, meetingCase(), now, { ...how, count: ['overdue'] })!.count).toEqual(['overdue', 'escalated', 'throughTrain']);
  });

  it('keeps when the case was first routed', () => {
    const earlier = firstRoute(deps, sampleEvent(), 'grid', new Date('2026-11-20T09:00:00+08:00')).after;
    expect(escalate(deps, earlier, now, how)!.after.routedAt).toBe('2026-11-20T09:00:00+08:00');
  });
});

describe('the bookkeeping of every move: previous handlers, the last move, involved departments', () => {
  it('climbing the whole ladder remembers each handler once, and the last move names where it went and why', () => {
    let event = route(4).after;
    const trail: string[][] = [];
    const moves: Move[] = [];
    for (let move = escalate(deps, event, now, how); move; move = escalate(deps, event, now, how)) {
      moves.push(move);
      event = move.after;
      trail.push(event.previousHandlers ?? []);
    }
    expect(moves).toHaveLength(5);
    expect(trail).toEqual([
      [KEY.worker],
      [KEY.worker, KEY.station],
      [KEY.worker, KEY.station, KEY.streetTeam],
      // The district center, its joint meeting and the through train act for the district unit: one handler key.
      [KEY.worker, KEY.station, KEY.streetTeam],
      [KEY.worker, KEY.station, KEY.streetTeam],
    ]);
    expect(moves.map((move) => move.after.lastMove)).toEqual(
      [
        ['community', '金源社区网格站'],
        ['town', '小金口街道城管执法中队'],
        ['district', '惠城区网格中心'],
        ['joint_meeting', '惠城区跨部门联席会议'],
        ['through_train', '惠城区直通车（区领导）'],
      ].map(([tier, to]) => ({ at: MONDAY, type: 'escalated', reason: how.reason, tier, to })),
    );
    expect(event.involvedDepartments).toEqual(['441302010:urban-management']);
  });

  it('a district bureau that had the case is remembered when it goes to a joint meeting', () => {
    const withBureau = assignTo(deps, { ...route(4).after, tier: 'district' }, 'district', bureau, now, {
      type: 'assigned',
      reason: '交办',
    }).after;
    expect(withBureau.involvedDepartments).toEqual(['441302:urban-management']);
    const meeting = toJointMeeting(deps, withBureau, now, { type: 'returned', reason: '第二次退回' }).after;
    expect(meeting.previousHandlers).toEqual([KEY.worker, KEY.bureau]);
    expect(meeting.involvedDepartments).toEqual(['441302:urban-management']);
  });

  it('handing the case to the handler it already has (rework, reopening) adds no previous handler', () => {
    const event = route(4).after;
    const again = assignTo(deps, event, 'grid', worker, now, { type: 'verification_failed', reason: '返工', stage: 'handling' });
    expect(again.after.previousHandlers).toEqual([]);
    expect(again.after).toMatchObject({ stage: 'handling', assignee: worker });
    expect(again.after.lastMove).toEqual({ at: MONDAY, type: 'verification_failed', reason: '返工', tier: 'grid', to: '欧阳玲巧' });
  });

  it('a case that bounces between two handlers lists each once', () => {
    let event = route(2, '01-04').after;
    for (const [to, type] of [
      [streetCenter, 'returned'],
      [streetTeam, 'assigned'],
      [streetCenter, 'returned'],
      [streetTeam, 'assigned'],
    ] as const) {
      event = assignTo(deps, event, 'town', to, now, { type }).after;
    }
    expect(event.previousHandlers).toEqual(['department#441302010#urban-management', 'unit#441302010#441302010']);
    expect(event.involvedDepartments).toEqual(['441302010:urban-management']);
  });

  it('the reason of the last move defaults to its type', () => {
    expect(assignTo(deps, route(4).after, 'community', station, now, { type: 'assigned' }).after.lastMove?.reason).toBe('assigned');
  });

  it('every move clears the previous handler’s signature (签收)', () => {
    const signed = { ...route(4).after, acknowledgedAt: MONDAY, stage: 'handling' as const };
    for (const move of [
      escalate(deps, signed, now, how)!,
      holdForDispatch(deps, signed, 'town', now, how),
      toJointMeeting(deps, signed, now, how),
      toThroughTrain(deps, signed, now, how),
    ]) {
      expect(move.after.acknowledgedAt).toBeUndefined();
      expect(move.after.stage).toBe('routed');
    }
  });

  it('a new handler is not left with the previous handler’s pending extension request', () => {
    const requested = {
      ...route(4).after,
      extension: {
        status: 'requested' as const,
        until: '2026-11-25T09:00:00+08:00',
        reason: '需等待配件',
        requestedBy: { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' as const },
        requestedAt: MONDAY,
      },
    };
    // The station's approver would otherwise approve the worker's request and move the station's fresh
    // deadline to the worker's `until`; and the station could not ask for time of its own (409 pending).
    const moved = escalate(deps, requested, now, how)!.after;
    expect(moved.extension?.status).not.toBe('requested');
  });
});

describe('assignTo, holdForDispatch, toJointMeeting, toThroughTrain, startClock', () => {
  it('assignTo with a deadline given (a meeting’s decision): that deadline, reminders at fractions of its working time', () => {
    const deadline = new Date('2026-11-25T17:30:00+08:00');
    const move = assignTo(deps, route(4).after, 'joint_meeting', bureau, now, { type: 'meeting_decided', reason: '住建牵头', deadline });
    expect(move.after.clock).toMatchObject({ kind: 'handling', startedAt: MONDAY, deadlineAt: '2026-11-25T17:30:00+08:00' });
    // 08:30 Monday to 17:30 Wednesday, from 09:00: 6.5 + 7 + 7 = 20.5 working hours.
    expect(move.after.clock?.remindAt).toEqual(['2026-11-24T14:15:00+08:00', '2026-11-25T10:22:30+08:00']);
  });

  it('holdForDispatch at the town: the street center on the dispatch clock', () => {
    const move = holdForDispatch(deps, route(2, '01-04').after, 'town', now, {
      type: 'returned',
      reason: '不属于本单位',
      count: ['returned'],
    });
    expect(move.after).toMatchObject({ tier: 'town', stage: 'routed', assignee: streetCenter });
    expect(move.after.clock).toEqual({
      kind: 'dispatch',
      startedAt: MONDAY,
      deadlineAt: '2026-11-23T09:30:00+08:00',
      reminders: 0,
      nudges: 0,
      calendarTime: true,
    });
    expect(move.count).toEqual(['returned']);
    expect(move.after.previousHandlers).toEqual([KEY.streetTeam]);
  });

  it('centerOf: the street’s grid center and the district’s', () => {
    expect(centerOf(deps.directory, GRID_1, 'town')).toEqual(streetCenter);
    expect(centerOf(deps.directory, GRID_1, 'district')).toEqual(districtCenter);
  });

  it('toThroughTrain keeps the first routing time, or sets it for a case never routed', () => {
    expect(toThroughTrain(deps, sampleEvent(), now, how).after.routedAt).toBe(MONDAY);
    expect(toThroughTrain(deps, { ...route(4).after, routedAt: '2026-11-20T09:00:00+08:00' }, now, how).after.routedAt).toBe(
      '2026-11-20T09:00:00+08:00',
    );
  });

  it.each([
    ['acceptance', 4, '2026-11-23T11:00:00+08:00'],
    ['acceptance', 1, '2026-11-23T09:10:00+08:00'],
    ['dispatch', 2, '2026-11-23T09:30:00+08:00'],
    ['convene', 2, '2026-11-24T09:00:00+08:00'],
    ['verification', 1, '2026-11-23T10:00:00+08:00'],
    ['verification', 3, '2026-11-24T09:00:00+08:00'],
    ['rating', 4, '2026-11-24T09:00:00+08:00'],
    ['meeting', 4, '2026-11-24T09:00:00+08:00'],
  ] as const)('startClock(%s) for level %i: due %s, no reminders', (kind, severity, due) => {
    // Urgent limits (minutes, hours by the clock) are marked as running on the clock.
    const onTheClock = (kind === 'acceptance' && severity === 1) || kind === 'dispatch' || (kind === 'verification' && severity === 1);
    expect(startClock(deps, sampleEvent({ severity }), kind, 'grid', now)).toEqual({
      kind,
      startedAt: MONDAY,
      deadlineAt: due,
      reminders: 0,
      nudges: 0,
      ...(onTheClock ? { calendarTime: true } : {}),
    });
  });

  it.each([
    ['grid', 4, '2026-11-24T09:00:00+08:00'],
    ['community', 4, '2026-11-25T09:00:00+08:00'],
    ['town', 4, '2026-11-26T09:00:00+08:00'],
    ['district', 4, '2026-11-30T09:00:00+08:00'],
    ['district', 2, '2026-11-24T09:00:00+08:00'],
    ['through_train', 2, '2026-11-24T09:00:00+08:00'],
  ] as const)('a handling clock at %s for level %i: due %s', (tier, severity, due) => {
    expect(startClock(deps, sampleEvent({ severity }), 'handling', tier as Tier, now).deadlineAt).toBe(due);
  });

  it('reminderTimes: fractions of working time for working limits, of plain time for calendar limits', () => {
    expect(reminderTimes(deps, now, new Date('2026-11-24T09:00:00+08:00'), false)).toEqual([
      '2026-11-23T14:30:00+08:00',
      '2026-11-23T16:15:00+08:00',
    ]);
    expect(reminderTimes(deps, now, new Date('2026-11-24T09:00:00+08:00'), true)).toEqual([
      '2026-11-23T21:00:00+08:00',
      '2026-11-24T03:00:00+08:00',
    ]);
    // No working time in between (a Sunday clock): plain time.
    expect(reminderTimes(deps, new Date('2026-11-22T08:00:00+08:00'), new Date('2026-11-22T12:00:00+08:00'))).toEqual([
      '2026-11-22T10:00:00+08:00',
      '2026-11-22T11:00:00+08:00',
    ]);
    expect(reminderTimes(pureDeps(now, { policy: { reminderFractions: [] } }), now, new Date('2026-11-24T09:00:00+08:00'))).toEqual([]);
  });

  it('itemOf: the catalog item, or an error naming the missing item', () => {
    expect(itemOf(deps, sampleEvent()).department).toBe('urban-management');
    expect(() => itemOf(deps, sampleEvent({ itemCode: '99-99' }))).toThrow(
      'Event E20261123-7K3M9Q has item 99-99, which the catalog no longer has',
    );
  });
});
