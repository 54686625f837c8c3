/**
 * Claims for local tokens, as Cognito puts a user's attributes in an ID token (`custom:role`,
 * `custom:units` comma-separated, `custom:department`, `phone_number` in E.164): a person from the duty
 * roster when one fits, otherwise a generic user of that role and unit.
 */
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
  const phone = extra.phone ?? person?.phone;
  return {
    sub: extra.sub ?? person?.id ?? `${role}-${unit}${extra.department ? `-${extra.department}` : ''}`,
    name: extra.name ?? person?.name ?? `${role} ${unit}`,
    'custom:role': role,
    'custom:units': unit,
    ...(extra.department ? { 'custom:department': extra.department } : {}),
    // Mainland numbers as Cognito stores them; callerFromClaims reads them back as 11 digits.
    ...(phone ? { phone_number: phone.startsWith('+') ? phone : `+86${phone}` } : {}),
  };
}
