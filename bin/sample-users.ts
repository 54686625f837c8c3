/** Claims for local tokens: a person from the duty roster when one fits, otherwise a generic user of that role and unit. */
import type { UnitDirectory } from '../shared/domain/units';
import type { Role } from '../shared/domain/types';

export interface TokenRequest {
  role: Role;
  unit: string;
  department?: string;
  name?: string;
  phone?: string;
  sub?: string;
}

export function sampleClaims(
  directory: UnitDirectory,
  role: Role,
  unit: string,
  extra: Partial<TokenRequest> = {},
): Record<string, unknown> {
  const candidates = role === 'department' ? directory.departmentTeam(extra.department ?? '', unit) : directory.peopleWithRole(role, unit);
  // Clerks act on cases; heads are who get supervised. A token without a name is the clerk.
  const person = candidates.find((candidate) => !candidate.head) ?? candidates[0];
  return {
    sub: extra.sub ?? person?.id ?? `${role}-${unit}${extra.department ? `-${extra.department}` : ''}`,
    name: extra.name ?? person?.name ?? `${role} ${unit}`,
    role,
    units: [unit],
    ...(extra.department ? { department: extra.department } : {}),
    ...((extra.phone ?? person?.phone) ? { phone: extra.phone ?? person?.phone } : {}),
  };
}
