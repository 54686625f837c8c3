/**
 * The HTTP side of every route: a route module declares who may call and its logic (`apiRoute`); `bindRoute`
 * binds it to a set of dependencies as a middy chain that checks size, parses JSON, identifies the caller, and
 * turns every error into `{ error: { code, message, fields? } }` — never a bare 500 for bad input. The Lambda
 * entry (shared/composition) and the local gateway (dev-server/) bind the same routes, each to its own dependencies.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { callerFromClaims, type TokenVerifier } from '../auth/caller';
import type { CoreDependencies, CoreLogger } from '../core/dependencies';
import { assertOneRole, type Caller } from '../domain/caller';
import {
  badRequest,
  DomainError,
  InvalidCursor,
  payloadTooLarge,
  serviceUnavailable,
  StoreUnavailable,
  unauthorized,
  unsupportedMediaType,
  type FieldProblem,
} from '../domain/errors';
import type { RouteAuth } from './routes';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** What a route's logic is given: the core's dependencies, how to verify a token, and where it runs. */
export interface AppDependencies extends CoreDependencies {
  tokenVerifier: TokenVerifier;
  /** Where this composition runs ('aws', 'local'): GET /health tells it. */
  mode: string;
  /**
   * Local mode, after a restart: how far bringing the kept lifecycle executions back has got (GET /health tells
   * it); undefined once all are back, and in the cloud.
   */
  resuming?: () => { done: number; total?: number } | undefined;
  /**
   * Brings the reference data (directory, catalog, calendar) up to the version in effect — checked at most once a
   * minute — before an invocation uses it. Absent where the reference data is fixed (use-case tests).
   */
  refreshReference?: () => Promise<void>;
}

/** The caller a route's logic sees: always there behind `required`, never identified on `public` routes. */
export type CallerOf<Auth extends RouteAuth> = Auth extends 'required' ? Caller : Auth extends 'optional' ? Caller | undefined : undefined;

export interface ApiRequest<Auth extends RouteAuth = RouteAuth> {
  /** The API Gateway payload as received, for what the fields below do not carry. */
  raw: ApiEvent;
  caller: CallerOf<Auth>;
  /** The route's `{name}` path parameters. */
  pathParameters: Record<string, string>;
  /** The parsed JSON body (undefined when there is none). */
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, string>;
  sourceIp: string;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  /** A body already rendered (HTML, CSV): sent as is instead of `body`, with the content-type given in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

/** A route module's plain part: who may call, and what it does with the request and the dependencies. */
export interface ApiRoute<Auth extends RouteAuth = RouteAuth> {
  readonly auth: Auth;
  /** The largest body the route takes (MAX_BODY_BYTES unless it says more): the function checks it, the local gateway too. */
  readonly maxBodyBytes: number;
  logic(request: ApiRequest<Auth>, deps: AppDependencies): Promise<ApiReply>;
}

export function apiRoute<Auth extends RouteAuth>(
  auth: Auth,
  logic: ApiRoute<Auth>['logic'],
  options: { maxBodyBytes?: number } = {},
): ApiRoute<Auth> {
  return { auth, logic, maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES };
}

/** Every route's body limit but those that say otherwise. */
export const MAX_BODY_BYTES = 64 * 1024;
/**
 * A reference proposal's limit: a district's 2,434 grid boundaries are 1–2 MB of JSON. Below Lambda's 6 MB request
 * payload (the HTTP API passes up to 10 MB).
 */
export const PROPOSAL_BODY_BYTES = 5 * 1024 * 1024;
/** What a body over a route's limit is answered (the local gateway answers it too, without reading further). */
export const bodyTooLarge = (limit = MAX_BODY_BYTES) =>
  payloadTooLarge(`The body is over ${limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${limit / 1024} KiB`}`);

export type ApiHandler = middy.MiddyfiedHandler<ApiEvent, APIGatewayProxyResultV2, Error, Context>;

/**
 * Binds a route to its dependencies. `dependencies` is asked on each call (it may throw: a composition built
 * at the first call that fails answers 500); `logger` logs what fails, and must not depend on the dependencies.
 */
export function bindRoute<Auth extends RouteAuth>(
  route: ApiRoute<Auth>,
  dependencies: () => AppDependencies,
  logger: CoreLogger,
): ApiHandler {
  return middy<ApiEvent, APIGatewayProxyResultV2, Error, Context>()
    .use(errorReplies(logger))
    .handler(async (event) => {
      const deps = dependencies();
      await deps.refreshReference?.();
      const headers = lowerCaseKeys(event.headers ?? {});
      const request: ApiRequest<Auth> = {
        raw: event,
        headers,
        pathParameters: definedValues(event.pathParameters),
        query: definedValues(event.queryStringParameters),
        body: parseBody(event, headers, route.maxBodyBytes),
        // identify() throws for a required route without a caller and gives none on a public one.
        caller: (await identify(route.auth, event, headers, deps)) as CallerOf<Auth>,
        sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
      };
      return toResult(await route.logic(request, deps));
    });
}

async function identify(
  auth: RouteAuth,
  event: ApiEvent,
  headers: Record<string, string>,
  deps: AppDependencies,
): Promise<Caller | undefined> {
  const caller = await callerOf(auth, event, headers, deps);
  if (caller) assertOneRole(caller, deps.directory);
  return caller;
}

async function callerOf(
  auth: RouteAuth,
  event: ApiEvent,
  headers: Record<string, string>,
  deps: AppDependencies,
): Promise<Caller | undefined> {
  // A code route's proof is in its body (or its reporter token), checked by its use case.
  if (auth === 'public' || auth === 'sms-code' || auth === 'resident') return undefined;
  if (auth === 'required') {
    // The gateway (the HTTP API's JWT authorizer, or the local gateway) has verified the token.
    const claims = event.requestContext?.authorizer?.jwt?.claims;
    if (!claims) throw unauthorized('Sign in: this route needs a bearer token');
    return callerFromClaims(claims);
  }
  const header = headers.authorization;
  if (!header) return undefined;
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  if (!token) throw unauthorized('The Authorization header must be "Bearer <token>"');
  try {
    return callerFromClaims(await deps.tokenVerifier.verify(token));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unauthorized('The bearer token is not valid or has expired');
  }
}

/**
 * JSON comes as application/json only: a form, text/plain or a body with no type needs no CORS preflight, so any
 * web page could send one from its visitor's browser (an anonymous report in their name).
 */
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

function parseBody(event: ApiEvent, headers: Record<string, string>, limit: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = headers['content-type'];
  if (!JSON_MEDIA_TYPE.test(contentType ?? ''))
    throw unsupportedMediaType(
      `The body must be sent as application/json, not ${contentType ? `"${contentType}"` : 'without a content type'}`,
      [{ field: 'content-type', message: 'must be application/json' }],
    );
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > limit) throw bodyTooLarge(limit);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`, [{ field: 'body', message: 'malformed JSON' }]);
  }
}

