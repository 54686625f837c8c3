/**
 * The local HTTP gateway: turns requests into API Gateway HTTP API (v2) events — with the JWT claims the
 * cloud authorizer would put there — and serves them with the same route modules, from the same route table,
 * bound in-process to this platform's own dependencies (several platforms in one process share nothing).
 *
 * Bodies: the HTTP API takes up to 10 MB and hands it to the function, whose check answers a body over 64 KiB
 * (MAX_BODY_BYTES; a route module may take more, as the reference proposals do) with 413. Locally the gateway stops reading at that limit — at once when the Content-Length
 * says more — and answers the function's 413 itself; a reply sent while a body is still unread closes the
 * connection (`connection: close`) rather than draining it. As in the cloud, a signed-in route's JWT check
 * comes first, and it needs no body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  bindRoute,
  bodyTooLarge,
  MAX_BODY_BYTES,
  type ApiEvent,
  type ApiHandler,
  type ApiRoute,
  type AppDependencies,
} from '../shared/http/api-handler';
import { badRequest } from '../shared/domain/errors';
import { GATEWAY_UNAUTHORIZED } from '../shared/http/gateway-replies';
import { ROUTES, type RouteDefinition } from '../shared/http/routes';
import { allowReplyOrigin, answerPreflight, isPreflight } from './cors';
import type { AwsService, EdgeRequest } from './edge/aws-service';
import type { WebSite } from './web-site';

export interface LocalRoute {
  method: string;
  path: string;
  /** Needs a bearer token, checked as the API's signed-in routes check it (401 without); its claims are passed. */
  signedIn?: boolean;
  respond: (request: IncomingMessage, claims?: Record<string, unknown>) => Promise<{ status: number; body: unknown }>;
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
  /** The route's handler module, bound to the local composition. */
  handler: ApiHandler;
}

/**
 * Every route's function module, by handler name (a platform starts importing them while DynamoDB Local starts:
 * loading them takes a few hundred ms).
 */
export async function importRouteModules(): Promise<Map<string, ApiRoute>> {
  const routes = new Map<string, ApiRoute>();
  // One at a time: Jest's ES module loader fails concurrent imports of modules that share a dependency.
  for (const name of new Set(ROUTES.map((route) => route.handler))) {
    const module: { route: ApiRoute } = await import(`../functions/${name}`);
    routes.set(name, module.route);
  }
  return routes;
}

/** How long an idle connection stays open (a load balancer's usual 60 s, plus a margin). */
const KEEP_ALIVE_MS = 65_000;

