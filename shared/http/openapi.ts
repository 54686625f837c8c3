/** OpenAPI 3.1 for the HTTP API: paths from the route table, schemas from zod (JSON Schema 2020-12). */
import * as z from 'zod';
import {
  ActionBody,
  ErrorReply,
  EventListReply,
  EventPathParams,
  EventReply,
  GetEventQuery,
  ListEventsQuery,
  RatingBody,
  ReportEventBody,
} from '../schemas/events';
import { CampaignPathParams, CampaignResponseBody, CreateCampaignBody, ListCampaignsQuery } from '../schemas/campaigns';
import { ListPatrolsQuery, PatrolBody } from '../schemas/patrols';
import { ReportPathParams, ReportQuery } from '../schemas/reports';
import { SeenCaseReply, SeenCasesReply } from '../schemas/seen-cases';
import { BoundariesQuery, UnitsQuery } from '../schemas/units';
import {
  ApplyReferenceBody,
  ReferenceDocumentPathParams,
  ReferenceVersionsQuery,
  RollBackReferenceBody,
  ValidateReferenceBody,
} from '../schemas/admin-reference';
import { ConfirmVerificationBody, ReporterTokenReply, VerificationBody, VerificationReply } from '../schemas/verifications';
import { REPORTER_TOKEN_HEADER } from './reporter-token';
import { GatewayReply } from './gateway-replies';
import { ROUTES, type RouteDefinition } from './routes';

function schema(type: z.ZodType, io: 'input' | 'output' = 'output') {
  // The document declares the dialect once (jsonSchemaDialect); each schema need not repeat it.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(type, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return rest;
}

const jsonContent = (type: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: schema(type, io) } });

const errorResponse = (description: string) => ({ description, content: jsonContent(ErrorReply) });

/** A status the HTTP API itself gives (AWS's `{"message": …}`), or either shape when the app gives it too. */
const gatewayResponse = (description: string, appToo: boolean) => ({
  description,
  content: { 'application/json': { schema: appToo ? { oneOf: [schema(GatewayReply), schema(ErrorReply)] } : schema(GatewayReply) } },
});

const queryParameters = (type: z.ZodType) =>
  Object.entries(schema(type, 'input').properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }));

/** Each `{name}` path parameter's schema, by the route's path. */
const PATH_PARAMETERS: Record<string, z.ZodObject> = {
  '/events/{id}': EventPathParams,
  '/events/{id}/actions': EventPathParams,
  '/events/{id}/messages': EventPathParams,
  '/events/{id}/lifecycle': EventPathParams,
  '/events/{id}/rating': EventPathParams,
  '/events/{id}/rating-code': EventPathParams,
  '/events/{id}/seen': EventPathParams,
  '/reports/{kind}': ReportPathParams,
  '/campaigns/{id}': CampaignPathParams,
  '/campaigns/{id}/responses': CampaignPathParams,
  '/admin/reference/versions/{version}/documents/{name}': ReferenceDocumentPathParams,
};

const bodyOf = (type: z.ZodType) => ({ required: true, content: jsonContent(type, 'input') });

const IDEMPOTENCY_KEY_HEADER = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } };
const REPORTER_TOKEN = {
  name: REPORTER_TOKEN_HEADER,
  in: 'header',
  required: false,
  description: 'A reporter token (POST /verifications/confirm): the phone it carries is the one texted back',
  schema: { type: 'string', maxLength: 512 },
};

