/**
 * The lifecycle state machine in local mode: the real state machine file on the local engine, its Lambda
 * task (`workflow-step`) invoked through that function's own composition (local-functions.ts). The
 * functions reach it as Step Functions, through the edge port (edge/step-functions-service.ts).
 */
import { readFileSync } from 'node:fs';
import type { LocalClock } from './adapters/timers';
import { localLifecycleSubstitutions } from '../workflows/event-lifecycle';
import { LIFECYCLE_STATE_MACHINE_NAME } from './step-functions/arns';
import type { ExecutionStore } from './step-functions/execution-store';
import { LocalWorkflowEngine } from './step-functions/local-workflow-engine';
import { substituted } from './step-functions/definition';
import { machineParts } from './step-functions/machine-parts';

export const LIFECYCLE_DEFINITION = new URL('../workflows/event-lifecycle.asl.json', import.meta.url);
/** The function the state machine's Lambda tasks invoke (its `${WorkflowStepFunctionArn}`). */
export const WORKFLOW_STEP_FUNCTION = 'workflow-step';

export function lifecycleEngine(options: {
  /** Invokes a function by name with a payload, as Lambda would. */
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  /** Policy time, and where the engine's timers are armed. */
  clock: LocalClock;
  onTransition?: (executionName: string, stateName: string) => void;
  /** Where executions, history and versions are kept (the platform: DynamoDB Local's gridflow-local-states). */
  store?: ExecutionStore;
  /** The region in execution ARNs and task events. */
  region?: string;
  /** Each lambda:InvokeFunction the engine makes (the permission check records them). */
  onInvoke?: (functionName: string, payload: unknown) => void;
  /** Kept executions come back in the background once this settles (see LocalWorkflowEngineOptions). */
  restoreAfter?: Promise<unknown>;
}): LocalWorkflowEngine {
  return new LocalWorkflowEngine({
    definition: lifecycleDefinition(),
    functions: { [WORKFLOW_STEP_FUNCTION]: (payload) => options.invoke(WORKFLOW_STEP_FUNCTION, payload) },
    onTransition: options.onTransition,
    clock: options.clock,
    timers: options.clock,
    name: LIFECYCLE_STATE_MACHINE_NAME,
    store: options.store,
    region: options.region,
    onInvoke: options.onInvoke,
    restoreAfter: options.restoreAfter,
  });
}

/** The lifecycle as the local engine runs it: the state machine file with its local substitutions. */
function lifecycleDefinition(): string {
  return substituted(readFileSync(LIFECYCLE_DEFINITION, 'utf8'), localLifecycleSubstitutions(WORKFLOW_STEP_FUNCTION));
}

/** Validates and cuts the lifecycle now (it takes a second), so that the engine built later finds it ready. */
export function prepareLifecycleMachine(): void {
  machineParts(lifecycleDefinition());
}
