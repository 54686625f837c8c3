import { Aws, Validations } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { nagPseudo } from '../nag-pseudo';
import { EXECUTION_ACTIONS, type LambdaNeeds, READS_REFERENCE } from '../../shared/composition/lambda-needs';
import type { EventLifecycleIdentity } from './event-lifecycle';
import type { GridFlowFunction } from './gridflow-function';
import type { GridFlowTable } from './gridflow-table';

export interface PermissionTargets {
  readonly table: GridFlowTable;
  readonly lifecycle: EventLifecycleIdentity;
}

/**
 * A function's data, workflow and SMS permissions, built from what its module declares (functions/<name>.ts,
 * `needs`) — and the reference reads every function makes (READS_REFERENCE) — and nothing else: every action on an exact resource, except SMS (below). Everything not declared
 * is denied.
 */
export function grantNeeds(fn: GridFlowFunction, needs: LambdaNeeds, targets: PermissionTargets): void {
  targets.table.grantItems(fn, [...new Set([...READS_REFERENCE, ...(needs.table ?? [])])], needs.indexes ?? []);
  if (needs.stateMachine?.length) targets.lifecycle.grant(fn, ...needs.stateMachine.map((action) => `states:${action}` as const));
  const onExecutions = needs.stateMachine?.filter((action) => EXECUTION_ACTIONS.includes(action)) ?? [];
  if (onExecutions.length)
    Validations.of(fn.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executionsOf(fn, targets.lifecycle.stateMachineName)}]`,
      reason: `${onExecutions.join(' and ')} ${onExecutions.length > 1 ? 'are' : 'is'} authorized on an execution's ARN, and each case has its own executions, named by its id (<id>, <id>-2, …): the sweeper asks about any open case's, a case's page reads the states its executions visited, so the resource is every execution of the one lifecycle state machine, and nothing else (infra/constructs/event-lifecycle.ts).`,
    });
  if (needs.sms) grantSms(fn);
}

/**
 * sns:Publish to phone numbers only. A phone number has no ARN, so IAM can allow it only on Resource "*";
 * the Deny on every SNS ARN (`arn:<partition>:sns:*:*:*`: topics, platform endpoints) leaves just the
 * PhoneNumber form of Publish, so a function that texts cannot post to the operators' alert topic or any other.
 */
function grantSms(fn: GridFlowFunction): void {
  // A policy of its own, so that its one wildcard is acknowledged on its own.
  const smsPolicy = new Policy(fn, 'SmsPublish', {
    statements: [
      new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }),
      new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: [`arn:${Aws.PARTITION}:sns:*:*:*`] }),
    ],
  });
  fn.executionRole.attachInlinePolicy(smsPolicy);
  Validations.of(smsPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'SMS are sent with sns:Publish to a phone number (PhoneNumber parameter), which has no ARN: IAM can only allow it on Resource "*". The same policy denies sns:Publish on every SNS ARN, so only phone numbers can be texted.',
  });
}

/** Every execution of the state machine, as cdk-nag prints the resource (the environment literal where `cdk synth` knows it). */
function executionsOf(scope: IConstruct, stateMachineName: string): string {
  const { partition, region, account } = nagPseudo(scope);
  return `arn:${partition}:states:${region}:${account}:execution:${stateMachineName}:*`;
}
