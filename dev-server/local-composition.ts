/**
 * The local composition: each function's dependencies are the cloud's (shared/composition/cloud-dependencies.ts),
 * built from the environment Lambda would give that function — with `AWS_ENDPOINT_URL` pointing at the edge
 * port, where Step Functions, SNS and DynamoDB answer — plus what has no AWS protocol: the scaled clock and the
 * local token verifier (the reference data is in the table, as in the cloud: seed-reference.ts). As in Lambda, each function has its own
 * SDK clients; nothing here is shared between platforms in one process.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { TokenVerifier } from '../shared/auth/caller';
import type { Policy } from '../shared/domain/policy';
import type { CoreLogger } from '../shared/core/dependencies';
import type { AppDependencies } from '../shared/http/api-handler';
import { cloudDependencies, type AwsServiceName, type SdkClient } from '../shared/composition/cloud-dependencies';
import type { LocalClock } from './adapters/timers';

/** The region local ARNs, the SDK clients and the local user pool name (local-jwt.ts defines it). */
import { LOCAL_REGION } from './adapters/local-jwt';

export { LOCAL_REGION };

/** What the functions of one platform share: where AWS answers, and what has no AWS protocol. */
export interface LocalParts {
  /** The edge port (the gateway's URL), which answers the AWS protocols. */
  edgeUrl: string;
  tableName: string;
  stateMachineArn: string;
  /** CURSOR_KEY: signs page cursors (adapters/cursor-key.ts). */
  cursorKey: string;
  clock: LocalClock;
  tokenVerifier: TokenVerifier;
  policy?: Policy;
  logger: CoreLogger;
  /** Called with each SDK client a function's composition builds (a recorder of AWS calls hangs here). */
  instrument?: (functionName: string, client: SdkClient, service: AwsServiceName) => void;
  /** The platform's reference documents by content hash, read once for all its functions. */
  referenceDocuments?: Map<string, unknown>;
  /** How far the local engine has got bringing kept executions back after a restart (GET /health tells it). */
  resuming?: AppDependencies['resuming'];
}

/** The environment Lambda gives a GridFlow function (infra/), pointed at the edge port with dummy credentials. */
export function localEnvironment(
  parts: Pick<LocalParts, 'edgeUrl' | 'tableName' | 'stateMachineArn' | 'cursorKey'>,
  functionName: string,
): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: parts.edgeUrl,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_SERVICE_NAME: functionName,
    GRIDFLOW_MODE: 'local',
    TABLE_NAME: parts.tableName,
    STATE_MACHINE_ARN: parts.stateMachineArn,
    // The gateway serves the command center too: SMS link its pages there.
    SITE_URL: parts.edgeUrl,
    CURSOR_KEY: parts.cursorKey,
    SMS_TYPE: 'Transactional',
    // The outbox files each SMS under its case and template.
    SMS_RECORD_ATTRIBUTE: 'on',
  };
}

/**
 * DynamoDB Local runs transactions one at a time: in a flood an alive store took 9.4 s to answer one (the cloud's
 * 2 s attempt would give up on a store that is only busy). The edge port's forwarder tells a dead or hung
 * DynamoDB Local from a busy one and answers 503 itself (edge/dynamodb-service.ts), so an attempt here may wait.
 */
const LOCAL_STORE_CALL_LIMITS = { attemptMs: 30_000 };

/** One function's dependencies: the cloud composition on the local environment. */
export function functionDependencies(functionName: string, parts: LocalParts): AppDependencies {
  const instrument = parts.instrument;
  return cloudDependencies(localEnvironment(parts, functionName), powertools, {
    clock: parts.clock,
    policy: parts.policy,
    tokenVerifier: parts.tokenVerifier,
    logger: parts.logger,
    resuming: parts.resuming,
    referenceDocuments: parts.referenceDocuments,
    storeCallLimits: LOCAL_STORE_CALL_LIMITS,
    ...(instrument ? { instrument: (client, service) => instrument(functionName, client, service) } : {}),
  });
}

/** Unused (the core logs to the platform's console), but the composition takes one. */
const powertools = new Logger({ serviceName: 'gridflow-local', logLevel: 'SILENT' });

export function consoleLogger(quiet: boolean, log: (line: string) => void): CoreLogger {
  const line = (level: string, message: string, extra?: Record<string, unknown>) =>
    log(`[${level}] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}`);
  return {
    info: (message, extra) => !quiet && line('info', message, extra),
    warn: (message, extra) => !quiet && line('warn', message, extra),
    error: (message, extra) => line('error', message, extra),
  };
}