/** Parses input (the body, the query, the path's parameters) with a zod schema; a mismatch is a 400 naming each field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, where: 'body' | 'query' | 'path'): z.output<Schema> {
  if (value === undefined && where === 'body') throw badRequest('A JSON body is required', [{ field: 'body', message: 'missing' }]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: FieldProblem[] = result.error.issues.flatMap((issue) => {
    // An unknown field is named itself, not its parent.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), message: 'unknown field' }));
    return [{ field: issue.path.length ? fieldName(issue.path) : where, message: issueMessage(issue) }];
  });
  throw badRequest(`Invalid ${where}: ${fields.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`, fields);
}

/** A field's dotted path; a key with no name (`{"": 1}`, `?=1`) is named `""`. */
function fieldName(path: PropertyKey[]): string {
  return path.map((part) => (part === '' ? '""' : String(part))).join('.');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) return `unknown ${issue.discriminator}`;
  return issue.message;
}

function errorReplies(logger: CoreLogger): middy.MiddlewareObj<ApiEvent, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const error = asDomainError(request.error);
      if (error instanceof DomainError) {
        if (error.status >= 500) logger.warn('Answered with a server error', { code: error.code, error: String(request.error) });
        request.response = toResult({
          status: error.status,
          body: { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } },
          ...(error.retryAfterSeconds !== undefined && { headers: { 'retry-after': String(error.retryAfterSeconds) } }),
        });
        return;
      }
      logger.error('Unhandled error', { error: String(error), stack: error?.stack });
      request.response = toResult({
        status: 500,
        body: { error: { code: 'internal', message: 'Internal error; retrying with the same Idempotency-Key is safe' } },
      });
    },
  };
}

/** A store that could not be reached is restarted or heals in seconds (local mode restarts DynamoDB Local in ~5 s). */
const STORE_RETRY_AFTER_SECONDS = 5;

/** Errors of the core that are not HTTP-shaped, as the reply they deserve. */
function asDomainError(error: unknown) {
  if (error instanceof InvalidCursor) return badRequest(error.message, [{ field: 'cursor', message: 'invalid' }]);
  if (error instanceof StoreUnavailable)
    return serviceUnavailable(
      'store_unavailable',
      'The store cannot be reached just now: retry later (a change retried with its Idempotency-Key is stored once)',
      STORE_RETRY_AFTER_SECONDS,
    );
  return error as Error | null;
}

function toResult(reply: ApiReply): APIGatewayProxyResultV2 {
  return {
    statusCode: reply.status,
    // nosniff: a browser never reads a reply as another type than it says (a JSON string as HTML, say).
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', ...reply.headers },
    body: reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)),
  };
}

function definedValues(values: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)) as Record<string, string>;
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key.toLowerCase(), value as string]),
  );
}
