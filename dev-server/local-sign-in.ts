/**
 * Local mode's sign-in for the web app: the roster of the reference version in effect, to pick a person from
 * (`GET /_local/people`: names, roles, units, departments — no phones), and a token for the person picked
 * (`POST /_local/sign-in {"person"}`), as `npm run token` mints one with the data folder's key.
 *
 * Local mode only, as the token tool: the gateway listens on 127.0.0.1. A sign-in must come to `localhost` or a
 * loopback address by name (a page whose own name was rebound to 127.0.0.1 cannot read a token) and as JSON (a
 * cross-site page cannot send that without a preflight, which the gateway answers for the API's routes only).
 */
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../shared/domain/errors';
import type { UnitDirectory } from '../shared/domain/units';
import { sampleClaims } from '../bin/sample-users';
import type { LocalRoute } from './gateway';

export interface RosterEntry {
  id: string;
  name: string;
  role: string;
  title?: string;
  head?: boolean;
  unit: string;
  unitName: string;
  unitNameEn: string;
  department?: string;
  departmentName?: string;
  departmentNameEn?: string;
}

type Reply = { status: number; body: unknown };

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
const MAX_SIGN_IN_BYTES = 1024;

/** The two routes, on the platform's directory (the reference version in effect) and its signing key. */
export function localSignInRoutes(deps: { directory: UnitDirectory }, mint: (claims: Record<string, unknown>) => string): LocalRoute[] {
  return [
    { method: 'GET', path: '/_local/people', respond: () => answered(async () => localRoster(deps.directory)) },
    { method: 'POST', path: '/_local/sign-in', respond: (request) => answered(() => localSignIn(request, deps.directory, mint)) },
  ];
}

/** A refusal of the domain as the API words it: above all 503 reference_missing while a new platform seeds its first version. */
async function answered(reply: () => Promise<Reply>): Promise<Reply> {
  try {
    return await reply();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
}

/** The roster, unit by unit in code order (a unit's head first), for the sign-in page. */
export function localRoster(directory: UnitDirectory): Reply {
  const people: RosterEntry[] = directory
    .allPeople()
    .sort((a, b) => a.unit.localeCompare(b.unit) || Number(Boolean(b.head)) - Number(Boolean(a.head)) || a.id.localeCompare(b.id))
    .map((person) => {
      const unit = directory.unit(person.unit);
      const department = person.department ? directory.department(person.department) : undefined;
      return {
        id: person.id,
        name: person.name,
        role: person.role,
        ...(person.title && { title: person.title }),
        ...(person.head && { head: true }),
        unit: person.unit,
        unitName: unit?.name ?? person.unit,
        unitNameEn: unit?.nameEn ?? person.unit,
        ...(person.department && {
          department: person.department,
          departmentName: department?.name ?? person.department,
          departmentNameEn: department?.nameEn ?? person.department,
        }),
      };
    });
  return { status: 200, body: { people } };
}

/** A local ID token for a person of the roster, minted by `mint` (the platform's signing key). */
export async function localSignIn(
  request: IncomingMessage,
  directory: UnitDirectory,
  mint: (claims: Record<string, unknown>) => string,
): Promise<Reply> {
  if (!LOOPBACK_HOST.test(request.headers.host ?? '')) return refusal(403, 'forbidden', 'Local sign-in answers on localhost only', 'host');
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
    return refusal(415, 'unsupported_media_type', 'Send {"person": "<person id>"} as application/json', 'content-type');
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_SIGN_IN_BYTES) return refusal(413, 'payload_too_large', 'A sign-in is a person id only', 'person');
  }
  let person: unknown;
  try {
    person = (JSON.parse(text) as { person?: unknown } | null)?.person;
  } catch {
    return refusal(400, 'bad_request', 'The body is not JSON', 'person');
  }
  const known = typeof person === 'string' ? directory.person(person) : undefined;
  if (!known) return refusal(400, 'bad_request', 'person must be the id of a person on the roster (GET /_local/people)', 'person');
  const claims = sampleClaims(directory, known.role, known.unit, {
    department: known.department,
    person: known.id,
    name: known.name,
    phone: known.phone,
  });
  return { status: 200, body: { token: mint(claims) } };
}

function refusal(status: number, code: string, message: string, field: string): Reply {
  return { status, body: { error: { code, message, fields: [{ field, message }] } } };
}
