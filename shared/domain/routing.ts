/**
 * Routing: who handles a case at a tier, who is told, and who is the handler's head (督办).
 */
import type { CatalogItem } from './catalog';
import type { Person, Unit, UnitDirectory } from './units';
import { UNIT_STAFF } from './operations';
import { ancestorCodes, districtOf, levelOfCode } from './unit-codes';
import type { Assignee, Role, Tier } from './types';

export class RoutingError extends Error {}

/** The community, street or district a grid is in: a grid outside the directory's tree is a RoutingError naming both. */
export function unitAbove(directory: UnitDirectory, gridCode: string, level: 'community' | 'town' | 'district'): Unit {
  const unit = directory.ancestor(gridCode, level);
  if (!unit) throw new RoutingError(`Grid ${gridCode} has no ${level} in the unit directory`);
  return unit;
}

/** The handler of a case at a tier. */
export function assigneeFor(directory: UnitDirectory, tier: Tier, gridCode: string, item: CatalogItem): Assignee {
  const unitAt = (level: 'community' | 'town' | 'district') => unitAbove(directory, gridCode, level);
  switch (tier) {
    case 'grid': {
      const worker = directory.gridWorkers(gridCode)[0];
      if (worker) return { type: 'person', id: worker.id, name: worker.name, unit: gridCode };
      // A grid without a worker on the roster falls to its community station.
      return assigneeFor(directory, 'community', gridCode, item);
    }
    case 'community': {
      const community = unitAt('community');
      return { type: 'unit', id: community.code, name: `${community.name}网格站`, unit: community.code };
    }
    case 'town': {
      // The street center dispatches by function: to the street's team of the item's department, if it has one.
      const town = unitAt('town');
      const team = directory.departmentTeam(item.department, town.code);
      if (team.length > 0)
        return { type: 'department', id: item.department, name: teamName(directory, item.department, town.code), unit: town.code };
      return centerOf(directory, gridCode, 'town');
    }
    case 'district': {
      const district = unitAt('district');
      const department = directory.department(item.department);
      return { type: 'department', id: item.department, name: department?.name ?? item.department, unit: district.code };
    }
    case 'joint_meeting': {
      const district = unitAt('district');
      return { type: 'unit', id: district.code, name: `${district.name}跨部门联席会议`, unit: district.code };
    }
    case 'through_train': {
      const district = unitAt('district');
      return { type: 'unit', id: district.code, name: `${district.name}直通车（区领导）`, unit: district.code };
    }
  }
}

/** The tiers at which a center dispatches: the street's grid center for town cases, the district's for district cases. */
export type CenterTier = 'town' | 'district';

/** The role that staffs the center of each dispatching tier. */
export const CENTER_ROLE: Record<CenterTier, Role> = { town: UNIT_STAFF.town.staff, district: UNIT_STAFF.district.staff };

/** The unit whose center dispatches a case of this grid at a tier. */
export function centerUnitCode(gridCode: string, tier: CenterTier): string {
  const code = ancestorCodes(gridCode).find((ancestor) => levelOfCode(ancestor) === tier);
  if (!code) throw new RoutingError(`Grid ${gridCode} has no ${tier}`);
  return code;
}

/** The center that dispatches at a tier, as a handler: the street's grid center or the district's. */
export function centerOf(directory: UnitDirectory, gridCode: string, tier: CenterTier): Assignee {
  const unit = unitAbove(directory, gridCode, tier);
  return { type: 'unit', id: unit.code, name: `${unit.name}网格中心`, unit: unit.code };
}

function teamName(directory: UnitDirectory, department: string, unit: string): string {
  const head = directory.departmentHead(department, unit);
  return head?.name.replace(/负责人$/, '') ?? department;
}

/** The people an assignment is sent to: the worker, the unit's duty staff, the department's clerks. */
export function assigneeContacts(directory: UnitDirectory, assignee: Assignee): Person[] {
  switch (assignee.type) {
    case 'person': {
      const person = directory.person(assignee.id);
      return person ? [person] : [];
    }
    case 'unit': {
      const staff = directory.unitStaff(assignee.unit);
      const onDuty = staff.filter((person) => !person.head);
      return onDuty.length > 0 ? onDuty : staff;
    }
    case 'department': {
      const team = directory.departmentTeam(assignee.id, assignee.unit);
      const clerks = team.filter((person) => !person.head);
      return clerks.length > 0 ? clerks : team;
    }
  }
}

/** The handler's head, who gets the supervisory SMS (督办) when a case is overdue. */
export function headOf(directory: UnitDirectory, assignee: Assignee): Person | undefined {
  switch (assignee.type) {
    case 'person': {
      // A grid worker answers to the community's grid chief; a station or center officer to the head of its unit.
      if (levelOfCode(assignee.unit) === 'grid') {
        const community = directory.ancestor(assignee.unit, 'community');
        return community ? directory.unitHead(community.code) : undefined;
      }
      const head = directory.unitHead(assignee.unit);
      if (head && head.id !== assignee.id) return head;
      return directory.peopleWithRole('leader', districtOf(assignee.unit))[0];
    }
    case 'unit':
      return levelOfCode(assignee.unit) === 'district'
        ? (directory.peopleWithRole('leader', assignee.unit)[0] ?? directory.unitHead(assignee.unit))
        : directory.unitHead(assignee.unit);
    case 'department':
      return directory.departmentHead(assignee.id, assignee.unit) ?? directory.unitHead(assignee.unit);
  }
}

/**
 * A department's team, as a case's involvedDepartments and the department counters name it: `441302:urban-management`
 * the district bureau, `441302010:urban-management` the street's team.
 */
export function teamCode(unit: string, department: string): string {
  return `${unit}:${department}`;
}

/** The key of a handler's open-case list (by deadline): `person#<grid>#<id>`, `unit#<code>#<code>`, `department#<unit>#<code>`. */
export function assigneeKey(assignee: Pick<Assignee, 'type' | 'unit' | 'id'>): string {
  return `${assignee.type}#${assignee.unit}#${assignee.id}`;
}
