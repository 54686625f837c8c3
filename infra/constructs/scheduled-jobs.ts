import { Duration, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { cronExpression, SCHEDULED_JOBS } from '../../shared/domain/schedule';

export interface ScheduledJobsProps {
  /** Starts the lifecycles that never started and sends the ended reminder digests, every 5 minutes. */
  readonly sweeper: IFunction;
  /** Runs the jobs of shared/domain/schedule.ts (reports, patrol checks, campaign reminders). */
  readonly jobs: IFunction;
}

/**
 * EventBridge Scheduler: the sweeper every five minutes, and each scheduled job at its times of day
 * in Beijing time (shared/domain/schedule.ts, which local mode runs too).
 */
export class ScheduledJobs extends Construct {
  readonly sweeperSchedule: Schedule;
  readonly jobSchedules: Schedule[];

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const schedulerPrincipal = () =>
      new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } });
    const functionLogicalId = (fn: IFunction) => stack.getLogicalId(fn.node.defaultChild as CfnElement);

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
  }
}
