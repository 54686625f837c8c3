/**
 * Who calls: the claims of a bearer JWT (Cognito in the cloud, a locally signed token in local mode).
 * Cognito carries custom attributes as `custom:role` strings; local tokens carry plain claims.
 */
import * as z from 'zod';
import { ROLES, type Actor, type Role } from '../domain/types';
import { isWithin } from '../domain/units';
import { unauthorized } from '../domain/errors';

export interface Caller {
  sub: string;
  name: string;
  role: Role;
  /** Unit codes in scope: the caller sees and acts on these and everything below them. */
  units: string[];
  department?: string;
  phone?: string;
}

const listClaim = z.union([z.array(z.string()), z.string().transform((text) => text.split(/[\s,]+/).filter(Boolean))]);

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  role: z.enum(ROLES),
  units: listClaim.pipe(z.array(z.string().regex(/^\d{6}(\d{3}){0,3}$/)).min(1)),
  department: z.string().optional(),
  phone: z.string().optional(),
});

/** Reads a caller from JWT claims; Cognito's `custom:` prefix is accepted. */
export function callerFromClaims(raw: Record<string, unknown>): Caller {
  const claims = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key.replace(/^custom:/, ''), value]));
  // Cognito keeps the phone in the standard E.164 `phone_number`; reporters type 11 digits.
  if (claims.phone === undefined && typeof claims.phone_number === 'string') claims.phone = claims.phone_number.replace(/^\+86/, '');
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw unauthorized(`The token's claims are not valid (${fields})`);
  }
  const { sub, name, role, units, department, phone } = parsed.data;
  if (role === 'department' && !department) throw unauthorized('A department token needs the department claim');
  return { sub, name: name ?? sub, role, units, department, phone };
}

export function canSeeUnit(caller: Caller, code: string): boolean {
  return caller.units.some((scope) => isWithin(code, scope));
}

export function actorOf(caller: Caller): Actor {
  return { id: caller.sub, name: caller.name, role: caller.role };
}

/** Verifies a bearer token and returns its claims. Local: HMAC key in the data folder; cloud: Cognito JWKS. */
export interface TokenVerifier {
  verify(token: string): Promise<Record<string, unknown>>;
}
