/** The workflow port on AWS Step Functions: one Standard execution per event, named by the event id. */
import { DescribeExecutionCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionInput, executionName } from '../../domain/lifecycle';
import type { ExecutionStatus, StartOutcome, WorkflowPort } from '../../ports/workflow';

export class StepFunctionsWorkflow implements WorkflowPort {
  /**
   * @param recoveryWaitSeconds wall-clock seconds an execution waits before it checks its case again after a
   * step failed past its retries (the policy's, time scale applied): part of every execution's input.
   */
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
    private readonly recoveryWaitSeconds = 300,
  ) {}

  async start(eventId: string, generation = 1): Promise<StartOutcome> {
    try {
      // Same name and same input as a running execution: Step Functions answers with that execution.
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(eventId, generation),
          input: JSON.stringify(executionInput(eventId, this.recoveryWaitSeconds)),
        }),
      );
      return 'started';
    } catch (error) {
      // The name is taken by an execution that closed (or runs with another input): nothing started.
      if ((error as Error).name === 'ExecutionAlreadyExists') return 'exists';
      throw error;
    }
  }

  async status(eventId: string, generation = 1): Promise<ExecutionStatus> {
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(eventId, generation)}`;
    try {
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'running' : 'closed';
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return 'none';
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
