/**
 * Who may do what, where: the one table of actions on a case. Every action is also limited to cases in
 * the caller's units; an action marked `handlerOnly` is for the case's current handler alone.
 */
import type { Caller } from '../auth/caller';
import { canSeeUnit } from '../auth/caller';
import type { ActionName } from '../schemas/events';
import { conflict, forbidden, notFound } from './errors';
import type { Assignee, GridEvent, Role, Stage } from './types';

export interface ActionRule {
  roles: readonly Role[];
  stages: readonly Stage[];
  handlerOnly: boolean;
  /** A further condition on the case; returns why the action does not apply, or undefined. */
  refuse?: (event: GridEvent) => string | undefined;
  summary: string;
}

function unlessAwaitingAcceptance(event: GridEvent): string | undefined {
  if (!event.needsAcceptance) return 'it was not a resident report waiting for acceptance';
  return event.acceptedAt ? 'it was already accepted' : undefined;
}

const HANDLER_ROLES: readonly Role[] = ['grid_worker', 'community_station', 'town_center', 'district_center', 'department', 'leader'];

export const ACTION_RULES: Record<ActionName, ActionRule> = {
  accept_report: {
    roles: ['grid_worker', 'community_station'],
    stages: ['registered'],
    handlerOnly: false,
    refuse: unlessAwaitingAcceptance,
    summary: '立案 the grid worker or station accepts a resident report',
  },
  void_report: {
    roles: ['grid_worker', 'community_station'],
    stages: ['registered'],
    handlerOnly: false,
    refuse: unlessAwaitingAcceptance,
    summary: '作废 the grid worker or station voids a resident report (with a reason)',
  },
  complete: {
    roles: HANDLER_ROLES,
    stages: ['routed', 'handling'],
    handlerOnly: true,
    summary: '办结 the handler reports the case handled (note and photos)',
  },
};

/** Roles that act for a unit of each level when a unit (station, center) is the handler. */
const UNIT_HANDLER_ROLES: Record<number, readonly Role[]> = {
  12: ['community_station'],
  9: ['town_center'],
  6: ['district_center', 'leader'],
};

export function isHandler(caller: Caller, assignee: Assignee | undefined): boolean {
  if (!assignee) return false;
  switch (assignee.type) {
    case 'person':
      return caller.sub === assignee.id;
    case 'unit':
      return (UNIT_HANDLER_ROLES[assignee.unit.length] ?? []).includes(caller.role) && caller.units.includes(assignee.unit);
    case 'department':
      return caller.role === 'department' && caller.department === assignee.id && caller.units.includes(assignee.unit);
  }
}

/**
 * Whether the caller may see this case at all: it lies in the caller's units, and department staff
 * see the cases their department handles or handled.
 */
export function canSeeEvent(caller: Caller, event: GridEvent): boolean {
  if (caller.role === 'department') {
    return event.involvedDepartments.some((code) => caller.units.some((unit) => code === `${unit}:${caller.department}`));
  }
  return canSeeUnit(caller, event.gridCode);
}

/** Throws the refusal (404 out of scope, 403 wrong role or not the handler, 409 wrong stage) or returns. */
export function authorizeAction(action: ActionName, caller: Caller, event: GridEvent): void {
  const rule = ACTION_RULES[action];
  if (!canSeeEvent(caller, event)) throw notFound(`Event ${event.id} does not exist or is outside your units`);
  if (!rule.roles.includes(caller.role)) throw forbidden(`A ${caller.role} may not ${action}; allowed: ${rule.roles.join(', ')}`);
  if (!rule.stages.includes(event.stage)) {
    throw conflict(`Event ${event.id} is ${event.stage}; ${action} needs it to be ${rule.stages.join(' or ')}`, [{ field: 'action', message: `not allowed in stage ${event.stage}` }]);
  }
  const refusal = rule.refuse?.(event);
  if (refusal) throw conflict(`Cannot ${action} event ${event.id}: ${refusal}`, [{ field: 'action', message: refusal }]);
  if (rule.handlerOnly && !isHandler(caller, event.assignee)) {
    throw forbidden(`Only the case's handler (${event.assignee?.name ?? 'none yet'}) may ${action}`);
  }
}
