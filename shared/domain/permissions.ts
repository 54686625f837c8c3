/**
 * Who may do what, where: the one table of actions on a case (the README prints it). Every action is
 * also limited to cases the caller may see (its units; a department team sees the cases it handles or
 * handled). `who` narrows it further: the case's handler, the center of the case's tier, or whoever
 * decides an extension at that tier.
 */
import { canSeeUnit, type Caller } from './caller';
import { ACTION_NAMES, type ActionName } from './actions';
import { conflict, forbidden, notFound } from './errors';
import { levelOfCode } from './unit-codes';
import { actsForUnitAt, OPERATION_RULES } from './operations';
import { CENTER_ROLE, centerUnitCode, teamCode } from './routing';
import { type Actor, ROLES, type Assignee, type Case, type Role, type Stage, type Tier, TIERS } from './types';

export type Who = 'in_scope' | 'handler' | 'center' | 'approver';

export interface ActionRule {
  roles: readonly Role[];
  stages: readonly Stage[];
  who: Who;
  /** Why the action does not apply to the case as it is now (a 409), or undefined. */
  refuse?: (theCase: Case) => string | undefined;
  /** The action changes what the case's workflow waits for: the waiting task is woken. */
  wakes: boolean;
  summary: string;
}

const HANDLER_ROLES = OPERATION_RULES.handle.roles;
const OPEN_STAGES: readonly Stage[] = ['registered', 'routed', 'handling', 'verifying'];
const ASSIGNED: readonly Stage[] = ['routed', 'handling'];

function unlessAwaitingAcceptance(theCase: Case): string | undefined {
  if (!theCase.needsAcceptance) return 'it was not a resident report waiting for acceptance';
  return theCase.acceptedAt ? 'it was already accepted' : undefined;
}

const APPROVER_ROLES: readonly Role[] = ['community_station', 'town_center', 'district_center', 'leader'];

function unlessExtensionPending(theCase: Case): string | undefined {
  return theCase.extension?.status === 'requested' ? undefined : 'no extension request is pending';
}

function unlessHandling(theCase: Case): string | undefined {
  switch (theCase.clock?.kind) {
    case 'handling':
      return undefined;
    case 'dispatch':
      return 'it waits for its center to dispatch it';
    case 'convene':
    case 'meeting':
      return 'it waits for a joint meeting';
    default:
      return 'it is not being handled';
  }
}

