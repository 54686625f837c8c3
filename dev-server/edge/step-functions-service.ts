/**
 * AWS Step Functions on the edge port: the JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Action>`)
 * over the local engine, so `SFNClient` and `aws stepfunctions` work against the local gateway. Errors are
 * AWS's: `{"__type": "ExecutionAlreadyExists", "message": …}` with 400. The engine holds the behaviour
 * (names, tokens, limits); this module reads requests, checks their fields as AWS does and forms ARNs.
 * What is served: dev-server/step-functions/README.md, "On the edge port".
 */
import {
  executionArn,
  LIFECYCLE_STATE_MACHINE_NAME,
  LOCAL_ACCOUNT_ID,
  parseStatesArn,
  stateMachineArn,
  type StatesLocation,
} from '../step-functions/arns';
import { StepFunctionsError, TaskTokenInvalid, type LocalWorkflowEngine } from '../step-functions/local-workflow-engine';
import { amzTarget, jsonError, jsonReply, type AwsService, type EdgeReply, type EdgeRequest } from './aws-service';

const TARGET_PREFIX = 'AWSStepFunctions.';

/** AWS's limit on execution input, task output and such payloads: 256 KiB. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Local state machines by name; a single engine is the platform's lifecycle machine. */
export type StateMachines = LocalWorkflowEngine | Record<string, LocalWorkflowEngine>;

export interface StepFunctionsServiceOptions {
  region: string;
  /** Default: 000000000000. */
  accountId?: string;
}

type Body = Record<string, unknown>;
type Action = (body: Body) => Promise<unknown>;

/** The Step Functions service over local engines, for `startGateway({ awsServices })`. */
export function stepFunctionsService(machines: StateMachines, options: StepFunctionsServiceOptions): AwsService {
  const location: StatesLocation = { region: options.region, accountId: options.accountId ?? LOCAL_ACCOUNT_ID };
  const engines = new Map<string, LocalWorkflowEngine>(
    isEngine(machines) ? [[LIFECYCLE_STATE_MACHINE_NAME, machines]] : Object.entries(machines),
  );

  /** The engine an ARN's state machine runs on, or AWS's refusal. */
  function machineOf(
    arn: unknown,
    field: string,
    expected: 'stateMachine' | 'execution',
  ): { name: string; engine: LocalWorkflowEngine; executionName?: string } {
    required(arn, field);
    const parsed = parseStatesArn(arn);
    if (!parsed || parsed.resourceType !== expected) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    const engine = engines.get(parsed.machineName);
    const here = parsed.region === location.region && parsed.accountId === location.accountId;
    if (!engine || !here) {
      if (expected === 'execution') throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
      throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    }
    return { name: parsed.machineName, engine, executionName: parsed.executionName };
  }

  /** Tries the token on each machine: a token of an execution one does not know may be another's. */
  async function answerTask(token: unknown, answer: (engine: LocalWorkflowEngine, token: string) => Promise<void>): Promise<void> {
    required(token, 'taskToken');
    let refusal: unknown;
    for (const engine of engines.values()) {
      try {
        return await answer(engine, token as string);
      } catch (error) {
        if (!(error instanceof TaskTokenInvalid && error.awsError === 'TaskDoesNotExist')) throw error;
        refusal = error;
      }
    }
    throw refusal ?? new StepFunctionsError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  const actions: Record<string, Action> = {
    async StartExecution(body) {
      const machine = machineOf(body.stateMachineArn, 'stateMachineArn', 'stateMachine');
      const name = body.name === undefined ? crypto.randomUUID() : validName(body.name);
      const input = body.input === undefined ? '{}' : payload(body.input, 'input');
      const { startDate } = await machine.engine.startExecution(name, input);
      return { executionArn: executionArn(location, machine.name, name), startDate: epochSeconds(startDate) };
    },

    async DescribeExecution(body) {
      const machine = machineOf(body.executionArn, 'executionArn', 'execution');
      const execution = machine.engine.describe(machine.executionName!);
      if (!execution) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
      return {
        executionArn: body.executionArn,
        stateMachineArn: stateMachineArn(location, machine.name),
        name: execution.name,
        status: execution.status,
        startDate: epochSeconds(execution.startDate),
        ...(execution.stopDate && { stopDate: epochSeconds(execution.stopDate) }),
        input: execution.input,
        inputDetails: { included: true },
        ...(execution.output !== undefined && { output: execution.output, outputDetails: { included: true } }),
        ...(execution.error !== undefined && { error: execution.error }),
        ...(execution.cause !== undefined && { cause: execution.cause }),
      };
    },

    async SendTaskSuccess(body) {
      const output = payload(body.output, 'output', 'InvalidOutput');
      await answerTask(body.taskToken, (engine, token) => engine.sendTaskSuccess(token, JSON.parse(output)));
      return {};
    },

    async SendTaskFailure(body) {
      const error = optionalText(body.error, 'error', 256);
      const cause = optionalText(body.cause, 'cause', 32_768);
      await answerTask(body.taskToken, (engine, token) => engine.sendTaskFailure(token, error ?? '', cause));
      return {};
    },
  };

  return {
    name: 'states',
    accepts: (request) => amzTarget(request)?.startsWith(TARGET_PREFIX) ?? false,
    async handle(request: EdgeRequest): Promise<EdgeReply> {
      const actionName = amzTarget(request)!.slice(TARGET_PREFIX.length);
      const action = Object.hasOwn(actions, actionName) ? actions[actionName] : undefined;
      if (!action) return jsonError(400, 'UnknownOperationException', `The local Step Functions does not serve ${actionName}`);
      let body: Body;
      try {
        body = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
      } catch {
        return jsonError(400, 'SerializationException', 'The request body is not JSON');
      }
      try {
        return jsonReply(200, await action(body ?? {}));
      } catch (error) {
        if (error instanceof StepFunctionsError) return jsonError(400, error.awsError, error.message);
        throw error;
      }
    },
  };
}

function isEngine(machines: StateMachines): machines is LocalWorkflowEngine {
  return typeof (machines as LocalWorkflowEngine).startExecution === 'function';
}

/** Step Functions' JSON timestamps: epoch seconds, with milliseconds as a fraction. */
function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function required(value: unknown, field: string): void {
  if (value === undefined || value === null || value === '') {
    throw new StepFunctionsError(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
}

/** A JSON text field within AWS's 256 KiB limit. */
function payload(value: unknown, field: string, invalidType = 'InvalidExecutionInput'): string {
  required(value, field);
  if (typeof value !== 'string') throw new StepFunctionsError('SerializationException', `'${field}' must be a string`);
  if (Buffer.byteLength(value, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new StepFunctionsError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
    );
  }
  try {
    JSON.parse(value);
  } catch {
    throw new StepFunctionsError(invalidType, `Invalid ${field}: it is not JSON`);
  }
  return value;
}

function optionalText(value: unknown, field: string, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new StepFunctionsError('SerializationException', `'${field}' must be a string`);
  if (value.length > maxLength) {
    throw new StepFunctionsError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
    );
  }
  return value;
}

/** AWS's execution-name rules: 1–80 characters, none of whitespace, brackets, wildcards, the listed punctuation or control characters. */
function validName(name: unknown): string {
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u.test(name) ||
    /\p{Cc}/u.test(name)
  ) {
    throw new StepFunctionsError('InvalidName', `Invalid Name: '${String(name)}'`);
  }
  return name;
}
