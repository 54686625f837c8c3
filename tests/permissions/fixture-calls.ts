/** What the functions do on the paths issues 10 and 11 name, as the recorder records them: the check's fixture. */
import type { RecordedCall } from '../../dev-server/aws-call-recorder';
import { LOCAL_TABLE_NAME } from './policy-model';

export const MACHINE = 'GridFlow-EventLifecycle';

export const call = (principal: string, action: string, resource: RecordedCall['resource']): RecordedCall => ({
  principal,
  action,
  resource,
  count: 1,
});

export const FIXTURE_CALLS: RecordedCall[] = [
  call('events-create', 'dynamodb:PutItem', { table: LOCAL_TABLE_NAME }),
  call('events-create', 'dynamodb:Query', { table: LOCAL_TABLE_NAME, index: 'byPlace' }),
  call('events-create', 'states:StartExecution', { stateMachine: MACHINE }),
  // Only the SMS sender texts; it records each intent's outcome.
  call('sms-sender', 'sns:Publish', { phoneNumber: true }),
  call('sms-sender', 'dynamodb:UpdateItem', { table: LOCAL_TABLE_NAME }),
  call('workflow-step', 'states:StartExecution', { stateMachine: MACHINE }),
  call('workflow-step', 'states:SendTaskSuccess', { taskToken: true }),
  call('events-list', 'dynamodb:Query', { table: LOCAL_TABLE_NAME, index: 'byUrgency' }),
  // A Task calls the published version its definition names (infra/constructs/event-lifecycle.ts).
  call(MACHINE, 'lambda:InvokeFunction', { function: 'workflow-step', qualifier: '7' }),
];
