/** Every store on one DynamoDB table (see table-design.ts): what a composition hands the core. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stores } from '../../ports/stores';
import { DynamoDbCaseLists } from './dynamodb-case-lists';
import { DynamoDbCaseStore } from './dynamodb-case-store';
import { DynamoDbCounterStore } from './dynamodb-counters';
import { DynamoDbFieldWorkStore } from './dynamodb-field-work';
import { DynamoDbRequestGuards } from './dynamodb-guards';
import { DynamoDbReferenceStore } from './dynamodb-reference';
import { DynamoDbReminderStore } from './dynamodb-reminders';
import { DynamoDbReportStore } from './dynamodb-reports';
import { DynamoDbSmsIntentStore } from './dynamodb-sms-intents';
import { DynamoDbStoreHealth } from './dynamodb-store-health';
import { DynamoDbVerificationStore } from './dynamodb-verifications';
import { SingleTable } from './single-table';
import { PageCursors } from './cursors';
import { DynamoDbSeenCaseStore } from './dynamodb-seen-cases';

/**
 * `cursorKey` signs the lists' page cursors (cursors.ts): the installation's CURSOR_KEY; without one, a random key
 * (cursors then hold only within these stores: tests, tools).
 */
export function createDynamoDbStores(client: DynamoDBClient, tableName: string, cursorKey?: string): Stores {
  const table = new SingleTable(client, tableName);
  const cursors = new PageCursors(cursorKey);
  return {
    cases: new DynamoDbCaseStore(table, cursors),
    caseLists: new DynamoDbCaseLists(table, cursors),
    counters: new DynamoDbCounterStore(table),
    reports: new DynamoDbReportStore(table),
    reminders: new DynamoDbReminderStore(table),
    fieldWork: new DynamoDbFieldWorkStore(table, cursors),
    guards: new DynamoDbRequestGuards(table),
    smsIntents: new DynamoDbSmsIntentStore(table),
    seenCases: new DynamoDbSeenCaseStore(table),
    verifications: new DynamoDbVerificationStore(table),
    reference: new DynamoDbReferenceStore(table),
    health: new DynamoDbStoreHealth(table),
  };
}
