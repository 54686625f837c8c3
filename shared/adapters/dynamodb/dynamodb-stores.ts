/** Every store on one DynamoDB table (see table-design.ts): what a composition hands the core. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stores } from '../../ports/stores';
import { DynamoDbCaseLists } from './dynamodb-case-lists';
import { DynamoDbCaseStore } from './dynamodb-case-store';
import { DynamoDbCounterStore } from './dynamodb-counters';
import { DynamoDbFieldWorkStore } from './dynamodb-field-work';
import { DynamoDbRequestGuards } from './dynamodb-guards';
import { DynamoDbReminderStore } from './dynamodb-reminders';
import { DynamoDbReportStore } from './dynamodb-reports';
import { DynamoDbSmsIntentStore } from './dynamodb-sms-intents';
import { DynamoDbStoreHealth } from './dynamodb-store-health';
import { SingleTable } from './single-table';

export function createDynamoDbStores(client: DynamoDBClient, tableName: string): Stores {
  const table = new SingleTable(client, tableName);
  return {
    cases: new DynamoDbCaseStore(table),
    caseLists: new DynamoDbCaseLists(table),
    counters: new DynamoDbCounterStore(table),
    reports: new DynamoDbReportStore(table),
    reminders: new DynamoDbReminderStore(table),
    fieldWork: new DynamoDbFieldWorkStore(table),
    guards: new DynamoDbRequestGuards(table),
    smsIntents: new DynamoDbSmsIntentStore(table),
    health: new DynamoDbStoreHealth(table),
  };
}
