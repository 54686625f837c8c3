/**
 * The district the local tools (token, demo, report) go by: the people, units and departments of the version in
 * effect of the platform running on the data folder, read through its admin API — DynamoDB Local is single-writer
 * per folder, so a tool never opens the database a platform holds. Only where no platform answers do the tools fall
 * back to the data folder's old `district.json` or the bundled sample district.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../dev-server/adapters/local-jwt';
import { runningPlatformUrl } from '../dev-server/data-folder-lock';
import { sampleDirectory } from '../dev-server/seed-reference';
import { type DirectoryData, UnitDirectory } from '../shared/domain/units';
import type { LocalSettings } from './local-settings';
import { localSubject } from './sample-users';

/** Who the tools read as: a district-center reader of their own, in the audit of nothing (they only read). */
const TOOLS_PERSON = 'gridflow-local-tools';

/** Where the data folder's platform answers: GRIDFLOW_URL, else the API its lock names, else localhost:PORT. */
export function platformUrl(settings: LocalSettings, env: NodeJS.ProcessEnv = process.env): string {
  return env.GRIDFLOW_URL ?? runningPlatformUrl(settings.dataDir) ?? `http://localhost:${settings.port}`;
}

export interface District {
  directory: UnitDirectory;
  /** What it was read from, for a tool's messages. */
  source: string;
}

/**
 * The district of the platform at `url` (its version in effect), when GridFlow answers there and takes a token
 * signed with the data folder's key; undefined otherwise.
 */
export async function runningDistrict(url: string, key: LocalSigningKey): Promise<District | undefined> {
  const get = async (path: string, token?: string) => {
    const response = await fetch(`${url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
  };
  try {
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    if (!health.ok || ((await health.json()) as { service?: string }).service !== 'gridflow') return undefined;
    const districts = (await get('/units?level=district')) as { items?: { code: string }[] } | undefined;
    const district = districts?.items?.[0]?.code;
    if (!district) return undefined;
    // A reader's token (a district center reads the reference documents, and changes none), for a minute: it is
    // sent to whatever answered /health on that address.
    const token = key.idToken(
      {
        sub: localSubject(TOOLS_PERSON),
        name: 'GridFlow local tools',
        'custom:person': TOOLS_PERSON,
        'custom:role': 'district_center',
        'custom:units': district,
      },
      60,
    );
    const current = (await get('/admin/reference', token)) as { version?: number } | undefined;
    if (current?.version === undefined) return undefined;
    const [units, departments, people] = await Promise.all(
      ['units', 'departments', 'people'].map((name) => get(`/admin/reference/versions/${current.version}/documents/${name}`, token)),
    );
    if (!units || !departments || !people) return undefined;
    const data = { units, departments, people } as unknown as DirectoryData;
    return { directory: new UnitDirectory(data), source: `reference version ${current.version} of GridFlow at ${url}` };
  } catch {
    return undefined;
  }
}

/** Where nothing runs: the data folder's old `district.json` (imported as version 1 at the first start), or the sample. */
export function fallbackDistrict(dataDir: string): District {
  const file = join(dataDir, 'district.json');
  if (existsSync(file))
    return { directory: new UnitDirectory(JSON.parse(readFileSync(file, 'utf8'))), source: `${file} (no GridFlow answers)` };
  return { directory: sampleDirectory(), source: 'the sample district (no GridFlow answers)' };
}

/** The running platform's district, else the fallback; and the data folder's signing key. */
export async function toolDistrict(settings: LocalSettings): Promise<District & { key: LocalSigningKey; url: string }> {
  const key = LocalSigningKey.loadOrCreate(join(settings.dataDir, LOCAL_KEY_FILE));
  const url = platformUrl(settings);
  const district = (await runningDistrict(url, key)) ?? fallbackDistrict(settings.dataDir);
  return { ...district, key, url };
}
