/**
 * Scheduled runs are never lost in silence (issue 10, item 4): every EventBridge Scheduler target has a
 * dead-letter queue, the functions it invokes send failed asynchronous invocations to the same queue,
 * and both the scheduled jobs' errors and a failed run raise the operators' alarm. Synthesized without
 * bundling (the template's wiring is what is checked here; gridflow-stack.test.ts bundles).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { FAILED_RUN_RETENTION } from '../../infra/constructs/scheduled-jobs';
import type { GridFlowStack } from '../../infra/gridflow-stack';
import { SCHEDULED_JOBS } from '../../shared/domain/schedule';
import { logicalIdOf, synthesizeGridFlow } from './synthesize';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- template fragments

let stack: GridFlowStack;
let template: Template;
let cleanup: () => void;

beforeAll(() => {
  ({ stack, template, cleanup } = synthesizeGridFlow({ nag: false, 'aws:cdk:bundling-stacks': [] }));
});
afterAll(() => cleanup?.());

const resources = (type: string): Json[] => Object.values(template.findResources(type));
const queueArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack.schedules.failedRuns), 'Arn'] });

test('the failed-runs queue is encrypted, refuses plain HTTP and keeps messages 14 days', () => {
  const queue = template.findResources('AWS::SQS::Queue')[logicalIdOf(stack.schedules.failedRuns)];
  expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: FAILED_RUN_RETENTION.toSeconds() });
  expect(FAILED_RUN_RETENTION.toDays()).toBe(14);
  const policy = resources('AWS::SQS::QueuePolicy').find(
    (candidate) => candidate.Properties.Queues[0].Ref === logicalIdOf(stack.schedules.failedRuns),
  );
  expect(policy.Properties.PolicyDocument.Statement).toEqual(
    expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
  );
});

test('every Scheduler target (the sweeper and each scheduled job) has the dead-letter queue, and its role may send to it', () => {
  const schedules = resources('AWS::Scheduler::Schedule');
  expect(schedules).toHaveLength(1 + SCHEDULED_JOBS.flatMap((job) => job.times).length);
  for (const schedule of schedules) {
    expect(schedule.Properties.Target.DeadLetterConfig).toEqual({ Arn: queueArn() });
    const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    const statements = resources('AWS::IAM::Policy')
      .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 'sqs:SendMessage', Resource: queueArn() })]));
  }
});

test('the sweeper and scheduled-jobs send failed asynchronous invocations to the queue (on-failure destination), after no retry', () => {
  const configs = resources('AWS::Lambda::EventInvokeConfig');
  for (const name of ['sweeper', 'scheduled-jobs']) {
    const config = configs.find((candidate) => candidate.Properties.FunctionName.Ref === logicalIdOf(stack.functions[name]));
    expect(config?.Properties).toMatchObject({
      MaximumRetryAttempts: 0,
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: queueArn() } },
    });
  }
});

test("the scheduled jobs' errors and a failed run raise the operators' alarm", () => {
  const alarms = resources('AWS::CloudWatch::Alarm');
  const topic = { Ref: logicalIdOf(stack.alerts.topic) };
  const jobErrors = alarms.find(
    (alarm) =>
      alarm.Properties.MetricName === 'Errors' &&
      alarm.Properties.Dimensions?.some((dimension: Json) => dimension.Value?.Ref === logicalIdOf(stack.functions['scheduled-jobs'])),
  );
  expect(jobErrors?.Properties).toMatchObject({ Threshold: 1, AlarmActions: [topic] });
  const failedRuns = alarms.find((alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
  expect(failedRuns?.Properties).toMatchObject({
    Namespace: 'AWS/SQS',
    Threshold: 1,
    AlarmActions: [topic],
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack.schedules.failedRuns), 'QueueName'] } }],
  });
});
