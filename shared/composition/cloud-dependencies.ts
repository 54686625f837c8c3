/** Wires the core to AWS from the Lambda environment (set by infra/). Endpoints honour AWS_ENDPOINT_URL_* (LocalStack-ready). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { BusinessCalendar } from '../domain/calendar';
import { Catalog } from '../domain/catalog';
import { DEFAULT_POLICY } from '../domain/policy';
import { UnitDirectory } from '../domain/units';
import type { CoreLogger } from '../core/dependencies';
import type { AppDependencies } from '../http/api-handler';
import { systemClock } from '../adapters/system-clock';
import { CognitoTokenVerifier } from '../adapters/aws/cognito-token-verifier';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow';
import { SnsSmsNotifier } from '../adapters/aws/sns-notifier';
import { tableStores } from './stores';

/** Throws, naming the variable, when one the functions cannot run without is not set. */
export function cloudDependencies(env: NodeJS.ProcessEnv, powertools: Logger): AppDependencies {
  return {
    ...tableStores(new DynamoDBClient({}), required(env, 'TABLE_NAME')),
    workflow: new StepFunctionsWorkflow(new SFNClient({}), env.STATE_MACHINE_ARN ?? ''),
    notifier: new SnsSmsNotifier(new SNSClient({}), {
      smsType: env.SMS_TYPE === 'Promotional' ? 'Promotional' : 'Transactional',
      senderId: env.SMS_SENDER_ID,
    }),
    clock: systemClock,
    calendar: BusinessCalendar.default(),
    catalog: Catalog.default(),
    directory: UnitDirectory.sample(),
    policy: DEFAULT_POLICY,
    logger: coreLoggerOf(powertools),
    tokenVerifier: new CognitoTokenVerifier(required(env, 'COGNITO_USER_POOL_ID'), required(env, 'COGNITO_CLIENT_ID')),
    mode: env.GRIDFLOW_MODE ?? 'aws',
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
