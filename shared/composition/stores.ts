/** The stores on GridFlow's one DynamoDB table: the cloud composition and the dev server's both build them here. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbStores } from '../adapters/dynamodb/dynamodb-stores';
import type { Stores } from '../ports/stores';

/** `cursorKey`: the installation's CURSOR_KEY, which signs page cursors (see adapters/dynamodb/cursors.ts). */
export function tableStores(client: DynamoDBClient, tableName: string, cursorKey?: string): Stores {
  return createDynamoDbStores(client, tableName, cursorKey);
}
