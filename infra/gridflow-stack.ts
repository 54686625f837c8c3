import { originsOf } from '../shared/http/cors';
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SMS_FAILED_MESSAGE, SMS_MAYBE_TWICE_MESSAGE } from '../shared/core/deliver-sms';
import { CALENDAR_YEAR_MISSING_LOG } from '../shared/core/operator-warnings';
import { HANDLER_NAMES, ROUTES } from '../shared/http/routes';
import { EventLifecycle, EventLifecycleIdentity } from './constructs/event-lifecycle';
import { grantNeeds } from './constructs/function-permissions';
import { GridFlowFunction } from './constructs/gridflow-function';
import { FUNCTION_NEEDS } from './function-needs';
import { WEB_DIST } from '../web/build';
import { GridFlowHttpApi } from './constructs/gridflow-http-api';
import { GridFlowTable } from './constructs/gridflow-table';
import { OperatorAlerts } from './constructs/operator-alerts';
import { ScheduledJobs } from './constructs/scheduled-jobs';
import { SmsDelivery } from './constructs/sms-delivery';
import { UserDirectory } from './constructs/user-directory';
import { WebSite } from './constructs/web-site';
import { reserveConcurrency, throughputSettings } from './throughput';

/** What the SMS sender logs when an SMS still fails after its retries (shared/core/deliver-sms.ts). */
export const SMS_FAILURE_LOG_MESSAGE = SMS_FAILED_MESSAGE;

/**
 * Lambda allots CPU in proportion to memory: at 256 MB a function gets about a seventh of a vCPU,
 * and that shows in what a resident or grid worker waits for (loading the bundle and the runtime's
 * SDK clients on a cold start, zod parsing, JSON). HTTP handlers get 512 MB; the extra GB-seconds
 * of an I/O-bound handler cost cents a month at a district's traffic. Nobody waits on the
 * background functions (workflow-step, sweeper): 256 MB.
 */
const HTTP_HANDLER_MEMORY_MB = 512;
const BACKGROUND_MEMORY_MB = 256;

/**
 * GridFlow in the cloud: the HTTP API and its handlers, the table, the event-lifecycle state
 * machine, Cognito for staff, SMS through SNS, the sweeper's schedule and the operators' alarms.
 *
 * Context (cdk.json or -c): `corsAllowOrigins` (the web app's origins, comma-separated; default none), `smsSenderId`
 * (SMS_SENDER_ID, where sender IDs are supported), `alertEmail` (subscribed to operator alerts);
 * throughput settings in infra/throughput.ts.
 */
export class GridFlowStack extends Stack {
  readonly table: GridFlowTable;
  readonly users: UserDirectory;
  readonly lifecycleIdentity: EventLifecycleIdentity;
  readonly lifecycle: EventLifecycle;
  readonly functions: Readonly<Record<string, GridFlowFunction>>;
  readonly httpApi: GridFlowHttpApi;
  readonly alerts: OperatorAlerts;
  /** The command center: the web app on S3 behind CloudFront. */
  readonly site: WebSite;
  readonly schedules: ScheduledJobs;
  readonly smsDelivery: SmsDelivery;
  /** CURSOR_KEY: signs the lists' page cursors (shared/adapters/dynamodb/cursors.ts). */
  readonly cursorKey: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const context = (key: string): string | undefined => {
      const value = this.node.tryGetContext(key);
      return value === undefined || value === '' ? undefined : String(value);
    };

    this.table = new GridFlowTable(this, 'Data');
    this.site = new WebSite(this, 'Site', {
      siteDir: context('siteDir') ?? WEB_DIST,
      domainName: context('siteDomainName'),
      certificateArn: context('siteCertificateArn'),
    });
    this.users = new UserDirectory(this, 'Users', {
      siteUrl: this.site.url,
      domainPrefix: context('authDomainPrefix'),
      smsRegion: context('smsRegion'),
    });
    this.alerts = new OperatorAlerts(this, 'Alerts', { email: context('alertEmail') });
    this.lifecycleIdentity = new EventLifecycleIdentity(this);

