import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperatorAlertsProps {
  /** An address to subscribe to the topic, if any (the confirmation mail must be accepted). */
  readonly email?: string;
}

/**
 * The operators' alert topic, fed by CloudWatch alarms (the stack defines them: failed or timed-out
 * lifecycles, failing background functions, API 5xx, SMS that failed after retries). Encrypted with
 * a customer managed key, because CloudWatch cannot publish to a topic encrypted with the AWS
 * managed SNS key. Subscribe operators by e-mail (context `alertEmail`) or any other protocol.
 */
export class OperatorAlerts extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: OperatorAlertsProps = {}) {
    super(scope, id);

    const stack = Stack.of(this);
    // Publishing is limited to this account's alarms (no confused deputy). The key policy keeps the
    // plain principal, as documented for alarms on encrypted topics: the KMS calls are SNS's.
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const thisAccountsAlarms = new ServicePrincipal('cloudwatch.amazonaws.com', {
      conditions: {
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    });

    this.key = new Key(this, 'Key', {
      description: 'GridFlow operator alerts topic',
      enableKeyRotation: true,
    });
    this.key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.topic = new Topic(this, 'Topic', {
      displayName: 'GridFlow operator alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    // The topic policy (written for enforceSSL) must also let the alarms publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({ principals: [thisAccountsAlarms], actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );

    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /** An alarm on `metric` reaching `threshold` in one period, notifying this topic. */
  alarmWhen(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened: not an alarm.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
