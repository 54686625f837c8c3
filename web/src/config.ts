/**
 * The deployment's settings, read once before the app starts: `config.json` beside index.html, which the cloud
 * stack writes (infra/gridflow-stack.ts: the API's URL, the user pool, its app client and hosted sign-in domain, the
 * map's tiles). Local mode's (dev-server/web-site.ts) sets at most the tiles: the API is on the page's own origin and
 * people sign in from the roster.
 */

export interface SiteConfig {
  /** The API's base URL (its own origin in the cloud); '' is the page's own origin. */
  apiUrl: string;
  /** The hosted sign-in (Cognito), when the deployment has one. */
  signIn?: HostedSignIn;
  /** The map's base layer: an XYZ tile template (`{z}`, `{x}`, `{y}`, optionally `{s}`), when the deployment has one. */
  tileUrl?: string;
}

export interface HostedSignIn {
  region: string;
  userPoolId: string;
  clientId: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` (or the pool's custom domain). */
  signInUrl: string;
}

const LOCAL: SiteConfig = { apiUrl: '' };

let current: SiteConfig = LOCAL;

/** The settings in force (local mode's until `loadSiteConfig` has read the deployment's). */
export function siteConfig(): SiteConfig {
  return current;
}

/** Reads `config.json`; none (local mode answers 404), or one that is not the stack's, leaves local mode's settings. */
export async function loadSiteConfig(fetchConfig: typeof fetch = fetch): Promise<SiteConfig> {
  try {
    const response = await fetchConfig('/config.json', { cache: 'no-cache', headers: { accept: 'application/json' } });
    current = response.ok ? configOf(await response.json()) : LOCAL;
  } catch {
    current = LOCAL;
  }
  return current;
}

/** The settings a `config.json` gives: strings only, URLs without a trailing slash, the sign-in only when whole. */
export function configOf(json: unknown): SiteConfig {
  const value = (key: string): string | undefined => {
    const field = (json as Record<string, unknown> | null)?.[key];
    return typeof field === 'string' && field.trim() !== '' ? field.trim() : undefined;
  };
  const apiUrl = (value('apiUrl') ?? '').replace(/\/+$/, '');
  const region = value('region');
  const userPoolId = value('userPoolId');
  const clientId = value('clientId');
  const signInUrl = value('signInUrl')?.replace(/\/+$/, '');
  const tileUrl = value('tileUrl');
  return {
    apiUrl,
    ...(tileUrl && /^https?:\/\/[^\s]+\{z\}/.test(tileUrl) && tileUrl.includes('{x}') && tileUrl.includes('{y}') && { tileUrl }),
    ...(region && userPoolId && clientId && signInUrl && { signIn: { region, userPoolId, clientId, signInUrl } }),
  };
}
