/** Who may see which report: a unit's report within the caller's units; a department's figures to its own staff or to the district's centers, leaders and supervisors. */
import { canSeeUnit, type Caller } from '../../domain/caller';
import { badRequest, forbidden, notFound } from '../../domain/errors';
import { mayDo } from '../../domain/operations';
import type { CoreDependencies } from '../dependencies';
import type { ReportScope } from '../../domain/reports';
import { teamCode } from '../../domain/routing';
import { districtOf, levelOfCode } from '../../domain/unit-codes';

export function reportScope(
  deps: Pick<CoreDependencies, 'directory'>,
  caller: Caller,
  query: { unit?: string; department?: string },
): ReportScope {
  if (query.department) {
    const department = deps.directory.department(query.department);
    if (!department) throw notFound(`Department ${query.department} does not exist`);
    const unit = query.unit ?? districtOf(caller.units[0]);
    if (!deps.directory.unit(unit)) throw notFound(`Unit ${unit} does not exist`);
    if (caller.role === 'department' ? caller.department !== query.department || !caller.units.includes(unit) : !canSeeUnit(caller, unit)) {
      throw forbidden(`The figures of ${query.department} at ${unit} are not yours to see`);
    }
    const head = deps.directory.departmentHead(query.department, unit);
    return {
      kind: 'department',
      code: teamCode(unit, query.department),
      name: levelOfCode(unit) === 'district' ? department.name : (head?.name.replace(/负责人$/, '') ?? department.name),
    };
  }
  if (!mayDo(caller.role, 'read_unit_report'))
    throw badRequest('department staff ask for their department: department=<code>', [{ field: 'department', message: 'required' }]);
  const code = query.unit ?? (caller.units.length === 1 ? caller.units[0] : undefined);
  if (!code) throw badRequest('unit is required when your token covers several units', [{ field: 'unit', message: 'required' }]);
  const unit = deps.directory.unit(code);
  if (!unit) throw notFound(`Unit ${code} does not exist`);
  if (!canSeeUnit(caller, code)) throw forbidden(`Unit ${code} is outside your units`);
  return { kind: 'unit', code, name: unit.name, level: unit.level };
}
