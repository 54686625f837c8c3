import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The stack's partition, account and region as cdk-nag prints them in a finding's resource (what a granular
 * acknowledgment must name): the literal value where `cdk synth` knows the environment (the CLI's default region,
 * credentials' account), `<AWS::Region>`-style where the stack is environment-agnostic (the tests).
 */
export function nagPseudo(scope: IConstruct): { partition: string; account: string; region: string } {
  const stack = Stack.of(scope);
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return {
    partition: shown(stack.partition, 'Partition'),
    account: shown(stack.account, 'AccountId'),
    region: shown(stack.region, 'Region'),
  };
}
