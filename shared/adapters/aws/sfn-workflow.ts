/** The workflow port on AWS Step Functions: one Standard execution per case, named by the case id. */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { executionInput, executionName } from '../../domain/lifecycle';
import type { ExecutionCourse, ExecutionStatus, StartOutcome, StateVisit, WorkflowPort } from '../../ports/workflow';

/** How many history events a course reads at most, the latest (GetExecutionHistory pages of 1,000): a case's runs to a few hundred. */
export const COURSE_MAX_EVENTS = 5000;
const HISTORY_PAGE = 1000;

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
    const executionArn = this.executionArn(eventId, generation);
    try {
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'running' : 'closed';
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return 'none';
      throw error;
    }
  }

  async course(eventId: string, generation = 1): Promise<ExecutionCourse | undefined> {
    const executionArn = this.executionArn(eventId, generation);
    // Newest first: a history over the cap keeps its latest states — where the case is now, and how it ended.
    const newestFirst: HistoryEvent[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new GetExecutionHistoryCommand({
            executionArn,
            maxResults: HISTORY_PAGE,
            reverseOrder: true,
            includeExecutionData: false,
            nextToken,
          }),
        );
        newestFirst.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken && newestFirst.length < COURSE_MAX_EVENTS);
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
    const events = newestFirst.reverse();
    return { name: executionName(eventId, generation), arn: executionArn, ...courseOf(events), ...(nextToken ? { truncated: true } : {}) };
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

  private executionArn(eventId: string, generation: number): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(eventId, generation)}`;
  }
}

const ENDINGS: Record<string, ExecutionCourse['status']> = {
  ExecutionSucceeded: 'succeeded',
  ExecutionFailed: 'failed',
  ExecutionTimedOut: 'timed_out',
  ExecutionAborted: 'aborted',
};

/** The states an execution's history shows it entered and left, in order; how it ended. */
export function courseOf(events: HistoryEvent[]): Pick<ExecutionCourse, 'status' | 'startedAt' | 'stoppedAt' | 'states'> {
  const states: StateVisit[] = [];
  let status: ExecutionCourse['status'] = 'running';
  let startedAt = '';
  let stoppedAt: string | undefined;
  for (const event of events) {
    const type = event.type ?? '';
    const at = (event.timestamp ?? new Date(0)).toISOString();
    if (type === 'ExecutionStarted') startedAt = at;
    const ending = ENDINGS[type];
    if (ending) {
      status = ending;
      stoppedAt = at;
    }
    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name)
      states.push({ name: event.stateEnteredEventDetails.name, type: type.slice(0, -'StateEntered'.length), enteredAt: at });
    if (type.endsWith('StateExited') && event.stateExitedEventDetails?.name) {
      // The latest visit of that state still open (a Parallel's branches may interleave others).
      const name = event.stateExitedEventDetails.name;
      const visit = states.findLast((each) => each.name === name && each.exitedAt === undefined);
      if (visit) visit.exitedAt = at;
    }
  }
  return { status, startedAt, ...(stoppedAt ? { stoppedAt } : {}), states };
}
