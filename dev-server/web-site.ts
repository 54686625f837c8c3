/**
 * The web app's files on the API's port, as the cloud will serve them from their own site: `/` is the app's
 * index.html, `/assets/…` its hashed files (cached for good), anything else the API's (the app routes by the
 * address's hash, so no path of the app is one of the API's). The build may still be under way when the first
 * page is asked for (`npm start` builds it beside the platform's start): such a request waits for it.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * What the page may load: its own scripts only; data from the API on this origin; photos from anywhere over HTTPS.
 * Inline styles too: a report's own page, shown in a frame that may run nothing (srcdoc, sandboxed), takes this
 * policy, and its styles and charts are inline. No referrer leaves the page (a local address may carry ?token= for a
 * moment).
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface WebSite {
  /** Serves a GET or HEAD of the app's files; false leaves the request to the API (its JSON 404 included). */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean>;
}

/**
 * The deployment's settings the app reads from `/config.json` (in the cloud the stack writes it, with the API's URL
 * and the sign-in): locally only the base map's tile address, `GRIDFLOW_TILE_URL` (an XYZ template with `{z}`, `{x}`,
 * `{y}` and optionally `{s}`), when set. Always answered, `{}` without one: the app asks for it on every start.
 */
export function localSiteSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const tileUrl = env.GRIDFLOW_TILE_URL?.trim();
  return tileUrl ? { tileUrl } : {};
}

export function webSite(dist: string, ready: Promise<unknown> = Promise.resolve(), settings = localSiteSettings()): WebSite {
  const config = JSON.stringify(settings);
  return {
    async serve(request, response, pathname) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (pathname === '/config.json') {
        response.writeHead(200, {
          'content-type': CONTENT_TYPES['.json'],
          'content-length': String(Buffer.byteLength(config)),
          'cache-control': 'no-cache',
          ...PAGE_HEADERS,
        });
        response.end(request.method === 'HEAD' ? undefined : config);
        return true;
      }
      const isPage = pathname === '/' || pathname === '/index.html';
      if (!isPage && !pathname.startsWith('/assets/') && !pathname.startsWith('/favicon')) return false;
      const built = await ready.then(
        () => true,
        () => false,
      );
      const file = isPage ? join(dist, 'index.html') : within(dist, pathname);
      if (!file || !existsSync(file) || !statSync(file).isFile()) {
        if (!isPage) return false;
        response.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
        response.end(
          JSON.stringify({
            error: {
              code: 'web_app_not_built',
              message: built ? 'The web app is not built: npm run build:web' : 'The web app could not be built: see npm start’s output',
            },
          }),
        );
        return true;
      }
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': String(statSync(file).size),
        // The page is looked at again each time (it names the current build's files); those never change.
        'cache-control': isPage ? 'no-cache' : 'public, max-age=31536000, immutable',
        ...PAGE_HEADERS,
      });
      if (request.method === 'HEAD') response.end();
      // A browser may go away mid-file (a page left): nothing to answer then.
      else await pipeline(createReadStream(file), response).catch(() => response.destroy());
      return true;
    },
  };
}

/** The file a path names inside `dist`, or undefined for a path that would leave it. */
function within(dist: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const file = normalize(join(dist, decoded));
  return file.startsWith(dist + sep) ? file : undefined;
}
