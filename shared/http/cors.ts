/**
 * Which browser pages may call the API, one rule for the cloud (the HTTP API's CORS configuration) and the local
 * gateway (which answers as the HTTP API does). The web app's own origin comes first; a deployment may add more.
 */

/** The methods the API's routes use, and the preflight's own. */
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/** The request headers a page may send: the token, JSON bodies, the report's idempotency key and reporter token. */
export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Reporter-Token'] as const;

/** How long a browser keeps a preflight's answer. */
export const CORS_MAX_AGE_SECONDS = 86_400;

/** An origin as a browser sends it: scheme, host and port only — no wildcard, no path. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * A comma-separated origins setting (the `corsAllowOrigins` context, `GRIDFLOW_CORS_ALLOW_ORIGINS` locally) as a list;
 * anything that is not an origin is refused (the HTTP API reads `*` as every origin, the local gateway would read it as
 * none: neither is what a deployment means).
 */
export function originsOf(setting: string | undefined): string[] {
  const origins = (setting ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
  const wrong = origins.find((origin) => !ORIGIN.test(origin));
  if (wrong !== undefined) throw new Error(`Not an origin (scheme://host[:port]) in the CORS origins: ${wrong}`);
  return origins;
}
