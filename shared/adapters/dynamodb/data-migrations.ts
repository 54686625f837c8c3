/**
 * The data steps of schema versions (schema-versions.ts): each reads what it must through the SDK, rewrites
 * it, and is safe to run again (the runner may be stopped half-way and run again).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { STANDING } from '../../domain/counters';
import { ancestorCodes } from '../../domain/unit-codes';
import type { Item } from './single-table';
import { keys } from './table-design';

/** Every item a filtered Scan of the table returns (migrations only: nothing else in GridFlow scans). */
export async function* scanTable(client: DynamoDBClient, tableName: string, filter: Omit<ScanInput, 'TableName'>): AsyncIterable<Item> {
  const documents = DynamoDBDocumentClient.from(client);
  let startKey: Item | undefined;
  do {
    const page = await documents.send(new ScanCommand({ ...filter, TableName: tableName, ExclusiveStartKey: startKey }));
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
type ScanInput = ConstructorParameters<typeof ScanCommand>[0];

/**
 * Version 2: the standing `open` count of every unit (its cases open now) made to agree with the open cases
 * stored: counted once from them, and each unit's shards moved by the difference (so running it again, or
 * after changes that already kept the count, adds nothing).
 */
export async function recountOpenCases(client: DynamoDBClient, tableName: string): Promise<void> {
  const counted = new Map<string, number>();
  const kept = new Map<string, number>();
  for await (const item of scanTable(client, tableName, {
    FilterExpression: '(itemType = :event AND #status = :open) OR begins_with(sk, :standing)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':event': 'event', ':open': 'open', ':standing': keys.standingPrefix('unit', '').prefix },
  })) {
    if (item.itemType === 'event') {
      for (const code of ancestorCodes(String(item.gridCode))) counted.set(code, (counted.get(code) ?? 0) + 1);
    } else if (String(item.pk).startsWith(keys.standingPrefix('unit', '').pk) && typeof item.open === 'number') {
      const code = String(item.pk).slice(keys.standingPrefix('unit', '').pk.length);
      kept.set(code, (kept.get(code) ?? 0) + item.open);
    }
  }
  const documents = DynamoDBDocumentClient.from(client);
  for (const code of new Set([...counted.keys(), ...kept.keys()])) {
    const difference = (counted.get(code) ?? 0) - (kept.get(code) ?? 0);
    if (difference === 0) continue;
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.standing('unit', code, 'open', 0),
        UpdateExpression: 'SET #scope = :scope, #day = :day, itemType = :type ADD #open :difference',
        ExpressionAttributeNames: { '#scope': 'scope', '#day': 'day', '#open': 'open' },
        ExpressionAttributeValues: { ':scope': `unit:${code}`, ':day': STANDING, ':type': 'counters', ':difference': difference },
      }),
    );
  }
}
