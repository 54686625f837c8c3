/**
 * npm run migrate [-- --table NAME]
 *
 * Brings the deployed table to the last schema version (shared/adapters/dynamodb/schema-versions.ts) with the
 * AWS SDK and your credentials (region from AWS_REGION / your profile; AWS_ENDPOINT_URL honoured): run it
 * after each `npx cdk deploy`. CloudFormation has made the deployment's one index change; this checks it
 * (refusing a table whose indexes moved two at once, or whose new index is still being built), runs the
 * pending data migrations and records the version in the table. Table: --table, else TABLE_NAME (the
 * stack's TableName output). Local mode runs the same runner at every start.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MigrationRefused, migrateTable } from '../shared/adapters/dynamodb/migrations';

const { values } = parseArgs({ options: { table: { type: 'string' } } });
const tableName = values.table ?? process.env.TABLE_NAME;
if (!tableName) {
  process.stderr.write('Usage: TABLE_NAME=<the stack output TableName> npm run migrate  (or: npm run migrate -- --table NAME)\n');
  process.exit(2);
}

const client = new DynamoDBClient({});
try {
  const result = await migrateTable({ client, tableName, mode: 'cloud', log: (line) => console.log(line) });
  console.log(
    result.applied.length > 0 || result.adopted !== undefined
      ? `${tableName}: schema version ${result.from} → ${result.to}`
      : `${tableName}: at schema version ${result.to}, nothing to do`,
  );
} catch (error) {
  if (!(error instanceof MigrationRefused)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