    // Generated once by Secrets Manager at the first deploy; CloudFormation resolves it into the functions' environment
    // when it creates or updates them (a dynamic reference: the template never holds it): no call to read it.
    this.cursorKey = new Secret(this, 'CursorKey', {
      description: "GridFlow's CURSOR_KEY: signs the page cursors the lists hand out, so a forged or altered one is refused",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only signs page cursors (a nextCursor lives as long as someone pages through a list); it grants no access and protects no data. A new value reaches the functions with the next deployment that updates them (CloudFormation resolves it then) and only makes the cursors handed out before fail with 400 cursor: an operator rotates it by hand when it may have leaked, rather than on a schedule whose new value would wait for a deployment anyway.',
    });

    // The same environment for every function: the core reads what it needs at start-up.
    const smsSenderId = context('smsSenderId');
    const environment: Record<string, string> = {
      GRIDFLOW_MODE: 'aws',
      TABLE_NAME: this.table.tableName,
      STATE_MACHINE_ARN: this.lifecycleIdentity.stateMachineArn,
      // The command center's address: the "report ready" SMS links its report page.
      SITE_URL: this.site.url,
      COGNITO_USER_POOL_ID: this.users.userPool.userPoolId,
      COGNITO_CLIENT_ID: this.users.client.userPoolClientId,
      CURSOR_KEY: this.cursorKey.secretValue.unsafeUnwrap(),
      SMS_TYPE: 'Transactional',
      ...(smsSenderId ? { SMS_SENDER_ID: smsSenderId } : {}),
    };

    const routeByHandler = new Map(ROUTES.map((route) => [route.handler, route]));
    const functionsScope = new Construct(this, 'Functions');
    const functions: Record<string, GridFlowFunction> = {};
    for (const handlerName of HANDLER_NAMES) {
      const needs = FUNCTION_NEEDS[handlerName];
      const route = routeByHandler.get(handlerName);

      const fn = new GridFlowFunction(functionsScope, handlerName, {
        handlerName,
        environment,
        description: route ? `GridFlow ${route.method} ${route.path}: ${route.summary}` : `GridFlow ${handlerName}`,
        memorySize: route ? HTTP_HANDLER_MEMORY_MB : BACKGROUND_MEMORY_MB,
        timeout: needs.timeoutSeconds === undefined ? undefined : Duration.seconds(needs.timeoutSeconds),
        retryAttempts: needs.retryAttempts,
      });
      grantNeeds(fn, needs, { table: this.table, lifecycle: this.lifecycleIdentity });
      functions[handlerName] = fn;
    }
    this.functions = functions;

    const workflowStep = functions['workflow-step'];
    const sweeper = functions.sweeper;
    if (!workflowStep || !sweeper) throw new Error('The route table must list workflow-step and sweeper in BACKGROUND_FUNCTIONS');
    const throughput = throughputSettings(this);
    reserveConcurrency(workflowStep, throughput.workflowStepReservedConcurrency);

    this.lifecycle = new EventLifecycle(this, 'EventLifecycle', {
      identity: this.lifecycleIdentity,
      workflowStep,
    });

    this.httpApi = new GridFlowHttpApi(this, 'Http', {
      routes: ROUTES,
      functions,
      jwtIssuer: this.users.issuerUrl,
      jwtAudience: [this.users.client.userPoolClientId],
      reportsThrottle: throughput.reportsThrottle,
      // The command center's origin, and any other a district adds (a second site, a GIS tool).
      allowOrigins: [this.site.url, ...originsOf(context('corsAllowOrigins'))],
    });
    // What the app reads at start (config.json beside index.html): one build serves every deployment.
    this.site.deployContent({
      apiUrl: this.httpApi.url,
      region: this.region,
      userPoolId: this.users.userPool.userPoolId,
      clientId: this.users.client.userPoolClientId,
      signInUrl: this.users.domain.baseUrl(),
      // The map's base layer, where the deployment has a tile server (an XYZ template: Tianditu's vec_w with its key).
      ...(context('tileUrl') && { tileUrl: context('tileUrl') }),
    });

    this.schedules = new ScheduledJobs(this, 'Schedules', { sweeper, jobs: functions['scheduled-jobs'], alerts: this.alerts });

    const smsSender = functions['sms-sender'];
    if (!smsSender) throw new Error('The route table must list sms-sender in BACKGROUND_FUNCTIONS');
    this.smsDelivery = new SmsDelivery(this, 'Sms', { table: this.table.table, sender: smsSender, alerts: this.alerts });

