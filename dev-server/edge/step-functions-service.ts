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
  type ParsedStatesArn,
  parseStatesArn,
  stateMachineArn,
  type StatesLocation,
} from '../step-functions/arns';
import type { ExecutionStatus } from '../step-functions/execution-store';
import type { HistoryEvent } from '../step-functions/history';
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
  function machineOf(arn: unknown, field: string): { name: string; engine: LocalWorkflowEngine } {
    required(arn, field);
    const parsed = parseStatesArn(arn);
    if (parsed?.resourceType !== 'stateMachine') throw invalidArn(arn);
    return { name: parsed.machineName, engine: engineOf(parsed, arn) };
  }

  /** The engine an execution ARN's state machine runs on, and the execution's name (an execution ARN always has one). */
  function executionMachineOf(arn: unknown): { name: string; engine: LocalWorkflowEngine; executionName: string } {
    required(arn, 'executionArn');
    const parsed = parseStatesArn(arn);
    if (parsed?.resourceType !== 'execution') throw invalidArn(arn);
    return { name: parsed.machineName, engine: engineOf(parsed, arn), executionName: parsed.executionName };
  }

  function invalidArn(arn: unknown) {
    return new StepFunctionsError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  }

  function engineOf(parsed: ParsedStatesArn, arn: unknown): LocalWorkflowEngine {
    const engine = engines.get(parsed.machineName);
    const here = parsed.region === location.region && parsed.accountId === location.accountId;
    if (!engine || !here) {
      if (parsed.resourceType === 'execution')
        throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
      throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    }
    return engine;
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

  /** The execution an ARN names, or ExecutionDoesNotExist. */
  async function executionOf(arn: unknown) {
    const machine = executionMachineOf(arn);
    const execution = await machine.engine.describe(machine.executionName);
    if (!execution) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return { machine, execution };
  }

  const actions: Record<string, Action> = {
    async StartExecution(body) {
      const machine = machineOf(body.stateMachineArn, 'stateMachineArn');
      const name = body.name === undefined ? crypto.randomUUID() : validName(body.name);
      const input = body.input === undefined ? '{}' : payload(body.input, 'input');
      const { startDate } = await machine.engine.startExecution(name, input);
      return { executionArn: executionArn(location, machine.name, name), startDate: epochSeconds(startDate) };
    },

    async DescribeExecution(body) {
      const { machine, execution } = await executionOf(body.executionArn);
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
        redriveCount: 0,
      };
    },

    async ListExecutions(body) {
      const machine = machineOf(body.stateMachineArn, 'stateMachineArn');
      const status = body.statusFilter === undefined ? undefined : oneOf(body.statusFilter, 'statusFilter', EXECUTION_STATUSES);
      const page = await machine.engine.listExecutions({
        // No execution is PENDING_REDRIVE here (no redrive): that filter lists none.
        status: status as ExecutionStatus | undefined,
        limit: pageSize(body.maxResults, 100),
        nextToken: body.nextToken === undefined ? undefined : decodePageToken(body.nextToken),
      });
      return {
        executions: page.executions.map((execution) => ({
          executionArn: executionArn(location, machine.name, execution.name),
          stateMachineArn: stateMachineArn(location, machine.name),
          name: execution.name,
          status: execution.status,
          startDate: epochSeconds(execution.startDate),
          ...(execution.stopDate && { stopDate: epochSeconds(execution.stopDate) }),
        })),
        ...(page.nextToken && { nextToken: encodePageToken(page.nextToken) }),
      };
    },

    async GetExecutionHistory(body) {
      const { machine } = await executionOf(body.executionArn);
      const events = (await machine.engine.history(machine.executionName)) ?? [];
      const ordered = body.reverseOrder === true ? [...events].reverse() : events;
      const from = body.nextToken === undefined ? 0 : Number(decodePageToken(body.nextToken));
      if (!Number.isInteger(from) || from < 0)
        throw new StepFunctionsError('InvalidToken', 'Invalid Token: the nextToken is not one of this history');
      const limit = pageSize(body.maxResults, 100);
      const withData = body.includeExecutionData !== false;
      return {
        events: ordered.slice(from, from + limit).map((event) => wireEvent(event, withData)),
        ...(from + limit < ordered.length && { nextToken: encodePageToken(String(from + limit)) }),
      };
    },

    async StopExecution(body) {
      const { machine } = await executionOf(body.executionArn);
      const error = optionalText(body.error, 'error', 256);
      const cause = optionalText(body.cause, 'cause', 32_768);
      const stopped = await machine.engine.stopExecution(machine.executionName, error, cause);
      // Described a moment ago: only an execution removed since (none is, locally) has no stop date.
      if (!stopped) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
      return { stopDate: epochSeconds(stopped.stopDate) };
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

    async SendTaskHeartbeat(body) {
      await answerTask(body.taskToken, (engine, token) => engine.sendTaskHeartbeat(token));
      return {};
    },

    async DescribeStateMachine(body) {
      const machine = machineOf(body.stateMachineArn, 'stateMachineArn');
      const described = await machine.engine.describeStateMachine();
      return {
        stateMachineArn: stateMachineArn(location, machine.name),
        name: machine.name,
        status: 'ACTIVE',
        definition: described.definition,
        roleArn: `arn:aws:iam::${location.accountId}:role/${machine.name}-Role`,
        type: 'STANDARD',
        creationDate: epochSeconds(described.creationDate),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
        revisionId: String(described.version),
      };
    },

    async ListStateMachines() {
      const stateMachines = await Promise.all(
        [...engines].map(async ([name, engine]) => ({
          stateMachineArn: stateMachineArn(location, name),
          name,
          type: 'STANDARD',
          creationDate: epochSeconds((await engine.describeStateMachine()).creationDate),
        })),
      );
      return { stateMachines };
    },
  };

  return {
    name: 'states',
    accepts: (request) => amzTarget(request)?.startsWith(TARGET_PREFIX) ?? false,
    async handle(request: EdgeRequest): Promise<EdgeReply> {
      // accepts() let only AWSStepFunctions.<Action> targets through.
      const target = amzTarget(request);
      if (!target?.startsWith(TARGET_PREFIX)) return jsonError(400, 'UnknownOperationException', `Not a Step Functions target: ${target}`);
      const actionName = target.slice(TARGET_PREFIX.length);
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

const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new StepFunctionsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

/** maxResults: 0 or absent is the default, at most 1000. */
function pageSize(value: unknown, fallback: number): number {
  if (value === undefined || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw new StepFunctionsError(
      'ValidationException',
      "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  }
  return value;
}

function encodePageToken(position: string): string {
  return Buffer.from(position).toString('base64url');
}

function decodePageToken(token: unknown): string {
  if (typeof token !== 'string' || token.length === 0 || token.length > 1024)
    throw new StepFunctionsError('InvalidToken', 'Invalid Token: nextToken');
  return Buffer.from(token, 'base64url').toString('utf8');
}

/** A history event as the wire has it: epoch-second timestamps; input and output left out on request. */
function wireEvent(event: HistoryEvent, withData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: epochSeconds(new Date(event.timestamp)) };
  if (withData) return wire;
  for (const [key, value] of Object.entries(wire)) {
    if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
    const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
    wire[key] = rest;
  }
  return wire;
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
