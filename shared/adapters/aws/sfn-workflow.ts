/** The workflow port on AWS Step Functions: one Standard execution per event, named by the event id. */
import { SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionInput, executionName } from '../../domain/lifecycle';
import type { WorkflowPort } from '../../ports/workflow';

export class StepFunctionsWorkflow implements WorkflowPort {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(eventId: string, generation = 1): Promise<void> {
    try {
      // Same name and same input as a running execution: Step Functions answers with that execution.
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(eventId, generation),
          input: JSON.stringify(executionInput(eventId)),
        }),
      );
    } catch (error) {
      // The name is taken by an execution that already ran: the case is or was under way.
      if ((error as Error).name === 'ExecutionAlreadyExists') return;
      throw error;
    }
  }

  async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') return false;
      throw error;
    }
  }
}
