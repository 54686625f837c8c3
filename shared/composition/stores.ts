/** The stores on GridFlow's one DynamoDB table: the cloud composition and the dev server's both build them here. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventStore } from '../adapters/dynamodb/dynamodb-event-store';
import type { CoreDependencies } from '../core/dependencies';

export function tableStores(client: DynamoDBClient, tableName: string): Pick<CoreDependencies, 'store'> {
  return { store: new DynamoDbEventStore(client, tableName) };
}
