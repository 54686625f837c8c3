import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type HttpRoute,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE_SECONDS } from '../../shared/http/cors';
import type { RouteAuth, RouteDefinition } from '../../shared/http/routes';
import { LOG_RETENTION } from '../retention';

export interface GridFlowHttpApiProps {
  /** The one route table (shared/http/routes.ts). */
  readonly routes: readonly RouteDefinition[];
  /** The function serving each handler name. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** JWT issuer and audience for routes with auth 'required'. */
  readonly jwtIssuer: string;
  readonly jwtAudience: string[];
  /** The web app's origins, allowed by CORS. @default none: no other page may call the API from a browser */
  readonly allowOrigins?: string[];
  /** The throttle of `POST /events` (reports). @default DEFAULT_REPORTS_THROTTLE */
  readonly reportsThrottle?: ThrottleSettings;
}

/**
 * Stage-wide request limits in front of Lambda and DynamoDB: generous for a district's staff and
 * residents on a bad day (a flood brings bursts of reports), far below what would run up the bill
 * or starve the account's Lambda concurrency.
 */
const DEFAULT_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/**
 * Reports come in floods: the bench's flood surge takes 97 reports/s, which the stage default would
 * answer with 429s. 200 rps with a burst of 400 leaves twice that; the README says how to size it.
 * (HTTP API throttles apply per route: this one does not eat into the other routes' limits.)
 */
export const DEFAULT_REPORTS_THROTTLE: Required<ThrottleSettings> = { rateLimit: 200, burstLimit: 400 };
export const REPORTS_ROUTE_KEY = 'POST /events';

/** Why routes without the JWT authorizer are open, for the cdk-nag acknowledgment. */
const OPEN_ROUTE_REASONS: Record<Exclude<RouteAuth, 'required'>, string> = {
  optional:
    "Route auth is 'optional' in shared/http/routes.ts: residents may report without an account. When a bearer token is sent the handler verifies it against the Cognito user pool itself, and anonymous reports are rate-limited per client by the core.",
  public:
    "Route auth is 'public' in shared/http/routes.ts: reference data (catalog, units), the health check and the OpenAPI document are readable by anyone and carry no personal data.",
  'sms-code':
    "Route auth is 'sms-code' in shared/http/routes.ts: the reporter who rates a case has no account; the 6-digit code of the feedback SMS is the proof. The use case (rateAsReporter in shared/core/act-on-case.ts) limits tries per client and hour (ratingTriesPerHour) and accepts only the code stored on that case, which changes its rating and may reopen it.",
  resident:
    "Route auth is 'resident' in shared/http/routes.ts: a resident without an account proves they hold a phone. The use cases (shared/core/verify-phone.ts) text a code only within per-number daily and per-client hourly limits, store it hashed, void it after 5 wrong tries, and accept only a reporter token the installation signed for that phone; a new rating code (POST /events/{id}/rating-code) goes only to the case's own reporter phone, at most 3 a case a day.",
};

/**
 * The HTTP API, one route per entry of the route table, each integrated with its handler's
 * function (payload format 2.0, as the local gateway builds it). Routes with auth 'required' use
 * the Cognito JWT authorizer; 'optional' and 'public' routes have none.
 */
export class GridFlowHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpJwtAuthorizer;
  /** The routes by route key ('GET /events/{id}'). */
  readonly routes: Record<string, HttpRoute> = {};

  constructor(scope: Construct, id: string, props: GridFlowHttpApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'GridFlow HTTP API',
      // The default stage is declared below, with access logs and throttling.
      createDefaultStage: false,
      // Only the web app's origins may read replies from a browser (none by default): with JSON required as
      // application/json, a post from any other page needs a preflight, which then fails.
      ...(props.allowOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: props.allowOrigins,
              allowMethods: CORS_ALLOW_METHODS.map((method) => CorsHttpMethod[method]),
              allowHeaders: [...CORS_ALLOW_HEADERS],
              maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
            },
          }
        : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            // Who called, for routes behind the authorizer (empty elsewhere).
            user: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, {
      authorizerName: 'cognito-jwt',
      jwtAudience: props.jwtAudience,
    });

    // One integration per function, shared by all routes the function serves.
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (handlerName: string): HttpLambdaIntegration => {
      const fn = props.functions[handlerName];
      if (!fn) throw new Error(`No function for handler '${handlerName}' of the route table`);
      let integration = integrations.get(handlerName);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${handlerName}-integration`, fn);
        integrations.set(handlerName, integration);
      }
      return integration;
    };

    for (const route of props.routes) {
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.handler),
        authorizer: route.auth === 'required' ? this.authorizer : undefined,
      });
      this.routes[`${route.method} ${route.path}`] = httpRoute;
      if (route.auth !== 'required') {
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: OPEN_ROUTE_REASONS[route.auth] });
      }
    }

    const reports = this.routes[REPORTS_ROUTE_KEY];
    if (!reports) throw new Error(`The route table has no ${REPORTS_ROUTE_KEY}, whose throttle is set here`);
    const throttle = { ...DEFAULT_REPORTS_THROTTLE, ...props.reportsThrottle };
    // The L2 stage has no per-route settings; CloudFormation's RouteSettings is keyed by route key.
    (this.stage.node.defaultChild as CfnStage).routeSettings = {
      [REPORTS_ROUTE_KEY]: { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
    };
    // A stage's RouteSettings may name only routes that exist ("Unable to find Route by key"): the route first.
    this.stage.node.addDependency(reports);
  }

  /** The invoke URL of the default stage, ending in '/'. */
  get url(): string {
    return this.stage.url;
  }
}
