/**
 * CORS as the HTTP API answers it when its CORS configuration is set (shared/http/cors.ts): a preflight is answered
 * by the gateway itself, before any route or authorizer; every reply of an API route to an allowed origin carries
 * `access-control-allow-origin`. A page from any other origin gets no CORS header, so its browser withholds the reply.
 * Locally no origin is allowed unless `GRIDFLOW_CORS_ALLOW_ORIGINS` lists some (the app is served on the API's origin).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE_SECONDS } from '../shared/http/cors';

const ALLOWED_HEADERS = new Set(CORS_ALLOW_HEADERS.map((header) => header.toLowerCase()));
const ALLOWED_METHODS = new Set<string>(CORS_ALLOW_METHODS);

export function isPreflight(request: IncomingMessage): boolean {
  return (
    request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined
  );
}

/** Answers a preflight: 204, with the allowance only when the origin, the method and every requested header are allowed. */
export function answerPreflight(request: IncomingMessage, response: ServerResponse, allowOrigins: readonly string[]): void {
  const origin = request.headers.origin ?? '';
  const method = String(request.headers['access-control-request-method'] ?? '').toUpperCase();
  const requested = String(request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((header) => header.trim().toLowerCase())
    .filter(Boolean);
  const allowed = allowOrigins.includes(origin) && ALLOWED_METHODS.has(method) && requested.every((header) => ALLOWED_HEADERS.has(header));
  response.writeHead(
    204,
    allowed
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': CORS_ALLOW_METHODS.join(','),
          'access-control-allow-headers': CORS_ALLOW_HEADERS.join(',').toLowerCase(),
          'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
          vary: 'origin',
        }
      : { vary: 'origin' },
  );
  response.end();
}

/** Marks an API reply readable by the requesting page when its origin is allowed (set before the reply's head is written). */
export function allowReplyOrigin(request: IncomingMessage, response: ServerResponse, allowOrigins: readonly string[]): void {
  const origin = request.headers.origin;
  if (origin === undefined || !allowOrigins.includes(origin)) return;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('vary', 'origin');
}
