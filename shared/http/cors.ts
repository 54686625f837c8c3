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

/** A comma-separated origins setting (the `corsAllowOrigins` context, `GRIDFLOW_CORS_ALLOW_ORIGINS` locally) as a list. */
export function originsOf(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
}
