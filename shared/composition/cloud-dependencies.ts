/**
 * Wires the core to AWS from the environment it is given (in Lambda, the one infra/ sets). The SDK clients
 * are configured from that environment only — endpoint (`AWS_ENDPOINT_URL`, or `AWS_ENDPOINT_URL_<SERVICE>`),
 * region, credentials — never from process.env behind its back, so several compositions with different
 * environments live in one process (local mode runs one per function against its edge port).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsCredentialIdentityProvider, Endpoint, MiddlewareStack, Provider } from '@smithy/types';
import type { TokenVerifier } from '../auth/caller';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { CurrentReference } from '../core/current-reference';
import type { CoreLogger } from '../core/dependencies';
import type { AppDependencies } from '../http/api-handler';
import type { Clock } from '../ports/clock';
import { systemClock } from '../adapters/system-clock';
import { HmacReporterCredentials } from '../adapters/hmac-reporter-credentials';
import { CognitoTokenVerifier } from '../adapters/aws/cognito-token-verifier';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow';
import { SnsSmsNotifier } from '../adapters/aws/sns-notifier';
import { tableStores } from './stores';
import { clientConfig } from './client-config';
import { STORE_CALL_LIMITS, type StoreCallLimits, storeClient } from './store-client';

/** The AWS services the composition calls, by their IAM prefix. */
export type AwsServiceName = 'dynamodb' | 'states' | 'sns';
/**
 * An SDK client as the instrument hook sees it: one type for the three, whose middleware stack takes a
 * middleware for any command (a recorder needs no more).
 */
export interface SdkClient {
  // biome-ignore lint/suspicious/noExplicitAny: the three clients' stacks differ only in their command types
  readonly middlewareStack: MiddlewareStack<any, any>;
  readonly config: { region: Provider<string>; endpoint?: Provider<Endpoint>; credentials: AwsCredentialIdentityProvider };
  destroy(): void;
}

/**
 * What has no AWS protocol to point an endpoint at, given instead of the cloud's: local mode's scaled clock,
 * its policy (the base a reference version's `policy` document overrides), its token verifier. And a hook on every SDK client built. (The reference data — units, people,
 * catalog, calendars — is read from the table, locally as in the cloud.)
 */
export interface CompositionOverrides {
  clock?: Clock;
  policy?: Policy;
  tokenVerifier?: TokenVerifier;
  /** Replaces the Powertools logger for the core (a console of one's own). */
  logger?: CoreLogger;
  /** Applied to each SDK client as it is built (e.g. a middleware recording every call). */
  instrument?: (client: SdkClient, service: AwsServiceName) => void;
  /**
   * Local mode's store is DynamoDB Local, which runs transactions one at a time: under a flood an alive store takes
   * seconds (9.4 s measured), where DynamoDB takes milliseconds. It tells a hung store from a busy one itself (the
   * edge port's forwarder answers 503 for a dead or hung one), so its attempts may be longer than the cloud's.
   */
  storeCallLimits?: Partial<StoreCallLimits>;
  /** Reference documents by content hash, shared by the compositions of one local platform (core/current-reference.ts). */
  referenceDocuments?: Map<string, unknown>;
  /** Local mode's progress in bringing kept lifecycle executions back after a restart (AppDependencies.resuming). */
  resuming?: AppDependencies['resuming'];
}

/** Throws, naming the variable, when one the functions cannot run without is not set. */
export function cloudDependencies(env: NodeJS.ProcessEnv, powertools: Logger, overrides: CompositionOverrides = {}): AppDependencies {
  const tableName = required(env, 'TABLE_NAME');
  const stateMachineArn = required(env, 'STATE_MACHINE_ARN');
  const siteUrl = required(env, 'SITE_URL');
  const tokenVerifier =
    overrides.tokenVerifier ?? new CognitoTokenVerifier(required(env, 'COGNITO_USER_POOL_ID'), required(env, 'COGNITO_CLIENT_ID'));
  const instrument = <Client extends SdkClient>(client: Client, service: AwsServiceName): Client => {
    overrides.instrument?.(client, service);
    return client;
  };
  const clock = overrides.clock ?? systemClock;
  const policy = overrides.policy ?? DEFAULT_POLICY;
  // A recovery's wait is policy time: on a sped-up clock it passes as fast as the case's own clocks.
  const recoveryWaitSeconds = Math.max(1, Math.ceil(policy.recoveryWaitSeconds / clock.scale));
  // The installation's signing secret: the same in every function (infra/, or the data folder). It signs the lists'
  // page cursors, and — under a key derived from it — reporter tokens and verification code hashes.
  const signingKey = required(env, 'CURSOR_KEY');
  const stores = tableStores(
    instrument(storeClient(env, { ...STORE_CALL_LIMITS, ...overrides.storeCallLimits }), 'dynamodb'),
    tableName,
    signingKey,
  );
  const reference = new CurrentReference(stores.reference, clock, overrides.referenceDocuments, policy);
  return {
    ...stores,
    reporterCredentials: new HmacReporterCredentials(signingKey),
    workflow: new StepFunctionsWorkflow(
      instrument(new SFNClient(clientConfig(env, 'SFN')), 'states'),
      stateMachineArn,
      recoveryWaitSeconds,
    ),
    notifier: new SnsSmsNotifier(instrument(new SNSClient(clientConfig(env, 'SNS')), 'sns'), {
      smsType: env.SMS_TYPE === 'Promotional' ? 'Promotional' : 'Transactional',
      senderId: env.SMS_SENDER_ID,
      record: env.SMS_RECORD_ATTRIBUTE === 'on',
    }),
    clock,
    siteUrl,
    // The version in effect when the invocation began (refreshReference, before each).
    get calendar() {
      return reference.current.calendar;
    },
    get catalog() {
      return reference.current.catalog;
    },
    get directory() {
      return reference.current.directory;
    },
    get referenceVersion() {
      return reference.current.version;
    },
    get calendarYears() {
      return reference.current.calendarYears;
    },
    refreshReference: () => reference.refresh(),
    // The district's policy document over the defaults (or local mode's policy), as the version in effect has it.
    get policy() {
      return reference.policy;
    },
    logger: overrides.logger ?? coreLoggerOf(powertools),
    tokenVerifier,
    mode: env.GRIDFLOW_MODE ?? 'aws',
    ...(overrides.resuming && { resuming: overrides.resuming }),
  };
}

/** The core logs through Powertools, so its lines carry the Lambda context the handler injects. */
export function coreLoggerOf(powertools: Logger): CoreLogger {
  return {
    info: (message, extra) => powertools.info(message, extra ?? {}),
    warn: (message, extra) => powertools.warn(message, extra ?? {}),
    error: (message, extra) => powertools.error(message, extra ?? {}),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
