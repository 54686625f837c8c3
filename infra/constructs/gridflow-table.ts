import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GSI, projectedAttributes, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-design';

/**
 * Reads the core makes: items, batches, and queries on the table and its GSIs. No Scan: reports
 * are built from the aggregate items, never by scanning events (README: reports read counters), and leaving Scan out
 * keeps an accidental full-table read from ever working in the cloud.
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];

/**
 * Writes: every state change is one TransactWriteItems, which IAM authorizes per item as
 * PutItem / UpdateItem / DeleteItem / ConditionCheckItem.
 */
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The single GridFlow table, built from the shape declared once in
 * shared/adapters/dynamodb/table-design.ts (local mode creates DynamoDB Local's table from the
 * same declaration).
 */
export class GridFlowTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Idempotency records and rate-limit windows expire on their own.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The table is the system of record for every case: never delete it with the stack.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of Object.values(GSI)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(projectedAttributes(index)
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projectedAttributes(index)!] }
          : { projectionType: ProjectionType.ALL }),
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** Reads on the table and on each named GSI (exact index ARNs, no `index/*`). */
  grantRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: READ_ACTIONS, resourceArns: this.readableArns() });
  }

  /** Reads as above, plus item writes on the table (GSIs are written by DynamoDB itself). */
  grantReadWrite(grantee: IGrantable): Grant {
    return this.grantRead(grantee).combine(Grant.addToPrincipal({ grantee, actions: WRITE_ACTIONS, resourceArns: [this.table.tableArn] }));
  }

  private readableArns(): string[] {
    return [this.table.tableArn, ...Object.values(GSI).map((index) => `${this.table.tableArn}/index/${index.name}`)];
  }
}