export const ACTION_RULES: Record<ActionName, ActionRule> = {
  accept_report: {
    roles: ['grid_worker', 'community_station'],
    stages: ['registered'],
    who: 'in_scope',
    refuse: unlessAwaitingAcceptance,
    wakes: true,
    summary: "立案 accept a resident's report",
  },
  void_report: {
    roles: ['grid_worker', 'community_station'],
    stages: ['registered'],
    who: 'in_scope',
    refuse: unlessAwaitingAcceptance,
    wakes: true,
    summary: "作废 void a resident's report, with the reason (the resident is told)",
  },
  acknowledge: {
    roles: HANDLER_ROLES,
    stages: ['routed'],
    who: 'handler',
    refuse: unlessHandling,
    wakes: false,
    summary: '签收 the handler has seen the case (stops the second notice)',
  },
  complete: {
    roles: HANDLER_ROLES,
    stages: ASSIGNED,
    who: 'handler',
    refuse: unlessHandling,
    wakes: true,
    summary: '办结 handled, with note and photos; district-level cases then go to verification',
  },
  assign: {
    roles: ['town_center', 'district_center'],
    stages: ASSIGNED,
    who: 'center',
    refuse: (theCase) =>
      theCase.tier === 'town' || theCase.tier === 'district' ? undefined : `a ${theCase.tier} case is not dispatched by a center`,
    wakes: true,
    summary: "分流/转办 the street or district center sends the case to a department team or a person, overriding the catalog's default",
  },
  return: {
    roles: ['department'],
    stages: ASSIGNED,
    who: 'handler',
    refuse: (theCase) =>
      theCase.tier === 'town' || theCase.tier === 'district'
        ? unlessHandling(theCase)
        : `a ${theCase.tier} case is not returned; its lead reports it up (escalate) instead`,
    wakes: true,
    summary: '退回 not ours, with the reason: back to the center to dispatch again; the second return sends it to a joint meeting',
  },
  escalate: {
    roles: HANDLER_ROLES,
    stages: ASSIGNED,
    who: 'handler',
    refuse: (theCase) => (theCase.tier === 'through_train' ? 'it is already at the top of the ladder' : unlessHandling(theCase)),
    wakes: true,
    summary: '上报 beyond this level: one tier up (from the district, to a joint meeting)',
  },
  request_extension: {
    roles: HANDLER_ROLES,
    stages: ASSIGNED,
    who: 'handler',
    refuse: (theCase) =>
      theCase.extension?.status === 'requested'
        ? 'an extension request is already pending'
        : theCase.extension?.status === 'approved'
          ? 'the one extension was already approved'
          : unlessHandling(theCase),
    wakes: false,
    summary: '延期 ask for a later deadline (once, by at most the original limit), with the reason',
  },
  approve_extension: {
    roles: APPROVER_ROLES,
    stages: ASSIGNED,
    who: 'approver',
    refuse: unlessExtensionPending,
    wakes: true,
    summary: 'approve the pending extension: the deadline moves',
  },
  reject_extension: {
    roles: APPROVER_ROLES,
    stages: ASSIGNED,
    who: 'approver',
    refuse: unlessExtensionPending,
    wakes: false,
    summary: 'reject the pending extension, with the reason',
  },
  verify_pass: {
    roles: ['district_center'],
    stages: ['verifying'],
    who: 'in_scope',
    wakes: true,
    summary: '核查通过 verified on site: the reporter is told',
  },
  verify_fail: {
    roles: ['district_center'],
    stages: ['verifying'],
    who: 'in_scope',
    wakes: true,
    summary: '核查不通过 not done: back to the handler (返工); the second failure sends it to a joint meeting',
  },
  convene_meeting: {
    roles: ['district_center'],
    stages: ASSIGNED,
    who: 'in_scope',
    refuse: (theCase) =>
      theCase.tier !== 'joint_meeting'
        ? 'it is not waiting for a joint meeting'
        : theCase.clock?.kind !== 'convene'
          ? 'the meeting is already convened'
          : undefined,
    wakes: true,
    summary: '召集联席会议 convene the departments, at a time',
  },
  record_meeting_decision: {
    roles: ['district_center'],
    stages: ASSIGNED,
    who: 'in_scope',
    refuse: (theCase) =>
      theCase.tier !== 'joint_meeting' || !theCase.meeting
        ? 'no joint meeting is convened for it'
        : theCase.meeting.decision
          ? 'the meeting already decided'
          : undefined,
    wakes: true,
    summary: '会议决定 the lead department, helpers, deadline and minutes; the lead then handles it',
  },
  through_train: {
    roles: ['leader', 'district_center'],
    stages: OPEN_STAGES,
    who: 'in_scope',
    refuse: (theCase) =>
      theCase.tier === 'through_train' && theCase.stage !== 'registered' ? 'it is already on the through train' : undefined,
    wakes: true,
    summary: '直通车 straight to district leadership, on the shortest clock',
  },
  nudge: {
    roles: ['supervisor', 'leader', 'district_center'],
    stages: ['routed', 'handling', 'verifying'],
    who: 'in_scope',
    wakes: false,
    summary: "催办/督办 SMS to the handler's head, on the timeline",
  },
  invite_department: {
    roles: ['supervisor', 'leader'],
    stages: OPEN_STAGES,
    who: 'in_scope',
    wakes: false,
    summary: '约请 invite a department to act: SMS to its head, on the timeline',
  },
  evaluate: {
    roles: ['supervisor'],
    stages: ['registered', 'routed', 'handling', 'verifying', 'feedback', 'archived'],
    who: 'in_scope',
    wakes: false,
    summary: '一事一评议 a supervisor rates and comments on how the case was handled',
  },
  rate: {
    roles: ['grid_worker', 'community_station'],
    stages: ['feedback'],
    who: 'in_scope',
    refuse: (theCase) => (theCase.rating ? 'it was already rated' : !theCase.fedBackAt ? 'the reporter has not been told yet' : undefined),
    wakes: true,
    summary: "满意度 record the reporter's rating (回访); the reporter can also rate with the SMS code. 1 or 2 reopens the case once",
  },
  comment: {
    roles: ROLES,
    stages: ['registered', 'routed', 'handling', 'verifying', 'feedback', 'archived', 'voided'],
    who: 'in_scope',
    wakes: false,
    summary: 'a note on the timeline',
  },
  link_duplicate: {
    roles: ['grid_worker', 'community_station', 'town_center', 'district_center'],
    stages: ['registered', 'routed', 'handling'],
    who: 'in_scope',
    wakes: true,
    summary: "the same matter as case X: this report follows X (closed here) and X's reporters grow",
  },
};

export function isHandler(caller: Caller, assignee: Assignee | undefined): boolean {
  if (!assignee) return false;
  switch (assignee.type) {
    case 'person':
      return caller.person === assignee.id;
    case 'unit':
      return actsForUnitAt(caller.role, levelOfCode(assignee.unit)) && caller.units.includes(assignee.unit);
    case 'department':
      return caller.role === 'department' && caller.department === assignee.id && caller.units.includes(assignee.unit);
  }
}

/** Was the caller a handler of this case before it moved on? */
function wasHandler(caller: Caller, theCase: Case): boolean {
  const previous = new Set(theCase.previousHandlers ?? []);
  return [...previous].some((key) => {
    const [type, unit, id] = key.split('#');
    return isHandler(caller, { type: type as Assignee['type'], unit, id, name: '' });
  });
}

