/**
 * The workflow port in local mode: the real state machine file on the local engine, its Lambda tasks
 * served by the real workflow-step handler.
 */
import { readFileSync } from 'node:fs';
import { executionInput, executionName } from '../../shared/domain/lifecycle';
import { localLifecycleSubstitutions } from '../../workflows/event-lifecycle';
import type { WorkflowPort } from '../../shared/ports/workflow';
import { LocalWorkflowEngine, TaskTokenInvalid, type LocalTaskFunction } from '../step-functions/local-workflow-engine';

export const LIFECYCLE_DEFINITION = new URL('../../workflows/event-lifecycle.asl.json', import.meta.url);
const WORKFLOW_STEP_FUNCTION = 'workflow-step';

export class LocalWorkflow implements WorkflowPort {
  readonly engine: LocalWorkflowEngine;

  constructor(workflowStep: LocalTaskFunction, onTransition?: (executionName: string, stateName: string) => void) {
    this.engine = new LocalWorkflowEngine({
      definition: readFileSync(LIFECYCLE_DEFINITION, 'utf8'),
      substitutions: localLifecycleSubstitutions(WORKFLOW_STEP_FUNCTION),
      functions: { [WORKFLOW_STEP_FUNCTION]: workflowStep },
      onTransition,
    });
  }

  async start(eventId: string, generation = 1): Promise<void> {
    await this.engine.start(executionName(eventId, generation), executionInput(eventId));
  }

  async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean> {
    try {
      await this.engine.sendTaskSuccess(token, output);
      return true;
    } catch (error) {
      if (error instanceof TaskTokenInvalid) return false;
      throw error;
    }
  }
}
