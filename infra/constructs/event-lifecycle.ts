import { ArnFormat, Aws, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Grant, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction, Version } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { invokedFunctions } from '../asl-invocations';
import { lifecycleSubstitutions } from '../../workflows/event-lifecycle';
import { EVENT_LIFECYCLE_ASL } from '../paths';
import { LOG_RETENTION } from '../retention';
import { EXECUTION_ACTIONS, type StateMachineAction as LambdaStateMachineAction } from '../../shared/composition/lambda-needs';

export type StateMachineAction = `states:${LambdaStateMachineAction}`;

/**
 * The state machine's name and ARN, known before the state machine exists.
 *
 * The definition needs the workflow-step function's ARN, and the functions (workflow-step
 * included) need the state machine's ARN in STATE_MACHINE_ARN and in their policies. Referencing
 * the StateMachine resource from the functions would close that loop in CloudFormation, so the
 * state machine gets a fixed name and its ARN is built from the name instead.
 */
export class EventLifecycleIdentity {
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  /** Every execution of the state machine (`<id>`, `<id>-2`, …): what DescribeExecution and GetExecutionHistory are authorized against. */
  readonly executionsArn: string;

  constructor(scope: Construct) {
    const stack = Stack.of(scope);
    // Prefixed with the stack name so that two stacks can live in one account and region.
    this.stateMachineName = `${stack.stackName}-EventLifecycle`;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /**
   * Workflow actions on this state machine: StartExecution (one execution per event, named by the
   * event id) and the answers to its waiting tasks (Step Functions authorizes SendTaskSuccess against
   * the ARN of the state machine that issued the task token); DescribeExecution and GetExecutionHistory on its
   * executions (the sweeper asks whether a case's execution still runs; a case's page shows the states it visited).
   */
  grant(grantee: IGrantable, ...actions: StateMachineAction[]): Grant {
    const onExecution = (action: StateMachineAction) => EXECUTION_ACTIONS.some((each) => action === `states:${each}`);
    const onExecutions = actions.filter(onExecution);
    const onMachine = actions.filter((action) => !onExecution(action));
    const grants = [
      ...(onMachine.length ? [Grant.addToPrincipal({ grantee, actions: onMachine, resourceArns: [this.stateMachineArn] })] : []),
      ...(onExecutions.length ? [Grant.addToPrincipal({ grantee, actions: onExecutions, resourceArns: [this.executionsArn] })] : []),
    ];
    return grants.reduce((all, grant) => all.combine(grant));
  }
}

export interface EventLifecycleProps {
  readonly identity: EventLifecycleIdentity;
  /** The function every Task of the definition invokes (through its published version). */
  readonly workflowStep: LambdaFunction;
}

/**
 * The event lifecycle: one Standard execution per reported event, deployed from
 * workflows/event-lifecycle.asl.json, the same file local mode runs.
 *
 * Its Tasks call a published version of workflow-step, not the function itself: an execution keeps the
 * definition it started with for months, and it keeps the code that definition was written for too. Each
 * deployment that changes the function publishes a new version (CDK's currentVersion: its logical id
 * hashes the code and configuration) and the definition names it; the versions before are RETAINed, so
 * the executions started under them go on calling them. The Task resources take the stack's partition.
 */
export class EventLifecycle extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** The version of workflow-step this deployment's definition calls. */
  readonly workflowStepVersion: Version;

  constructor(scope: Construct, id: string, props: EventLifecycleProps) {
    super(scope, id);

    // RETAIN: the function's currentVersionOptions (GridFlowFunction).
    this.workflowStepVersion = props.workflowStep.currentVersion;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.identity.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(EVENT_LIFECYCLE_ASL),
      definitionSubstitutions: lifecycleSubstitutions({ partition: Aws.PARTITION, workflowStep: this.workflowStepVersion.functionArn }),
      // Every state transition, without the state payloads. An operator needs to see where a case's
      // execution is, when it last moved and what failed, searchable for as long as logs are kept
      // (execution history itself goes 90 days after an execution closes). The payloads are not
      // needed for that — the case and its timeline are in the table — and keeping them out keeps
      // reporters' data out of the logs.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    // The definition comes from a file, so CDK cannot infer what the machine calls: its Tasks say. Each
    // function they name is allowed in its versions (`<function ARN>:*`): this deployment's and the retained
    // ones older executions call. Not the unqualified function: no Task calls it.
    const definition = JSON.parse(readFileSync(EVENT_LIFECYCLE_ASL, 'utf8'));
    const anyVersion = lifecycleSubstitutions({ partition: Aws.PARTITION, workflowStep: `${props.workflowStep.functionArn}:*` });
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invokedFunctions(definition, anyVersion) }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.workflowStep.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        'The wildcard is the version qualifier of the one workflow-step function: each execution calls the published version its definition names, and executions started before a deployment keep calling their retained older versions.',
    });

    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" is required by the actions CDK adds for logging and tracing: the CloudWatch Logs vended-log delivery actions (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and the X-Ray actions (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) do not support resource-level permissions. Lambda invoke is limited to the workflow-step function ARN.',
    });
  }
}