/** What each route takes and gives beyond the generic error replies. */
const OPERATIONS: Record<string, Record<string, unknown>> = {
  'GET /admin/reference': {
    responses: {
      200: { description: 'The version in effect: version, appliedAt, appliedBy, note, changes, documents (name, bytes, sha256, href)' },
      404: errorResponse('No version applied yet'),
    },
  },
  'GET /admin/reference/versions': {
    parameters: queryParameters(ReferenceVersionsQuery),
    responses: { 200: { description: 'The versions, newest first, each with its audit and changes' } },
  },
  'GET /admin/reference/versions/{version}/documents/{name}': {
    responses: { 200: { description: 'The document as applied' }, 404: errorResponse('No such version or document') },
  },
  'POST /admin/reference/validate': {
    requestBody: bodyOf(ValidateReferenceBody),
    responses: {
      200: { description: 'The proposal holds together: what it would change (`changes`); nothing applied' },
      422: errorResponse('The proposal is refused whole; `fields` names each problem (`people[12].phone`)'),
    },
  },
  'POST /admin/reference/apply': {
    requestBody: bodyOf(ApplyReferenceBody),
    responses: {
      201: { description: 'The new version, with its changes' },
      409: errorResponse('Another version is in effect than `expectedVersion`'),
      422: errorResponse('The proposal is refused whole; `fields` names each problem; nothing applied'),
    },
  },
  'POST /admin/reference/rollback': {
    requestBody: bodyOf(RollBackReferenceBody),
    responses: {
      201: { description: "The new version, with the earlier version's documents" },
      404: errorResponse('No such version'),
      409: errorResponse('Another version is in effect than `expectedVersion`'),
      422: errorResponse("The earlier version's documents are refused now (e.g. a unit with open cases would be removed)"),
    },
  },
  'POST /verifications': {
    requestBody: bodyOf(VerificationBody),
    responses: {
      202: { description: 'A code is texted to the phone', content: jsonContent(VerificationReply) },
      429: errorResponse('Over 5 codes to the number today, or 20 requests from the client this hour (`Retry-After`: wall seconds left)'),
    },
  },
  'POST /verifications/confirm': {
    requestBody: bodyOf(ConfirmVerificationBody),
    responses: {
      200: { description: 'The reporter token, good for 24 hours', content: jsonContent(ReporterTokenReply) },
      403: errorResponse('No code pending, expired, used, or void after 5 wrong tries: ask for a new one'),
      422: errorResponse('The code does not match (`fields` names `code`)'),
    },
  },
  'POST /events': {
    parameters: [IDEMPOTENCY_KEY_HEADER, REPORTER_TOKEN],
    requestBody: { required: true, content: jsonContent(ReportEventBody, 'input') },
    responses: {
      201: { description: 'Registered', content: jsonContent(EventReply) },
      200: { description: 'Replay of an earlier report with the same Idempotency-Key', content: jsonContent(EventReply) },
      409: errorResponse('Idempotency-Key reused with another body'),
      422: errorResponse('Unknown item or grid'),
      429: errorResponse('Too many reports without a token'),
    },
  },
  'POST /events/{id}/rating': {
    requestBody: bodyOf(RatingBody),
    responses: {
      200: { description: 'Rated (1 or 2 reopens the case once)' },
      404: errorResponse('No rating open for this code'),
      409: errorResponse('Already rated or closed'),
      429: errorResponse('Too many tries'),
    },
  },
  'POST /events/{id}/rating-code': {
    parameters: [{ ...REPORTER_TOKEN, required: true, description: "The reporter token of the case's reporter phone" }],
    responses: {
      202: { description: 'A new code is texted to the reporter; the old one is void' },
      401: errorResponse('No reporter token, or one that is forged or expired (`fields` names X-Reporter-Token)'),
      403: errorResponse("The token's phone is not the case's reporter's"),
      404: errorResponse('No such event'),
      409: errorResponse('No rating open'),
      429: errorResponse('Over 3 new codes for the case today'),
    },
  },
  'GET /events/{id}/messages': {
    responses: {
      200: {
        description:
          'The SMS the event caused, oldest first (`items`: intentId, template, recipientRole, recipient masked, createdAt, status pending|sent|failed|held|expired, settledAt, error, alsoForCount: how many other cases a digest covered, never which)',
      },
      404: errorResponse('No such event, or outside your units'),
    },
  },
  'GET /events/{id}/lifecycle': {
    responses: {
      200: {
        description:
          "The event's lifecycle executions (`executions`: name, arn, status, startedAt, stoppedAt, states visited with name, type, enteredAt, exitedAt; in the cloud consoleUrl)",
      },
      404: errorResponse('No such event, or outside your units'),
    },
  },
  'GET /reports/{kind}': {
    parameters: queryParameters(ReportQuery),
    responses: {
      200: {
        description: 'The report as JSON, or HTML/CSV by Accept or format',
        content: {
          'application/json': { schema: { type: 'object' } },
          'text/html': { schema: { type: 'string' } },
          'text/csv': { schema: { type: 'string' } },
        },
      },
    },
  },
  'POST /patrols': {
    parameters: [IDEMPOTENCY_KEY_HEADER],
    requestBody: bodyOf(PatrolBody),
    responses: {
      201: { description: 'The patrol, with the cases its findings became' },
      200: { description: 'Replay of an earlier patrol with the same Idempotency-Key' },
      409: errorResponse('Idempotency-Key reused with another body'),
      422: errorResponse('Unknown grid or item, or a time out of range'),
    },
  },
  'GET /patrols': { parameters: queryParameters(ListPatrolsQuery), responses: { 200: { description: "A unit's patrols on a day" } } },
  'POST /campaigns': {
    requestBody: bodyOf(CreateCampaignBody),
    responses: { 201: { description: 'The campaign; every targeted grid worker is texted' } },
  },
  'GET /campaigns': { parameters: queryParameters(ListCampaignsQuery), responses: { 200: { description: 'Campaigns of a unit' } } },
  'POST /campaigns/{id}/responses': {
    requestBody: bodyOf(CampaignResponseBody),
    responses: { 201: { description: 'The first answer' }, 200: { description: 'An answer replaced' } },
  },
  'GET /events': {
    parameters: queryParameters(ListEventsQuery),
    responses: { 200: { description: 'A page of events', content: jsonContent(EventListReply) } },
  },
  'GET /health': {
    responses: {
      200: {
        description:
          'The service and its store answer, with its mode (`aws`, `local`) and policy clock. In local mode after a restart, `resuming` says how far the kept lifecycle executions have come back (the API serves meanwhile; `total` once they are listed); absent once all are back',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['status', 'service', 'mode', 'store', 'time', 'timeScale'],
              properties: {
                status: { const: 'ok' },
                store: { const: 'ok', description: 'The table answered a read (when it cannot: 503 store_unavailable)' },
                service: { type: 'string' },
                mode: { type: 'string' },
                time: { type: 'string', format: 'date-time' },
                timeScale: { type: 'number' },
                resuming: {
                  type: 'object',
                  required: ['done'],
                  properties: { done: { type: 'integer', minimum: 0 }, total: { type: 'integer', minimum: 0 } },
                },
              },
            },
          },
        },
      },
    },
  },
  'POST /events/{id}/seen': {
    responses: {
      200: { description: 'The opening is recorded (the first time is kept)', content: jsonContent(SeenCaseReply) },
      404: errorResponse('No such event in your units'),
    },
  },
  'GET /me/seen': { responses: { 200: { description: 'The cases the caller has opened', content: jsonContent(SeenCasesReply) } } },
  'GET /units': { parameters: queryParameters(UnitsQuery), responses: { 200: { description: 'The unit tree, or a list of units' } } },
  'GET /boundaries': {
    parameters: queryParameters(BoundariesQuery),
    responses: {
      200: {
        description:
          'A GeoJSON FeatureCollection: the unit and each unit below it that has a boundary (properties code, name, level, parent), rounded to 6 decimals and thinned to within about a metre',
      },
      403: errorResponse('Outside your units'),
    },
  },
  'GET /events/{id}': {
    parameters: queryParameters(GetEventQuery),
    responses: {
      200: {
        description: 'The event and the latest `limit` entries of its timeline (100 by default); `timelineCursor` when older ones remain',
        content: jsonContent(EventReply),
      },
      404: errorResponse('No such event in your units'),
    },
  },
  'POST /events/{id}/actions': {
    requestBody: { required: true, content: jsonContent(ActionBody, 'input') },
    responses: {
      200: { description: 'The event after the action', content: jsonContent(EventReply) },
      404: errorResponse('No such event in your units'),
      429: errorResponse("Over 30 comments by one person on one case in an hour (the policy's commentsPerHour)"),
      409: errorResponse("Not allowed in the case's stage, or the case kept changing while it was tried (read it again and retry)"),
    },
  },
};

