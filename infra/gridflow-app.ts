import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GridFlowStack } from './gridflow-stack';

export const STACK_NAME = 'GridFlow';

/** cdk-nag runs unless the context says `nag=false` (e.g. `cdk synth -c nag=false` while iterating). */
export function nagEnabled(app: App): boolean {
  const value = app.node.tryGetContext('nag');
  return value !== false && value !== 'false';
}

/**
 * The GridFlow app: one stack, deployed to the account and region of the CLI's credentials when
 * they are known, environment-agnostic otherwise (an offline `cdk synth`).
 *
 * cdk-nag 3 is a policy-validation plugin (no longer an Aspect): its AwsSolutions pack runs after
 * synthesis and fails it on any finding that is not acknowledged with a reason
 * (`Validations.of(construct).acknowledge`).
 */
export function createGridFlowApp(props: AppProps = {}): { app: App; stack: GridFlowStack } {
  const app = new App(props);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stack = new GridFlowStack(app, STACK_NAME, {
    env: account || region ? { account, region } : undefined,
    description: 'GridFlow: serverless grid-based community governance',
  });
  if (nagEnabled(app)) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  return { app, stack };
}
