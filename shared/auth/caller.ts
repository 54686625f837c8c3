/**
 * Who calls: the claims of a bearer JWT (Cognito in the cloud, a locally signed token in local mode).
 * Cognito carries custom attributes as `custom:role` strings; local tokens carry plain claims.
 *
 * Who the caller is comes from `custom:person`, the roster's person id, which only administrators may write
 * (infra/constructs/user-directory.ts); Cognito's `sub` is a UUID the pool generates, kept for audit only. A staff
 * token without a person id is refused (401, naming `custom:person`) rather than read as someone by its `sub`: such
 * a caller would be no case's handler and no campaign's target, and whatever they did would be recorded under an id
 * no roster knows — a silent half-working account. 401, not 403: the token does not say who the caller is, which is
 * what signing in is for; an administrator sets the attribute and the next token carries it.
 */
import * as z from 'zod';
import { type Caller, PERSON_ID_PATTERN } from '../domain/caller';
import { unauthorized } from '../domain/errors';
import { ROLES } from '../domain/types';
import { UNIT_CODE_PATTERN } from '../domain/unit-codes';

const listClaim = z.union([z.array(z.string()), z.string().transform((text) => text.split(/[\s,]+/).filter(Boolean))]);

/** The claim that names the caller's person (`custom:person` in Cognito and in local tokens). */
export const PERSON_CLAIM = 'custom:person';

const claimsSchema = z.object({
  sub: z.string().min(1),
  person: z.string().regex(PERSON_ID_PATTERN),
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
    const names = [...new Set(parsed.error.issues.map((issue) => claimName(raw, String(issue.path[0]))))];
    const person = claims.person;
    if (names.includes(PERSON_CLAIM) && typeof person === 'string' && person !== '')
      throw unauthorized(`The token's ${PERSON_CLAIM} is not a person id`, [
        { field: PERSON_CLAIM, message: 'letters, digits and . _ : - only, up to 128' },
      ]);
    if (names.includes(PERSON_CLAIM))
      throw unauthorized(
        `The token has no ${PERSON_CLAIM}: every staff account needs the person id an administrator gives it (the roster's id); sign in again once it is set`,
        [{ field: PERSON_CLAIM, message: "missing or empty: the user's person id, set by an administrator" }],
      );
    throw unauthorized(
      `The token's claims are not valid (${names.join(', ')})`,
      names.map((field) => ({ field, message: 'not valid' })),
    );
  }
  const { sub, person, name, role, units, department, phone } = parsed.data;
  if (role === 'department' && !department)
    throw unauthorized('A department token needs the department claim', [{ field: claimName(raw, 'department'), message: 'required' }]);
  return { person, sub, name: name ?? person, role, units, department, phone };
}

/**
 * The custom attributes a Cognito ID token carries with the `custom:` prefix (local tokens may carry them plain):
 * the user pool defines them, and its app client reads but never writes them (infra/constructs/user-directory.ts).
 */
export const CUSTOM_CLAIMS = ['person', 'role', 'units', 'department'] as const;

/** A claim's name as the token spells it (or, when it is missing, as Cognito would). */
function claimName(raw: Record<string, unknown>, name: string): string {
  return (CUSTOM_CLAIMS as readonly string[]).includes(name) && !(name in raw) ? `custom:${name}` : name;
}

/** Verifies a bearer token and returns its claims. Local: HMAC key in the data folder; cloud: Cognito JWKS. */
export interface TokenVerifier {
  verify(token: string): Promise<Record<string, unknown>>;
}
