/**
 * Records every AWS call the local functions make — which function, the IAM action, the resource — as the
 * permission check (tests/permissions/) needs them: SDK middleware on each function's clients, plus the
 * state machine's own Lambda invocations. Calls are counted in memory and appended to `<folder>/<pid>.jsonl`
 * (one line per distinct call and flush, with the count since the last flush), so recording costs a map
 * update per call. Set GRIDFLOW_AWS_CALL_LOG=<folder> in a platform's environment to record (the tests do).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendJsonLinesSync } from './durable-files';

/** What a call acts on, named as local mode names it (the check maps these to the template's logical ids). */
export type CallResource =
  | { table: string; index?: string }
  | { stateMachine: string }
  | { execution: string; stateMachine: string }
  /** SendTaskSuccess and the like name a task token; IAM checks them against the state machine that issued it. */
  | { taskToken: true }
  | { phoneNumber: true }
  | { topic: string }
  /** A Lambda function, and the version or alias invoked (the state machine calls a published version). */
  | { function: string; qualifier?: string }
  | { unknown: string };

export interface RecordedCall {
  /** The function's handler name, or the state machine's name for the engine's own calls. */
  principal: string;
  /** The IAM action authorized, e.g. dynamodb:PutItem. */
  action: string;
  /** The API call, when IAM authorizes it as another action (each item of a dynamodb:TransactWriteItems). */
  via?: string;
  resource: CallResource;
  count: number;
}

export const CALL_LOG_VARIABLE = 'GRIDFLOW_AWS_CALL_LOG';
/** A qualifier naming the function's published version (the check finds the template's version resource). */
export const PUBLISHED_VERSION = '$PUBLISHED';

type Input = Record<string, unknown>;
type Middleware = (
  next: (args: { input: Input }) => Promise<unknown>,
  context: { commandName?: string },
) => (args: { input: Input }) => Promise<unknown>;
interface InstrumentableClient {
  middlewareStack: { add(middleware: Middleware, options: { step: 'initialize'; name: string }): void };
}

export class AwsCallRecorder {
  private readonly counts = new Map<string, { call: Omit<RecordedCall, 'count'>; count: number }>();
  private readonly file: string;

  constructor(folder: string) {
    mkdirSync(folder, { recursive: true });
    this.file = join(folder, `${process.pid}.jsonl`);
  }

  /** Hangs the recorder on a function's SDK client (`service` is the IAM prefix: dynamodb, states, sns). */
  instrument(functionName: string, client: unknown, service: string): void {
    (client as InstrumentableClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        for (const call of callsOf(service, operation, args.input ?? {})) this.add({ principal: functionName, ...call });
        return next(args);
      },
      { step: 'initialize', name: 'gridflowAwsCallRecorder' },
    );
  }

  /** The state machine invoking a Lambda function (the local engine's Task), or a version of it. */
  invoked(stateMachine: string, functionName: string, qualifier?: string): void {
    const resource = qualifier ? { function: functionName, qualifier } : { function: functionName };
    this.add({ principal: stateMachine, action: 'lambda:InvokeFunction', resource });
  }

  /** Appends what was counted since the last flush. */
  flush(): void {
    const lines = [...this.counts.values()].filter(({ count }) => count > 0).map(({ call, count }) => ({ ...call, count }));
    for (const entry of this.counts.values()) entry.count = 0;
    appendJsonLinesSync(this.file, lines);
  }

  private add(call: Omit<RecordedCall, 'count'>): void {
    const key = JSON.stringify(call);
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { call, count: 1 });
  }
}

const recorders = new Map<string, AwsCallRecorder>();

/** The process's recorder for the folder the environment names, or undefined when it names none. */
export function awsCallRecorderFor(env: NodeJS.ProcessEnv): AwsCallRecorder | undefined {
  const folder = env[CALL_LOG_VARIABLE];
  if (!folder) return undefined;
  let recorder = recorders.get(folder);
  if (!recorder) {
    const created = new AwsCallRecorder(folder);
    process.once('exit', () => created.flush());
    recorders.set(folder, created);
    recorder = created;
  }
  return recorder;
}

/** The IAM actions and resources one SDK call is authorized as. */
export function callsOf(service: string, operation: string, input: Input): Omit<RecordedCall, 'principal' | 'count'>[] {
  const action = `${service}:${operation}`;
  if (service === 'dynamodb') return dynamoDbCalls(action, operation, input);
  if (service === 'states') return [{ action, resource: statesResource(input) }];
  if (service === 'sns') {
    const target = input.TopicArn ?? input.TargetArn;
    return [
      { action, resource: typeof target === 'string' ? { topic: target } : input.PhoneNumber ? { phoneNumber: true } : { unknown: '' } },
    ];
  }
  return [{ action, resource: { unknown: JSON.stringify(Object.keys(input)) } }];
}

/** A transaction's items are authorized one by one, as the item actions; batches by their tables. */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

function dynamoDbCalls(action: string, operation: string, input: Input): Omit<RecordedCall, 'principal' | 'count'>[] {
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return ((input.TransactItems ?? []) as Record<string, { TableName?: string }>[]).flatMap((item) =>
      Object.entries(item).map(([kind, request]) => ({
        action: TRANSACT_ITEM_ACTIONS[kind] ?? `dynamodb:${kind}`,
        via: action,
        resource: { table: String(request?.TableName) },
      })),
    );
  }
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    return Object.keys((input.RequestItems ?? {}) as object).map((table) => ({ action, resource: { table } }));
  }
  const table = String(input.TableName);
  return [{ action, resource: typeof input.IndexName === 'string' ? { table, index: input.IndexName } : { table } }];
}

function statesResource(input: Input): CallResource {
  if (typeof input.taskToken === 'string') return { taskToken: true };
  const arn = [input.stateMachineArn, input.executionArn].find((value) => typeof value === 'string') as string | undefined;
  const match = arn && /:(stateMachine|execution):([^:]+)(?::([^:]+))?$/.exec(arn);
  if (!match) return { unknown: arn ?? '' };
  return match[1] === 'execution' ? { execution: match[3], stateMachine: match[2] } : { stateMachine: match[2] };
}
