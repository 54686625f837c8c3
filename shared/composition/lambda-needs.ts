/**
 * What one Lambda function may call, declared by its module in functions/ (`export const needs`) and turned
 * into its IAM policy by infra/ — nothing else grants a function anything. Plain data about the Lambda, not
 * about the use case: the core and the domain never import it. The permission check (tests/permissions/)
 * compares every AWS call the functions make in the tests with the policies synthesized from these.
 */
import type { GSI } from '../adapters/dynamodb/table-design';

/**
 * Item actions on the GridFlow table. A TransactWriteItems is authorized per item as PutItem, UpdateItem,
 * DeleteItem or ConditionCheckItem; there is no Scan (reports read counters, never the whole table).
 */
export type TableAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

/**
 * What every function does besides its own needs: it reads the reference version in effect (the unit tree, people,
 * catalog, calendars; core/current-reference.ts) — GetItem of the pointer at most once a minute, a Query per
 * document it has not read. (On the whole table: the permission check does not evaluate the LeadingKeys condition
 * that would narrow it to the REFERENCE and REFDOC# partitions.)
 */
export const READS_REFERENCE: readonly TableAction[] = ['GetItem', 'Query'];

/** A global secondary index of the table (table-design.ts). */
export type IndexName = (typeof GSI)[keyof typeof GSI]['name'];

/**
 * Actions on the event-lifecycle state machine. Step Functions authorizes SendTaskSuccess against the ARN of
 * the state machine that issued the task token; DescribeExecution and GetExecutionHistory against the execution's. (Nothing answers a task with SendTaskFailure: a step that
 * cannot go on says so in its SendTaskSuccess output, and the definition decides.)
 */
export type StateMachineAction = 'StartExecution' | 'DescribeExecution' | 'GetExecutionHistory' | 'SendTaskSuccess';

/** The actions IAM authorizes on an execution's ARN (every execution of the machine), not the machine's. */
export const EXECUTION_ACTIONS: readonly StateMachineAction[] = ['DescribeExecution', 'GetExecutionHistory'];

export interface LambdaNeeds {
  /**
   * Actions on the table's items (and Query on the table itself), each one the function is seen to make
   * (the permission check lists a declared action no test call used).
   */
  readonly table?: readonly TableAction[];
  /** The GSIs it queries. */
  readonly indexes?: readonly IndexName[];
  readonly stateMachine?: readonly StateMachineAction[];
  /** Texts phone numbers: sns:Publish with PhoneNumber, never to a topic. */
  readonly sms?: boolean;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** Retries of asynchronous (scheduled) invocations. @default Lambda's, 2 */
  readonly retryAttempts?: number;
}
