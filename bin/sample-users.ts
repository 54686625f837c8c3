/**
 * Claims for local tokens, as Cognito puts a user's attributes in an ID token (`custom:person`, `custom:role`,
 * `custom:units` comma-separated, `custom:department`, `phone_number` in E.164): a person from the duty
 * roster when one fits, otherwise a generic user of that role and unit.
 *
 * `custom:person` is the roster's person id, which every rule goes by; `sub` is, as in Cognito, a UUID of the
 * account unlike the person id (made from it, so that a person's tokens share one), which decides nothing.
 */
import { createHash } from 'node:crypto';
import type { UnitDirectory } from '../shared/domain/units';
import type { Role } from '../shared/domain/types';

export interface TokenRequest {
  role: Role;
  unit: string;
  department?: string;
  name?: string;
  phone?: string;
  /** The person id (`custom:person`); default: the roster's person of that role and unit. */
  person?: string;
  /** The account's subject; default: a UUID made from the person id. */
  sub?: string;
}

/** A local account's `sub`: a UUID (version 4's shape) made from the person id, as unlike it as Cognito's. */
export function localSubject(person: string): string {
  const hex = createHash('sha256').update(`gridflow-local-account:${person}`).digest('hex');
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
  const personId = extra.person ?? person?.id ?? `${role}-${unit}${extra.department ? `-${extra.department}` : ''}`;
  return {
    sub: extra.sub ?? localSubject(personId),
    name: extra.name ?? person?.name ?? `${role} ${unit}`,
    'custom:person': personId,
    'custom:role': role,
    'custom:units': unit,
    ...(extra.department ? { 'custom:department': extra.department } : {}),
    // Mainland numbers as Cognito stores them; callerFromClaims reads them back as 11 digits.
    ...(phone ? { phone_number: phone.startsWith('+') ? phone : `+86${phone}` } : {}),
  };
}
