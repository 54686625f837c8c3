import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, type Function as LambdaFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SMS_INTENT_STREAM_FILTER } from '../../shared/adapters/dynamodb/dynamodb-sms-stream';
import type { OperatorAlerts } from './operator-alerts';

export interface SmsDeliveryProps {
  /** The table, with its stream on (new images). */
  readonly table: ITable;
  /** functions/sms-sender.ts. */
  readonly sender: LambdaFunction;
  readonly alerts: OperatorAlerts;
}

/**
 * SMS at least once: the table's stream feeds the SMS intents each change stored to the SMS sender. A batch
 * that fails is retried from the failed record (the sender reports it), halved on each error, for six hours;
 * what still fails goes to a queue an operator reads, with an alarm on its first message. The sender skips an
 * intent already sent, so a retried batch texts nobody twice (shared/core/deliver-sms.ts).
 */
export class SmsDelivery extends Construct {
  /** Stream records the sender could not deliver after its retries. */
  readonly undelivered: Queue;

  constructor(scope: Construct, id: string, props: SmsDeliveryProps) {
    super(scope, id);
    this.undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.undelivered).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the on-failure destination of the SMS sender's stream: nothing consumes it but an operator, and an alarm fires on its first message.",
    });
    props.sender.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.undelivered),
        // Only the SMS intents (and owed items) a write inserted reach the sender (nothing else is billed as an invocation).
        filters: [FilterCriteria.filter(SMS_INTENT_STREAM_FILTER as unknown as Record<string, unknown>)],
      }),
    );
    props.alerts.alarmWhen(
      'SmsUndelivered',
      this.undelivered.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      1,
      'SMS intents the sender could not take from the stream after its retries (the table or SNS unreachable for hours?). The queue holds the stream positions; the intents are in the table (SMS#<id>).',
    );
  }
}