export async function startGateway(options: {
  port: number;
  deps: AppDependencies;
  /** Each route's function's own dependencies (as each Lambda composes its own); default `deps`. */
  depsOf?: (functionName: string) => AppDependencies;
  extraRoutes?: LocalRoute[];
  /** AWS protocols answered on this port before the API's routes (see edge/aws-service.ts). */
  awsServices?: AwsService[];
  /** The route modules, if already being imported (importRouteModules); else imported now. */
  routeModules?: Promise<Map<string, ApiRoute>>;
  /** The web app's files (`/`, `/assets/…`), served beside the API. */
  site?: WebSite;
  /** Other pages' origins that may call the API from a browser (dev-server/cors.ts). @default none */
  corsAllowOrigins?: readonly string[];
}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const handlers = new Map<string, ApiHandler>();
  const bodyLimits = new Map<string, number>();
  for (const [name, route] of await (options.routeModules ?? importRouteModules())) {
    handlers.set(
      name,
      bindRoute(route, () => options.depsOf?.(name) ?? options.deps, options.deps.logger),
    );
    bodyLimits.set(name, route.maxBodyBytes);
  }
  const compiled: CompiledRoute[] = ROUTES.map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    // Every route's handler was imported just above.
    const handler = handlers.get(route.handler);
    if (!handler) throw new Error(`No handler module loaded for ${route.handler} (${route.method} ${route.path})`);
    return { route, pattern: new RegExp(`^${source}$`), names, handler };
  });

  const server = createServer((request, response) => {
    serve(request, response).catch((error) => {
      console.error('Local gateway error', error);
      if (!response.headersSent) send(response, 500, { error: { code: 'internal', message: 'Local gateway error' } });
    });
  });
  // Idle connections outlive the client's (which reads this in Keep-Alive: timeout=65 and closes first): with Node's
  // 5 s a request sent on a connection the server was closing that instant got ECONNRESET and no reply.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;

  async function serve(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    // The AWS protocols post to the endpoint's root; an API route's body is never read as one of theirs.
    if (
      options.awsServices?.length &&
      method === 'POST' &&
      url.pathname === '/' &&
      (await serveAws(options.awsServices, request, response, url))
    )
      return;
    const extra = options.extraRoutes?.find((route) => route.method === method && route.path === url.pathname);
    if (extra) {
      let claims: Record<string, unknown> | undefined;
      if (extra.signedIn) {
        const authorized = await authorize(options.deps, request.headers.authorization);
        if ('refusal' in authorized) return send(response, 401, GATEWAY_UNAUTHORIZED, authorized.refusal);
        claims = authorized.claims;
      }
      const { status, body } = await extra.respond(request, claims);
      return send(response, status, body);
    }
    if (options.site && (await options.site.serve(request, response, url.pathname))) return;
    const matches = compiled.flatMap((entry) => {
      const match = entry.pattern.exec(url.pathname);
      return match ? [{ entry, match }] : [];
    });
    // CORS covers the API's routes only (the local sign-in's and the AWS protocols' are not the HTTP API's).
    const allowOrigins = options.corsAllowOrigins ?? [];
    if (matches.length > 0 && isPreflight(request)) return answerPreflight(request, response, allowOrigins);
    allowReplyOrigin(request, response, allowOrigins);
    const found = matches.find(({ entry }) => entry.route.method === method);
    if (!found) {
      if (matches.length > 0)
        return send(response, 405, { error: { code: 'method_not_allowed', message: `${method} is not allowed on ${url.pathname}` } });
      return send(response, 404, { error: { code: 'not_found', message: `No route ${method} ${url.pathname}` } });
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : (value ?? '')]),
    );
    let claims: Record<string, unknown> | undefined;
    if (found.entry.route.auth === 'required') {
      const authorized = await authorize(options.deps, headers.authorization);
      if ('refusal' in authorized) return send(response, 401, GATEWAY_UNAUTHORIZED, authorized.refusal);
      claims = authorized.claims;
    }
    const limit = bodyLimits.get(found.entry.route.handler) ?? MAX_BODY_BYTES;
    const body = await readBody(request, limit);
    if (body === undefined) {
      const refusal = bodyTooLarge(limit);
      return send(response, refusal.status, { error: { code: refusal.code, message: refusal.message } });
    }
    const { decoded: pathParameters, malformed } = decodedParameters(found.entry.names, found.match.slice(1));
    if (malformed) {
      const refusal = badRequest(`The path parameter ${malformed} is not percent-encoded UTF-8`, [
        { field: malformed, message: 'malformed percent-escape' },
      ]);
      return send(response, refusal.status, { error: { code: refusal.code, message: refusal.message, fields: refusal.fields } });
    }
    const event = apiEvent(request, url, method, found.entry.route, headers, body, pathParameters, claims);
    const context = { awsRequestId: event.requestContext.requestId, functionName: found.entry.route.handler } as Context;
    const result = await found.entry.handler(event, context);
    const structured = (typeof result === 'string' ? { statusCode: 200, body: result } : result) as APIGatewayProxyStructuredResultV2;
    response.writeHead(structured.statusCode ?? 200, (structured.headers ?? {}) as Record<string, string>);
    response.end(structured.body ?? '');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${options.port} is in use (set PORT to another one)`) : error),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The route's `{name}` parameters, decoded as the HTTP API decodes them; or the first that is not valid percent-encoded UTF-8. */
function decodedParameters(names: string[], values: string[]): { decoded: Record<string, string>; malformed?: string } {
  const decoded: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    try {
      decoded[name] = decodeURIComponent(values[index] ?? '');
    } catch {
      return { decoded, malformed: name };
    }
  }
  return { decoded };
}

/**
 * The JWT authorizer of signed-in routes, as the HTTP API's: a bearer token verified by the platform's
 * token verifier (signature by kid, issuer, audience, token use, and an `exp` that must be there and
 * not past), or a refusal with the `www-authenticate` header the HTTP API sends.
 */
async function authorize(
  deps: AppDependencies,
  authorization: string | undefined,
): Promise<{ claims: Record<string, unknown> } | { refusal: Record<string, string> }> {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { refusal: {} };
  try {
    return { claims: await deps.tokenVerifier.verify(token) };
  } catch (error) {
    // A header value: printable ASCII without quotes or backslashes.
    const reason = String((error as Error).message ?? error).replace(/[^\x20-\x7e]|["\\]/g, ' ');
    return { refusal: { 'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${reason}"` } };
  }
}

/** Answers an AWS protocol request if a service accepts it; false leaves the request to the API's routes. */
async function serveAws(services: AwsService[], request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const isAws =
    request.headers['x-amz-target'] !== undefined || /^application\/x-www-form-urlencoded/.test(request.headers['content-type'] ?? '');
  if (!isAws) return false;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const edgeRequest: EdgeRequest = {
    method: 'POST',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: Buffer.concat(chunks),
  };
  const service = services.find((candidate) => candidate.accepts(edgeRequest));
  if (!service) {
    send(response, 400, { __type: 'UnknownOperationException', message: 'No local AWS service answers this request' });
    return true;
  }
  const reply = await service.handle(edgeRequest);
  response.writeHead(reply.status, reply.headers);
  if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) response.end(reply.body);
  else await pipeline(reply.body, response);
  return true;
}

function apiEvent(
  request: IncomingMessage,
  url: URL,
  method: string,
  route: RouteDefinition,
  headers: Record<string, string>,
  body: string,
  pathParameters: Record<string, string>,
  claims?: Record<string, unknown>,
): ApiEvent {
  const query = Object.fromEntries(url.searchParams.entries());
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    body: body || undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: claims
        ? { principalId: '', integrationLatency: 0, jwt: { claims: claims as Record<string, string>, scopes: [] } }
        : (undefined as never),
    },
  } as ApiEvent;
}

/**
 * The body as text, or undefined once it passes `limit` bytes: then nothing more is read (the socket is left
 * paused, and the reply closes the connection). A Content-Length over the limit is refused before any is read.
 */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  if (Number(request.headers['content-length']) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: string | undefined) => {
      request.off('data', onData).off('end', onEnd).off('error', reject);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return chunks.push(chunk);
      request.pause();
      done(undefined);
    };
    const onEnd = () => done(Buffer.concat(chunks).toString('utf8'));
    request.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** True while a request's body has not been read to its end (a reply then closes the connection). */
function bodyUnread(request: IncomingMessage): boolean {
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  return hasBody && !request.complete;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const close = bodyUnread(response.req) ? { connection: 'close' } : {};
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers, ...close });
  response.end(JSON.stringify(body));
}
