/**
 * The `${…}` placeholders of event-lifecycle.asl.json, named once: CDK fills them in the cloud
 * (definitionSubstitutions, infra/constructs/event-lifecycle.ts) and the local engine fills them locally
 * (localLifecycleSubstitutions). A placeholder the file uses and nobody fills fails both.
 */

export const LIFECYCLE_PLACEHOLDERS = {
  /**
   * The AWS partition in the Task resources (`arn:${Partition}:states:::lambda:invoke`): `aws`, `aws-cn`,
   * `aws-us-gov`… In the cloud, the stack's own partition (AWS::Partition).
   */
  partition: 'Partition',
  /** The function every Task invokes: in the cloud, the ARN of workflow-step's published version. */
  workflowStep: 'WorkflowStepFunctionArn',
} as const;

export type LifecycleSubstitution = keyof typeof LIFECYCLE_PLACEHOLDERS;

/** The substitutions map for the definition, keyed by placeholder name (values may be CDK tokens). */
export function lifecycleSubstitutions<Value>(values: Record<LifecycleSubstitution, Value>): Record<string, Value> {
  return Object.fromEntries(
    (Object.keys(LIFECYCLE_PLACEHOLDERS) as LifecycleSubstitution[]).map((key) => [LIFECYCLE_PLACEHOLDERS[key], values[key]]),
  );
}

/** Local mode runs in the standard partition (the local engine runs only its Lambda Task resources). */
export const LOCAL_PARTITION = 'aws';

/** The local engine's substitutions: the standard partition, and workflow-step by the name its functions are keyed by. */
export function localLifecycleSubstitutions(workflowStep = 'workflow-step'): Record<string, string> {
  return lifecycleSubstitutions({ partition: LOCAL_PARTITION, workflowStep });
}
