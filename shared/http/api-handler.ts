/**
 * The HTTP side of every route handler: a middy chain that checks size, parses JSON, identifies the
 * caller, and turns every error into `{ error: { code, message, fields? } }` — never a bare 500 for bad input.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { callerFromClaims, type Caller } from '../auth/caller';
import { badRequest, DomainError, payloadTooLarge, unauthorized, type FieldProblem } from '../domain/errors';
import type { RouteAuth } from './routes';
import { getDependencies, type AppDependencies } from '../runtime';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface ApiRequest {
  event: ApiEvent;
  caller?: Caller;
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

export const MAX_BODY_BYTES = 64 * 1024;

type RouteLogic = (request: ApiRequest, deps: AppDependencies) => Promise<ApiReply>;

export function apiHandler(auth: RouteAuth, logic: RouteLogic) {
  return middy<ApiEvent, APIGatewayProxyResultV2, Error, Context>()
    .use(errorReplies())
    .handler(async (event) => {
      const deps = await getDependencies();
      const headers = lowerCaseKeys(event.headers ?? {});
      const request: ApiRequest = {
        event,
        headers,
        query: Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter(([, value]) => value !== undefined)) as Record<
          string,
          string
        >,
        body: parseBody(event),
        caller: await identify(auth, event, headers, deps),
        sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
      };
      return toResult(await logic(request, deps));
    });
}

async function identify(
  auth: RouteAuth,
  event: ApiEvent,
  headers: Record<string, string>,
  deps: AppDependencies,
): Promise<Caller | undefined> {
  if (auth === 'public') return undefined;
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

function parseBody(event: ApiEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw payloadTooLarge(`The body is over ${MAX_BODY_BYTES / 1024} KiB`);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`, [{ field: 'body', message: 'malformed JSON' }]);
  }
}

/** Parses input with a zod schema; a mismatch is a 400 naming each field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, where: 'body' | 'query'): z.output<Schema> {
  if (value === undefined && where === 'body') throw badRequest('A JSON body is required', [{ field: 'body', message: 'missing' }]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: FieldProblem[] = result.error.issues.flatMap((issue) => {
    // An unknown field is named itself, not its parent.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'unknown field' }));
    return [{ field: issue.path.length ? issue.path.join('.') : where, message: issueMessage(issue) }];
  });
  throw badRequest(`Invalid ${where}: ${fields.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`, fields);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) return `unknown ${issue.discriminator}`;
  return issue.message;
}

function errorReplies(): middy.MiddlewareObj<ApiEvent, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof DomainError) {
        request.response = toResult({
          status: error.status,
          body: { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } },
        });
        return;
      }
      const deps = await getDependencies().catch(() => undefined);
      deps?.logger.error('Unhandled error', { error: String(error), stack: error?.stack });
      request.response = toResult({
        status: 500,
        body: { error: { code: 'internal', message: 'Internal error; retrying with the same Idempotency-Key is safe' } },
      });
    },
  };
}

function toResult(reply: ApiReply): APIGatewayProxyResultV2 {
  return {
    statusCode: reply.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers },
    body: reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)),
  };
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key.toLowerCase(), value as string]),
  );
}
