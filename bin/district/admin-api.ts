/**
 * The platform's reference administration (/admin/reference/…) as the command line calls it. The district tools
 * never open a data folder's database: locally they call the running `npm start` of the data folder
 * (GRIDFLOW_DATA_DIR: where running-district.ts finds it) with an admin token minted with that folder's signing key;
 * for a deployment, the API URL and an admin's ID token (--api and --token, or GRIDFLOW_API_URL and GRIDFLOW_TOKEN).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../../dev-server/adapters/local-jwt';
import { localSettings } from '../local-settings';
import { platformUrl } from '../running-district';
import { localSubject } from '../sample-users';

/** Who the local admin token names, when --as does not say (the audit keeps it as who applied a version). */
export const LOCAL_ADMIN_PERSON = 'district-cli';

export interface Target {
  api: string;
  token: string;
  /** How it was found, for the output. */
  describe: string;
}

export class Refusal extends Error {}

/** A reply's JSON as far as the tools read it: an error's message and fields, else the route's own body. */
export type ReplyBody = {
  error?: { code?: string; message?: string; fields?: { field: string; message: string }[] };
  [field: string]: unknown;
};

export interface Reply {
  status: number;
  body: ReplyBody | undefined;
}

/** The platform to talk to: --api/--token (or their environment variables), else the running local one. */
export async function targetOf(options: { api?: string; token?: string; as?: string }): Promise<Target> {
  const api = options.api ?? process.env.GRIDFLOW_API_URL;
  const token = options.token ?? process.env.GRIDFLOW_TOKEN;
  if (api || token) {
    if (!api || !token) throw new Refusal('A deployed platform needs both --api URL and --token (or GRIDFLOW_API_URL and GRIDFLOW_TOKEN)');
    return { api: api.replace(/\/+$/, ''), token, describe: api };
  }
  const settings = localSettings();
  const url = platformUrl(settings);
  const keyFile = join(settings.dataDir, LOCAL_KEY_FILE);
  if (!existsSync(keyFile) || !(await isGridFlow(url)))
    throw new Refusal(
      `GridFlow is not running on the data folder ${resolve(settings.dataDir)} (nothing answers at ${url}): start it (npm start, with the same GRIDFLOW_DATA_DIR), or give --api and --token for a deployed one`,
    );
  const person = options.as ?? LOCAL_ADMIN_PERSON;
  const district = await districtOf(url);
  // An admin's token (an import applies), for the length of one command and its confirmation: it goes to whatever
  // answered /health on that address.
  const localToken = LocalSigningKey.loadOrCreate(keyFile).idToken(
    {
      sub: localSubject(person),
      name: 'npm run district',
      'custom:person': person,
      'custom:role': 'admin',
      'custom:units': district,
    },
    COMMAND_TOKEN_SECONDS,
  );
  return { api: url, token: localToken, describe: `${url} (npm start on ${resolve(settings.dataDir)}, as ${person})` };
}

/** How long the command's own admin token is good for: a command, and a person reading its diff before confirming. */
const COMMAND_TOKEN_SECONDS = 30 * 60;

/** Whether GridFlow answers at `url` (its /health says so). */
async function isGridFlow(url: string): Promise<boolean> {
  try {
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    return ((await health.json()) as { service?: string }).service === 'gridflow';
  } catch {
    return false;
  }
}

/** The district's code, from the public unit list (the admin's token names its unit). */
async function districtOf(api: string): Promise<string> {
  const reply = await request({ api, token: '', describe: api }, 'GET', '/units?level=district');
  const code = (reply.body?.items as { code?: unknown }[] | undefined)?.[0]?.code;
  if (reply.status !== 200 || typeof code !== 'string') throw new Refusal(`${api}/units answered ${reply.status}: no district`);
  return code;
}

export async function request(target: Target, method: string, path: string, body?: unknown): Promise<Reply> {
  let response: Response;
  try {
    response = await fetch(`${target.api}${path}`, {
      method,
      headers: {
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Refusal(`${target.api} cannot be reached: ${(error as Error).cause ?? (error as Error).message}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: text ? (JSON.parse(text) as ReplyBody) : undefined };
  } catch {
    // Not JSON (a proxy's page): its text, for the message.
    return { status: response.status, body: { error: { message: text.slice(0, 200) } } };
  }
}

/** The reply of a call that must succeed, or a refusal saying what the platform answered. */
export async function expectOk(target: Target, method: string, path: string, body?: unknown): Promise<unknown> {
  const reply = await request(target, method, path, body);
  if (reply.status >= 200 && reply.status < 300) return reply.body;
  throw new Refusal(`${method} ${path} answered ${reply.status}: ${reply.body?.error?.message ?? JSON.stringify(reply.body)}`);
}

/** The version in effect and its documents (those named in `only`, else all), or undefined when none was applied yet. */
export async function currentDocuments(
  target: Target,
  only?: string[],
): Promise<{ version: number; documents: Record<string, unknown> } | undefined> {
  const reply = await request(target, 'GET', '/admin/reference');
  if (reply.status === 404) return undefined;
  if (reply.status !== 200)
    throw new Refusal(`GET /admin/reference answered ${reply.status}: ${reply.body?.error?.message ?? JSON.stringify(reply.body)}`);
  const entries = await Promise.all(
    ((reply.body?.documents ?? []) as { name: string; href: string }[])
      .filter(({ name }) => !only || only.includes(name))
      .map(async ({ name, href }) => [name, await expectOk(target, 'GET', href)] as [string, unknown]),
  );
  return { version: reply.body?.version as number, documents: Object.fromEntries(entries) };
}