    this.addAlarms(workflowStep, sweeper);

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    new CfnOutput(this, 'StateMachineArn', { value: this.lifecycle.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'SiteUrl', { value: this.site.url, description: 'The command center' });
    new CfnOutput(this, 'SignInDomain', { value: this.users.domain.baseUrl(), description: 'The hosted sign-in' });
  }

  private addAlarms(workflowStep: GridFlowFunction, sweeper: GridFlowFunction): void {
    const period = { period: Duration.minutes(5) };
    const stateMachine = this.lifecycle.stateMachine;

    // SMS that still fail after the sender's retries are logged (and put on the case's timeline) by
    // shared/core/deliver-sms.ts; count those log lines of every function that sends SMS (the SMS sender).
    const smsFailures = new Metric({ namespace: 'GridFlow', metricName: 'SmsFailedAfterRetries', statistic: 'Sum', ...period });
    for (const fn of Object.values(this.functions).filter((candidate) => FUNCTION_NEEDS[candidate.handlerName].sms)) {
      fn.logGroup.addMetricFilter('SmsFailedAfterRetries', {
        filterPattern: FilterPattern.stringValue('$.message', '=', SMS_FAILURE_LOG_MESSAGE),
        metricNamespace: smsFailures.namespace,
        metricName: smsFailures.metricName,
        metricValue: '1',
      });
    }
    // An SMS sent again after an attempt that recorded no outcome (the sender stopped between the publish and its
    // record): counted, not alarmed — the README's "at least once".
    this.functions['sms-sender'].logGroup.addMetricFilter('SmsMaybeSentTwice', {
      filterPattern: FilterPattern.stringValue('$.message', '=', SMS_MAYBE_TWICE_MESSAGE),
      metricNamespace: 'GridFlow',
      metricName: 'SmsMaybeSentTwice',
      metricValue: '1',
    });
    this.alerts.alarmWhen(
      'SmsFailedAfterRetries',
      smsFailures,
      1,
      'An SMS could not be sent after retries (number, template, sender registration or SNS spend limit?). The case timeline has a notification_failed entry.',
    );
    this.alerts.alarmWhen(
      'LifecycleExecutionsFailed',
      stateMachine.metricFailed(period),
      1,
      'An event-lifecycle execution failed: a step kept failing past its retries through 5 recoveries. The state machine log group shows which step and why; the sweeper starts the open case again in a new execution (<id>-<n>).',
    );
    this.alerts.alarmWhen('LifecycleExecutionsTimedOut', stateMachine.metricTimedOut(period), 1, 'An event-lifecycle execution timed out.');
    this.alerts.alarmWhen(
      'WorkflowStepErrors',
      workflowStep.metricErrors(period),
      1,
      'The workflow-step function failed; the state machine retries it, then waits and checks the case again (at most 5 times per execution) before the execution fails.',
    );
    this.alerts.alarmWhen(
      'SweeperErrors',
      sweeper.metricErrors(period),
      1,
      'The sweeper failed: missing or ended lifecycles of open cases are not being started.',
    );
    // The sweeper logs a warning at each run while a due year's holiday arrangement is missing (from 1 December for
    // next year): deadlines over that year are counted on a plain week until an administrator adds it.
    sweeper.logGroup.addMetricFilter('CalendarYearMissing', {
      filterPattern: FilterPattern.stringValue('$.message', '=', CALENDAR_YEAR_MISSING_LOG),
      metricNamespace: 'GridFlow',
      metricName: 'CalendarYearMissing',
      metricValue: '1',
    });
    this.alerts.alarmWhen(
      'CalendarYearMissing',
      // Over 15 minutes (three sweeper runs), so that one run without its line does not clear and raise it again.
      new Metric({ namespace: 'GridFlow', metricName: 'CalendarYearMissing', statistic: 'Sum', period: Duration.minutes(15) }),
      1,
      "A due year's holiday arrangement (节假日安排) is missing: deadlines over that year are counted on a plain week. Add the year's calendar document (README: the yearly calendar) — GET /health names the year.",
    );
    this.alerts.alarmWhen('ApiServerErrors', this.httpApi.stage.metricServerError(period), 5, 'The HTTP API answered with 5xx responses.');
  }
}
