/**
 * Links to the AWS console for what the API shows (the cloud only: local mode has no console). The console's host
 * is the partition's: console.aws.amazon.com, console.amazonaws.cn in China, console.amazonaws-us-gov.com.
 */

const CONSOLE_HOSTS: Record<string, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': (region) => `${region}.console.amazonaws.cn`,
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

/** The Step Functions console's page of an execution, from its ARN (`arn:<partition>:states:<region>:…`); undefined for another ARN. */
export function executionConsoleUrl(executionArn: string): string | undefined {
  const [arn, partition, service, region] = executionArn.split(':');
  const host = partition === undefined ? undefined : CONSOLE_HOSTS[partition];
  if (arn !== 'arn' || service !== 'states' || !region || !host) return undefined;
  return `https://${host(region)}/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}
