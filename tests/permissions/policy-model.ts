/** The permission check's view of the real stack: its template's resources and where local names meet logical ids. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GridFlowStack } from '../../infra/gridflow-stack';
import { HANDLER_NAMES } from '../../shared/http/routes';
import { logicalIdOf, synthesizeGridFlow } from '../infra/synthesize';
import type { PolicyModel } from './permission-check';

/** The table's name in local mode (dev-server/local-platform.ts). */
export const LOCAL_TABLE_NAME = 'gridflow';

const MODEL_FILE = 'policy-model.json';

export function policyModelOf(stack: GridFlowStack, resources: Record<string, unknown>): PolicyModel {
  return {
    resources,
    roles: {
      ...Object.fromEntries(HANDLER_NAMES.map((name) => [name, logicalIdOf(stack.functions[name].executionRole)])),
      // The local engine's Lambda invocations are the state machine's, named as the stack names it.
      [stack.lifecycleIdentity.stateMachineName]: logicalIdOf(stack.lifecycle.stateMachine.role),
    },
    tables: { [LOCAL_TABLE_NAME]: logicalIdOf(stack.table.table) },
    functions: Object.fromEntries(HANDLER_NAMES.map((name) => [name, logicalIdOf(stack.functions[name])])),
  };
}

/** Saves the model of a stack a test synthesized anyway, so the check at the end need not synthesize again. */
export function savePolicyModel(folder: string | undefined, model: PolicyModel): void {
  if (folder && existsSync(folder)) writeFileSync(join(folder, MODEL_FILE), JSON.stringify(model));
}

/** The model saved by the infra test of this run, or one synthesized now (without bundling: policies only). */
export function loadPolicyModel(folder: string): PolicyModel {
  const file = join(folder, MODEL_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { stack, template, cleanup } = synthesizeGridFlow({ nag: false, 'aws:cdk:bundling-stacks': [] });
  try {
    return policyModelOf(stack, template.toJSON().Resources);
  } finally {
    cleanup();
  }
}