/** The center that dispatches a case at its tier: the street's for town cases, the district's for district cases. */
function isCenterOf(caller: Caller, theCase: Case): boolean {
  if (theCase.tier !== 'town' && theCase.tier !== 'district') return false;
  return caller.role === CENTER_ROLE[theCase.tier] && canSeeUnit(caller, centerUnitCode(theCase.gridCode, theCase.tier));
}

/** Who decides an extension at each tier: the people of a role at the case's unit of a level (the leaders: the district's). */
export const EXTENSION_APPROVERS: Record<Tier, { role: Role; level: 'community' | 'town' | 'district' }> = {
  grid: { role: 'community_station', level: 'community' },
  community: { role: 'town_center', level: 'town' },
  town: { role: 'town_center', level: 'town' },
  district: { role: 'district_center', level: 'district' },
  joint_meeting: { role: 'district_center', level: 'district' },
  through_train: { role: 'leader', level: 'district' },
};

/** The role that decides an extension at each tier. */
export const EXTENSION_APPROVER = Object.fromEntries(
  Object.entries(EXTENSION_APPROVERS).map(([tier, approver]) => [tier, approver.role]),
) as Record<Tier, Role>;

/**
 * Who decides an extension request: the tier's approver — another person, never the one who asked; and when the
 * one who asked is of the approving role, the next tier's approver too (for the through train, the district
 * center), so that a request never waits on its own author alone.
 */
export function extensionDeciders(tier: Tier, requesterRole: Actor['role'] | undefined): Role[] {
  const approver = EXTENSION_APPROVER[tier];
  if (requesterRole !== approver) return [approver];
  const above = TIERS[TIERS.indexOf(tier) + 1];
  const next = above ? EXTENSION_APPROVER[above] : 'district_center';
  return next === approver ? [approver] : [approver, next];
}

/** A department caller's teams (one in each of the caller's units); any other caller: none. */
export function callerTeams(caller: Caller): string[] | undefined {
  const { department } = caller;
  return caller.role === 'department' && department ? caller.units.map((unit) => teamCode(unit, department)) : undefined;
}

/**
 * Whether the caller may see this case at all: it lies in the caller's units, and department staff
 * see the cases their department handles or handled.
 */
export function canSeeCase(caller: Caller, theCase: Case): boolean {
  if (caller.role === 'department') {
    const teams = callerTeams(caller) ?? [];
    return theCase.involvedDepartments.some((code) => teams.includes(code));
  }
  return canSeeUnit(caller, theCase.gridCode);
}

/** Throws the refusal (404 out of scope, 403 wrong role or person, 409 wrong stage or a case that moved on) or returns. */
export function authorizeAction(action: ActionName, caller: Caller, theCase: Case): void {
  const rule = ACTION_RULES[action];
  if (!canSeeCase(caller, theCase)) throw notFound(`Event ${theCase.id} does not exist or is outside your units`);
  if (!rule.roles.includes(caller.role)) throw forbidden(`A ${caller.role} may not ${action}; allowed: ${rule.roles.join(', ')}`);
  if (rule.who === 'handler' && !isHandler(caller, theCase.assignee) && wasHandler(caller, theCase) && theCase.lastMove) {
    const move = theCase.lastMove;
    throw conflict(`Event ${theCase.id} moved on: ${move.type} to ${move.to} (${move.tier}) at ${move.at} — ${move.reason}`, [
      { field: 'action', message: 'the case is no longer yours' },
    ]);
  }
  if (!rule.stages.includes(theCase.stage)) {
    throw conflict(`Event ${theCase.id} is ${theCase.stage}; ${action} needs it to be ${rule.stages.join(' or ')}`, [
      { field: 'action', message: `not allowed in stage ${theCase.stage}` },
    ]);
  }
  const refusal = rule.refuse?.(theCase);
  if (refusal) throw conflict(`Cannot ${action} event ${theCase.id}: ${refusal}`, [{ field: 'action', message: refusal }]);
  switch (rule.who) {
    case 'handler':
      if (!isHandler(caller, theCase.assignee))
        throw forbidden(`Only the case's handler (${theCase.assignee?.name ?? 'none yet'}) may ${action}`);
      return;
    case 'center':
      if (!isCenterOf(caller, theCase))
        throw forbidden(`Only the ${theCase.tier === 'district' ? 'district' : 'street'} center of this case may ${action}`);
      return;
    case 'approver': {
      const requester = theCase.extension?.requestedBy;
      const deciders = extensionDeciders(theCase.tier, requester?.role);
      if (requester?.id === caller.person)
        throw forbidden(`${requester.name} asked for it, so another person decides it: a ${deciders.join(' or ')} of the case`);
      if (!deciders.includes(caller.role))
        throw forbidden(`An extension at the ${theCase.tier} tier is decided by a ${deciders.join(' or ')}`);
      return;
    }
    case 'in_scope':
      return;
  }
}

/** The actions the caller may take on the case as it is now (the case view lists them; a page shows exactly these). */
export function allowedActions(caller: Caller, theCase: Case): ActionName[] {
  return ACTION_NAMES.filter((action) => {
    try {
      authorizeAction(action, caller, theCase);
      return true;
    } catch {
      return false;
    }
  });
}
