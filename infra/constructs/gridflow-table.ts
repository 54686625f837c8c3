import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GSI, projectedAttributes, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-design';
import type { IndexName, TableAction } from '../../shared/composition/lambda-needs';

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
      // The SMS intents each change stores reach the SMS sender through the stream (sms-delivery.ts).
      stream: StreamViewType.NEW_IMAGE,
    });

    for (const index of Object.values(GSI)) {
      const projected = projectedAttributes(index);
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(projected
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projected] }
          : { projectionType: ProjectionType.ALL }),
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /**
   * Exactly the item actions a function declares, on the table, and Query on each GSI it declares (exact
   * index ARNs, no `index/*`; GSIs are written by DynamoDB itself). No Scan is ever granted: reports are
   * built from the aggregate items, and an accidental full-table read must not work in the cloud.
   */
  grantItems(grantee: IGrantable, actions: readonly TableAction[], indexes: readonly IndexName[] = []): Grant | undefined {
    const grants = [
      ...(actions.length
        ? [Grant.addToPrincipal({ grantee, actions: actions.map((action) => `dynamodb:${action}`), resourceArns: [this.table.tableArn] })]
        : []),
      ...(indexes.length
        ? [
            Grant.addToPrincipal({
              grantee,
              actions: ['dynamodb:Query'],
              resourceArns: indexes.map((index) => `${this.table.tableArn}/index/${index}`),
            }),
          ]
        : []),
    ];
    return grants.reduce<Grant | undefined>((all, grant) => (all ? all.combine(grant) : grant), undefined);
  }
}
