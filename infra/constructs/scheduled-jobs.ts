import { Duration, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { EventInvokeConfig, type CfnEventInvokeConfig, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cronExpression, SCHEDULED_JOBS } from '../../shared/domain/schedule';
import type { OperatorAlerts } from './operator-alerts';

/** How long a failed run waits in the dead-letter queue for an operator (SQS's longest). */
export const FAILED_RUN_RETENTION = Duration.days(14);

export interface ScheduledJobsProps {
  /** Starts the lifecycles that never started and sends the ended reminder digests, every 5 minutes. */
  readonly sweeper: LambdaFunction;
  /** Runs the jobs of shared/domain/schedule.ts (reports, patrol checks, campaign reminders). */
  readonly jobs: LambdaFunction;
  /** Where the errors alarm and the failed-runs alarm notify. */
  readonly alerts: OperatorAlerts;
}

/**
 * EventBridge Scheduler: the sweeper every five minutes, and each scheduled job at its times of day
 * in Beijing time (shared/domain/schedule.ts, which local mode runs too).
 *
 * A run that fails is kept, not lost: an invocation the Scheduler could not make (throttled, the function
 * missing, no permission) goes to the dead-letter queue of its target; an invocation Lambda made but the
 * function failed (after its own retries) goes to the same queue as the function's on-failure destination.
 * Either raises the operators' alarm, and so do the scheduled jobs' errors. A retried run texts nobody
 * twice: the "report ready" SMS is claimed once per head and report (shared/core/reports/published-reports.ts).
 */
export class ScheduledJobs extends Construct {
  /** The functions whose failed asynchronous invocations go to failedRuns (their roles may send to it). */
  readonly failureSenders: readonly LambdaFunction[];
  readonly sweeperSchedule: Schedule;
  readonly jobSchedules: Schedule[];
  /** Failed scheduled runs (Scheduler's DLQ and Lambda's on-failure destination), for an operator to read. */
  readonly failedRuns: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const schedulerPrincipal = () =>
      new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } });
    const functionLogicalId = (fn: LambdaFunction) => stack.getLogicalId(fn.node.defaultChild as CfnElement);

    this.failedRuns = new Queue(this, 'FailedRuns', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: FAILED_RUN_RETENTION,
      enforceSSL: true,
    });
    Validations.of(this.failedRuns).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue: of the EventBridge Scheduler targets (DeadLetterConfig) and the on-failure destination of the sweeper and scheduled-jobs functions. Nothing consumes it but an operator, and an alarm fires on its first message.',
    });
    this.failureSenders = [props.sweeper, props.jobs];
    for (const fn of this.failureSenders) sendFailuresTo(fn, this.failedRuns);

    // The sweeper starts the lifecycle of any stored event whose execution never started (DESIGN rule 6).
    const sweeperRole = new Role(this, 'SweeperScheduleRole', {
      description: 'EventBridge Scheduler: invoke the GridFlow sweeper',
      assumedBy: schedulerPrincipal(),
    });
    this.sweeperSchedule = new Schedule(this, 'SweeperSchedule', {
      description: 'GridFlow sweeper: start missing event-lifecycle executions',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      target: new LambdaInvoke(props.sweeper, {
        role: sweeperRole,
        deadLetterQueue: this.failedRuns,
        // A missed run is made good by the next one, five minutes later.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(5),
      }),
    });
    Validations.of(sweeperRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId(props.sweeper)}.Arn>:*]`,
      reason:
        'The scheduler target (LambdaInvoke) grants lambda:InvokeFunction on the sweeper function and on `<sweeper ARN>:*`, its versions and aliases: the wildcard covers qualifiers of that one function only.',
    });

    // Reports, patrol checks and campaign reminders at their times of day in Beijing time (shared/domain/schedule.ts).
    const jobsRole = new Role(this, 'JobsScheduleRole', {
      description: 'EventBridge Scheduler: invoke the GridFlow scheduled jobs',
      assumedBy: schedulerPrincipal(),
    });
    this.jobSchedules = SCHEDULED_JOBS.flatMap((job) =>
      job.times.map(
        (time, index) =>
          new Schedule(this, `Job-${job.name}-${index + 1}`, {
            description: `GridFlow ${job.summary}`.slice(0, 512),
            schedule: ScheduleExpression.expression(cronExpression(time), TimeZone.ASIA_SHANGHAI),
            target: new LambdaInvoke(props.jobs, {
              role: jobsRole,
              deadLetterQueue: this.failedRuns,
              input: ScheduleTargetInput.fromObject({ job: job.name }),
              retryAttempts: 2,
              maxEventAge: Duration.hours(1),
            }),
          }),
      ),
    );
    Validations.of(jobsRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId(props.jobs)}.Arn>:*]`,
      reason:
        'The scheduler target (LambdaInvoke) grants lambda:InvokeFunction on the scheduled-jobs function and on `<function ARN>:*`, its versions and aliases: the wildcard covers qualifiers of that one function only.',
    });
    const period = Duration.minutes(5);
    props.alerts.alarmWhen(
      'ScheduledJobsErrors',
      props.jobs.metricErrors({ period }),
      1,
      'A scheduled job (reports, patrol check, campaign reminders) failed. The Scheduler retries it; a run that keeps failing lands in the failed-runs queue.',
    );
    props.alerts.alarmWhen(
      'ScheduledRunsFailed',
      this.failedRuns.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
      'A scheduled run (sweeper or scheduled job) failed for good: its event is in the failed-runs queue (kept 14 days). Read it, fix the cause, and run the job again (a rerun texts nobody twice).',
    );
  }
}

/**
 * The function's asynchronous invocations that fail after their retries go to `queue`. The function may
 * already have its async invoke configuration (its retry count): the destination is added to it.
 */
function sendFailuresTo(fn: LambdaFunction, queue: Queue): void {
  const existing = fn.node.tryFindChild('EventInvokeConfig');
  if (!(existing instanceof EventInvokeConfig)) {
    fn.configureAsyncInvoke({ onFailure: new SqsDestination(queue) });
    return;
  }
  (existing.node.defaultChild as CfnEventInvokeConfig).destinationConfig = { onFailure: { destination: queue.queueArn } };
  // Lambda sends the failed event with the function's role: sqs:SendMessage is all it needs (the function's
  // code never calls SQS, so the permission check lists this grant as unused; it is the service's).
  queue.grant(fn, 'sqs:SendMessage');
}
