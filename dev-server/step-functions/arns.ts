/**
 * Step Functions ARNs as AWS forms them (`arn:aws:states:<region>:<account>:stateMachine:<name>`,
 * `…:execution:<machine>:<execution>`), and the local name of the platform's lifecycle machine — the name
 * the stack gives it (`<stack name>-EventLifecycle`, infra/constructs/event-lifecycle.ts).
 */

/** Where the local state machines live: the region and account their ARNs name. */
export interface StatesLocation {
  region: string;
  accountId: string;
}

/** The lifecycle state machine's name, as the `GridFlow` stack names it in the cloud. */
export const LIFECYCLE_STATE_MACHINE_NAME = 'GridFlow-EventLifecycle';

/** A placeholder account for local ARNs (12 digits, as ARNs have). */
export const LOCAL_ACCOUNT_ID = '000000000000';

export function stateMachineArn(location: StatesLocation, machineName: string): string {
  return `arn:aws:states:${location.region}:${location.accountId}:stateMachine:${machineName}`;
}

export function executionArn(location: StatesLocation, machineName: string, executionName: string): string {
  return `arn:aws:states:${location.region}:${location.accountId}:execution:${machineName}:${executionName}`;
}

/** The ARN of the platform's lifecycle state machine (STATE_MACHINE_ARN of the local composition). */
export function lifecycleStateMachineArn(location: StatesLocation): string {
  return stateMachineArn(location, LIFECYCLE_STATE_MACHINE_NAME);
}

interface StatesArnPlace {
  region: string;
  accountId: string;
  machineName: string;
}

/** A state machine's ARN, or an execution's (which always names the execution). */
export type ParsedStatesArn =
  | (StatesArnPlace & { resourceType: 'stateMachine' })
  | (StatesArnPlace & { resourceType: 'execution'; executionName: string });

/** Reads a state machine or execution ARN (any partition); undefined when it is neither. */
export function parseStatesArn(arn: unknown): ParsedStatesArn | undefined {
  if (typeof arn !== 'string') return undefined;
  const match = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution):([^:]+)(?::([^:]+))?$/.exec(arn);
  if (!match) return undefined;
  const [, region, accountId, resourceType, machineName, executionName] = match;
  if (resourceType === 'execution')
    return executionName === undefined ? undefined : { region, accountId, resourceType, machineName, executionName };
  if (executionName !== undefined) return undefined;
  return { region, accountId, resourceType: 'stateMachine', machineName };
}