function operation(route: RouteDefinition) {
  const key = `${route.method} ${route.path}`;
  const declared = PATH_PARAMETERS[route.path];
  const properties = (declared ? schema(declared, 'input').properties : undefined) ?? {};
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    if (!name || !properties[name]) throw new Error(`${key}: no schema for the path parameter ${name} (PATH_PARAMETERS)`);
    return { name, in: 'path', required: true, schema: properties[name] };
  });
  const specific = OPERATIONS[key] ?? { responses: { 200: { description: 'OK' } } };
  const appTooMany = (specific.responses as Record<number, { description: string } | undefined>)[429];
  return {
    operationId: route.handler,
    summary: route.summary,
    ...(route.auth === 'required'
      ? { security: [{ bearer: [] }] }
      : route.auth === 'optional'
        ? { security: [{}, { bearer: [] }] }
        : { security: [] }),
    ...specific,
    parameters: [...pathParameters, ...((specific.parameters as unknown[]) ?? [])],
    responses: {
      ...(specific.responses as Record<string, unknown>),
      400: errorResponse('Malformed or invalid input; `fields` names each field'),
      ...('requestBody' in specific ? { 415: errorResponse('A body not sent as `application/json` (`unsupported_media_type`)') } : {}),
      ...(route.auth === 'required'
        ? {
            401: gatewayResponse(
              'No token, or one the JWT authorizer refuses (signature, issuer, audience, expiry): `{"message":"Unauthorized"}`; a valid token without GridFlow claims: the app\'s error',
              true,
            ),
            403: errorResponse('Outside your role or units'),
          }
        : {}),
      ...(route.auth === 'optional' ? { 401: errorResponse('A bearer token was sent and is not valid or has expired') } : {}),
      // Every route is behind the stage's throttle.
      429: appTooMany
        ? gatewayResponse(`${appTooMany.description}; or throttled by the HTTP API: \`{"message":"Too Many Requests"}\``, true)
        : gatewayResponse('Throttled by the HTTP API: `{"message":"Too Many Requests"}`', false),
      503: {
        ...errorResponse('The store cannot be reached just now (`store_unavailable`): retry after `Retry-After` seconds'),
        headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
      },
    },
  };
}

let built: ReturnType<typeof buildDocument> | undefined;

/** The document, built once (at the first call) and shared: callers serialize it and must not change it. */
export function openApiDocument() {
  built ??= buildDocument();
  return built;
}

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'GridFlow (网格通) API',
      version: '1.0.0',
      description: 'Grid-based community governance: report, route, handle, escalate, feed back.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
