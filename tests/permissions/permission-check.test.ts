/**
 * The permission check itself (no synthesis here; the checks against today's template are in
 * tests/infra/gridflow-stack.test.ts, which synthesizes it anyway): it rejects the committed negative
 * fixture — the policies FUNCTION_SPECS built before issue 10 (no intake SMS, no StartExecution for
 * workflow-step) — and reads IAM's wildcards, NotResource and the SDK's calls as IAM does.
 */
import { readFileSync } from 'node:fs';
import { callsOf } from '../../dev-server/aws-call-recorder';
import { FIXTURE_CALLS as CALLS, MACHINE, call } from './fixture-calls';
import { checkCalls, matches, type PolicyModel } from './permission-check';

const deniedOf = (model: PolicyModel, calls = CALLS) =>
  checkCalls(model, calls, (principal) => principal in model.roles).denied.map(
    (denial) => `${denial.call.principal} ${denial.call.action}`,
  );

test('the negative fixture (the policies FUNCTION_SPECS built) is rejected: no StartExecution for workflow-step, no published version', () => {
  const old: PolicyModel = JSON.parse(readFileSync(new URL('fixtures/function-specs-model.json', import.meta.url), 'utf8'));
  // …and the state machine could invoke only the unqualified function, not the published version its Tasks call now.
  // (It has no SMS sender at all: its calls are not judged there.)
  expect(deniedOf(old, CALLS)).toEqual(['workflow-step states:StartExecution', 'GridFlow-EventLifecycle lambda:InvokeFunction']);
});

test('IAM wildcards, NotResource, and how SDK calls become IAM actions', () => {
  expect(matches('dynamodb:*Item', 'dynamodb:PutItem', true)).toBe(true);
  expect(matches('states:SendTask?uccess', 'STATES:SendTaskSuccess', true)).toBe(true);
  expect(matches('arn:aws:sns:*:*:*', 'phone-number (no ARN)')).toBe(false);
  const model: PolicyModel = {
    resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sns:*', NotResource: 'arn:aws:sns:*:*:*' }] } }],
        },
      },
    },
    roles: { fn: 'Role' },
    tables: {},
    functions: {},
  };
  expect(deniedOf(model, [call('fn', 'sns:Publish', { phoneNumber: true })])).toEqual([]);
  expect(deniedOf(model, [call('fn', 'sns:Publish', { topic: 'arn:aws:sns:r:1:t' })])).toEqual(['fn sns:Publish']);

  expect(
    callsOf('dynamodb', 'TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 't' } }, { ConditionCheck: { TableName: 't' } }, { Update: { TableName: 't' } }],
    }),
  ).toEqual([
    { action: 'dynamodb:PutItem', via: 'dynamodb:TransactWriteItems', resource: { table: 't' } },
    { action: 'dynamodb:ConditionCheckItem', via: 'dynamodb:TransactWriteItems', resource: { table: 't' } },
    { action: 'dynamodb:UpdateItem', via: 'dynamodb:TransactWriteItems', resource: { table: 't' } },
  ]);
  expect(callsOf('states', 'StartExecution', { stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:${MACHINE}` })).toEqual(
    [{ action: 'states:StartExecution', resource: { stateMachine: MACHINE } }],
  );
  expect(callsOf('sns', 'Publish', { PhoneNumber: '+8613000001001', Message: 'x' })).toEqual([
    { action: 'sns:Publish', resource: { phoneNumber: true } },
  ]);
});
