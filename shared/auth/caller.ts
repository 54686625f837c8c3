/**
 * Who calls: the claims of a bearer JWT (Cognito in the cloud, a locally signed token in local mode).
 * Cognito carries custom attributes as `custom:role` strings; local tokens carry plain claims.
 */
import * as z from 'zod';
import type { Caller } from '../domain/caller';
import { unauthorized } from '../domain/errors';
import { ROLES } from '../domain/types';
import { UNIT_CODE_PATTERN } from '../domain/unit-codes';

const listClaim = z.union([z.array(z.string()), z.string().transform((text) => text.split(/[\s,]+/).filter(Boolean))]);

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  role: z.enum(ROLES),
  units: listClaim.pipe(z.array(z.string().regex(UNIT_CODE_PATTERN)).min(1)),
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

/** Verifies a bearer token and returns its claims. Local: HMAC key in the data folder; cloud: Cognito JWKS. */
export interface TokenVerifier {
  verify(token: string): Promise<Record<string, unknown>>;
}
