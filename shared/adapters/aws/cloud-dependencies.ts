/** Wires the core to AWS from the Lambda environment (set by infra/). Endpoints honour AWS_ENDPOINT_URL_* (LocalStack-ready). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { BusinessCalendar } from '../../domain/calendar';
import { Catalog } from '../../domain/catalog';
import { DEFAULT_POLICY } from '../../domain/policy';
import { UnitDirectory } from '../../domain/units';
import type { CoreLogger } from '../../core/dependencies';
import type { AppDependencies } from '../../runtime';
import { systemClock } from '../system-clock';
import { DynamoDbEventStore } from '../dynamodb/dynamodb-event-store';
import { CognitoTokenVerifier } from './cognito-token-verifier';
import { StepFunctionsWorkflow } from './sfn-workflow';
import { SnsSmsNotifier } from './sns-notifier';

export function createCloudDependencies(env: NodeJS.ProcessEnv): AppDependencies {
  const powertools = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'gridflow' });
  const logger: CoreLogger = {
    info: (message, extra) => powertools.info(message, extra ?? {}),
    warn: (message, extra) => powertools.warn(message, extra ?? {}),
    error: (message, extra) => powertools.error(message, extra ?? {}),
  };
  return {
    store: new DynamoDbEventStore(new DynamoDBClient({}), required(env, 'TABLE_NAME')),
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
    logger,
    tokenVerifier: new CognitoTokenVerifier(required(env, 'COGNITO_USER_POOL_ID'), required(env, 'COGNITO_CLIENT_ID')),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
