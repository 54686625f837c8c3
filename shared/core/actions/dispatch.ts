/** 分流/转办: the street or district center sends a case it holds to a department team or a person. */
import { badRequest, conflict, unprocessable } from '../../domain/errors';
import { mayDo } from '../../domain/operations';
import { assigneeFor, centerUnitCode } from '../../domain/routing';
import type { Assignee, Case } from '../../domain/types';
import { assignTo, itemOf } from '../case-moves';
import type { ReferenceData } from '../dependencies';
import type { ActionFamily } from './outcome';

export const DISPATCH_ACTIONS: ActionFamily<'assign'> = {
  assign: ({ deps, caller, now }, theCase, input) => {
    // Dispatching a case the center holds is not a reassignment; moving it from one handler to another is.
    const firstDispatch = theCase.clock?.kind === 'dispatch' || theCase.assignee?.type === 'unit';
    const reassignments = (theCase.reassignments ?? 0) + (firstDispatch ? 0 : 1);
    if (reassignments > deps.policy.maxReassignments) {
      throw conflict(`Event ${theCase.id} was reassigned ${deps.policy.maxReassignments} times; escalate it to a joint meeting instead`, [
        { field: 'action', message: 'too many reassignments' },
      ]);
    }
    // The center's own unit: its teams and people are the ones it may send the case to.
    const unit = centerUnitCode(theCase.gridCode, theCase.tier === 'district' ? 'district' : 'town');
    let assignee: Assignee;
    if (input.department) {
      const team = deps.directory.departmentTeam(input.department, unit);
      if (team.length === 0)
        throw unprocessable(`Department ${input.department} has no team at unit ${unit}`, [
          { field: 'department', message: 'no team here' },
        ]);
      assignee =
        theCase.tier === 'district'
          ? districtDepartment(deps, theCase, input.department)
          : assigneeFor(deps.directory, 'town', theCase.gridCode, { ...itemOf(deps, theCase), department: input.department });
    } else {
      // ActionBody asks for a department or a person, exactly one.
      if (!input.person) throw badRequest('assign needs a department or a person', [{ field: 'department', message: 'or person' }]);
      const person = deps.directory.person(input.person);
      if (!person?.unit.startsWith(unit) || !mayDo(person.role, 'be_assigned_by_name')) {
        throw unprocessable(`Person ${input.person} is not someone who handles cases in unit ${unit}`, [
          { field: 'person', message: 'unknown here' },
        ]);
      }
      assignee = { type: 'person', id: person.id, name: person.name, unit: person.unit };
    }
    if (!caller.units.some((scope) => unit.startsWith(scope)))
      throw unprocessable(`Unit ${unit} is outside your units`, [{ field: 'department', message: 'out of scope' }]);
    return assignTo(deps, { ...theCase, reassignments }, theCase.tier, assignee, now, {
      type: 'assigned',
      reason: input.note ?? `交办 ${assignee.name}`,
      count: firstDispatch ? [] : ['reassigned'],
    });
  },
};

/** A department's district bureau as the handler of a district case (or of a joint meeting's decision). */
export function districtDepartment(deps: ReferenceData, theCase: Case, code: string): Assignee {
  return assigneeFor(deps.directory, 'district', theCase.gridCode, { ...itemOf(deps, theCase), department: code });
}
