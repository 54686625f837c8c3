/**
 * The data steps of schema versions (schema-versions.ts): each reads what it must through the SDK, rewrites
 * it, and is safe to run again (the runner may be stopped half-way and run again).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { STANDING } from '../../domain/counters';
import { ancestorCodes } from '../../domain/unit-codes';
import type { Item } from './single-table';
import { caseIndexAttributes, GSI, keys } from './table-design';
import { caseOf } from './dynamodb-case-store';

/**
 * Version 1 (the baseline's data, run when a table without a SCHEMA item is adopted): every open located case on
 * byPlace under today's key, `<item>#<geohash cell>`. Releases before versions were recorded keyed it by street
 * (`<street>#<item>`) or had no byPlace at all, and adopting such a table by its indexes alone left its open cases
 * out of duplicate search. Written on the condition that the case is still a candidate with the key read.
 */
export async function fillPlaceKeys(client: DynamoDBClient, tableName: string): Promise<string> {
  const documents = DynamoDBDocumentClient.from(client);
  const { partitionKey, sortKey } = GSI.byPlace;
  let read = 0;
  let olderKey = 0;
  let without = 0;
  for await (const item of scanTable(client, tableName, {
    FilterExpression: 'itemType = :event AND #status = :open AND attribute_exists(#location) AND attribute_not_exists(duplicateOf)',
    ExpressionAttributeNames: { '#status': 'status', '#location': 'location' },
    ExpressionAttributeValues: { ':event': 'event', ':open': 'open' },
  })) {
    read++;
    const attributes = caseIndexAttributes(caseOf(item));
    if (attributes[partitionKey] === undefined) continue;
    if (item[partitionKey] === attributes[partitionKey] && item[sortKey] === attributes[sortKey]) continue;
    const had = item[partitionKey] !== undefined;
    if (
      await updateUnlessChanged(documents, {
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #key = :key, #sort = :sort',
        ConditionExpression: `#status = :open AND attribute_not_exists(duplicateOf) AND ${had ? '#key = :read' : 'attribute_not_exists(#key)'}`,
        ExpressionAttributeNames: { '#key': partitionKey, '#sort': sortKey, '#status': 'status' },
        ExpressionAttributeValues: {
          ':key': attributes[partitionKey],
          ':sort': attributes[sortKey],
          ':open': 'open',
          ...(had ? { ':read': item[partitionKey] } : {}),
        },
      })
    ) {
      if (had) olderKey++;
      else without++;
    }
  }
  return `byPlace keys of ${olderKey + without} open located cases rewritten (${read} read; ${olderKey} with an older key, ${without} without)`;
}

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
export async function recountOpenCases(client: DynamoDBClient, tableName: string): Promise<string> {
  const counted = new Map<string, number>();
  const kept = new Map<string, number>();
  let openCases = 0;
  let corrected = 0;
  for await (const item of scanTable(client, tableName, {
    FilterExpression: '(itemType = :event AND #status = :open) OR begins_with(sk, :standing)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':event': 'event', ':open': 'open', ':standing': keys.standingPrefix('unit', '').prefix },
  })) {
    if (item.itemType === 'event') {
      openCases++;
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
    corrected++;
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
  return `open counts of ${corrected} units set from ${openCases} open cases`;
}

/**
 * Version 3: the open overdue cases get byOverdue's keys. Each is written on the condition that it is still
 * open and overdue (a case closed meanwhile was rewritten without them, and stays off the list).
 */
export async function fillOverdueIndex(client: DynamoDBClient, tableName: string): Promise<string> {
  const documents = DynamoDBDocumentClient.from(client);
  let filled = 0;
  for await (const item of scanTable(client, tableName, {
    FilterExpression: 'itemType = :event AND #status = :open AND overdue = :true AND attribute_not_exists(#key)',
    ExpressionAttributeNames: { '#status': 'status', '#key': GSI.byOverdue.partitionKey },
    ExpressionAttributeValues: { ':event': 'event', ':open': 'open', ':true': true },
  })) {
    const attributes = caseIndexAttributes(caseOf(item));
    if (
      await updateUnlessChanged(documents, {
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #key = :key, #sort = :sort',
        ConditionExpression: '#status = :open AND overdue = :true',
        ExpressionAttributeNames: { '#key': GSI.byOverdue.partitionKey, '#sort': GSI.byOverdue.sortKey, '#status': 'status' },
        ExpressionAttributeValues: {
          ':key': attributes[GSI.byOverdue.partitionKey],
          ':sort': attributes[GSI.byOverdue.sortKey],
          ':open': 'open',
          ':true': true,
        },
      })
    ) {
      filled++;
    }
  }
  return `${filled} open overdue cases put on byOverdue`;
}

/**
 * Version 4: every case's byUnit and byUrgency keys from `<district>#<status>` to its street's shard
 * (`<district>#<status>#s<shard>`). Written on the condition that the case is still at the version read (a case
 * changed meanwhile was written with the new keys); lists read the old partition too until it is empty.
 */
export async function shardListKeys(client: DynamoDBClient, tableName: string): Promise<string> {
  const documents = DynamoDBDocumentClient.from(client);
  let read = 0;
  let moved = 0;
  const listed = [GSI.byUnit, GSI.byUrgency] as const;
  for await (const item of scanTable(client, tableName, {
    FilterExpression: 'itemType = :event',
    ExpressionAttributeValues: { ':event': 'event' },
  })) {
    read++;
    const attributes = caseIndexAttributes(caseOf(item));
    const keysMoved = listed.filter(
      (index) => item[index.partitionKey] !== undefined && item[index.partitionKey] !== attributes[index.partitionKey],
    );
    if (keysMoved.length === 0) continue;
    if (
      await updateUnlessChanged(documents, {
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${keysMoved.map((_, position) => `#k${position} = :k${position}`).join(', ')}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: Object.fromEntries(keysMoved.map((index, position) => [`#k${position}`, index.partitionKey])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(keysMoved.map((index, position) => [`:k${position}`, attributes[index.partitionKey]])),
          ':version': item.version,
        },
      })
    ) {
      moved++;
    }
  }
  return `list keys of ${moved} cases moved to their street's shard (${read} cases read)`;
}

/**
 * Version 7: every case gets byChange's keys (the time it last changed). Written on the condition that the case is
 * still at the version read (a case changed meanwhile was written with them). byChange is gone since version 10, which
 * a table migrated from before 7 reaches in the same run; its keys are byChangeWithTeams' values under their names.
 */
export async function fillChangeIndex(client: DynamoDBClient, tableName: string): Promise<string> {
  return fillChangeKeys(client, tableName, { name: 'byChange', partitionKey: 'gsiChangePk', sortKey: 'gsiChangeSk' });
}

/** Version 9: every case gets byChangeWithTeams' keys (byChange's values, under the new index's own names), as version 7. */
export async function fillChangeWithTeamsIndex(client: DynamoDBClient, tableName: string): Promise<string> {
  return fillChangeKeys(client, tableName, GSI.byChangeWithTeams);
}

async function fillChangeKeys(
  client: DynamoDBClient,
  tableName: string,
  index: { name: string; partitionKey: string; sortKey: string },
): Promise<string> {
  const documents = DynamoDBDocumentClient.from(client);
  let filled = 0;
  let changedMeanwhile = 0;
  for await (const item of scanTable(client, tableName, {
    FilterExpression: 'itemType = :event AND attribute_not_exists(#key)',
    ExpressionAttributeNames: { '#key': index.partitionKey },
    ExpressionAttributeValues: { ':event': 'event' },
  })) {
    const attributes = caseIndexAttributes(caseOf(item));
    if (
      await updateUnlessChanged(documents, {
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #key = :key, #sort = :sort',
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#key': index.partitionKey, '#sort': index.sortKey },
        ExpressionAttributeValues: {
          ':key': attributes[GSI.byChangeWithTeams.partitionKey],
          ':sort': attributes[GSI.byChangeWithTeams.sortKey],
          ':version': item.version,
        },
      })
    ) {
      filled++;
    } else {
      // Written meanwhile by a change, which put the keys itself.
      changedMeanwhile++;
    }
  }
  return `${filled} cases put on ${index.name}${changedMeanwhile ? ` (${changedMeanwhile} changed meanwhile, keyed by their change)` : ''}`;
}

/**
 * Version 8: a case's entry of a digest SMS keeps how many other cases the SMS covered, no longer their ids (GET
 * /events/{id}/messages listed them to whoever may see the case, who may not see those). Safe to run again.
 */
export async function countOtherCasesOfSms(client: DynamoDBClient, tableName: string): Promise<string> {
  const documents = DynamoDBDocumentClient.from(client);
  let read = 0;
  let rewritten = 0;
  for await (const item of scanTable(client, tableName, {
    FilterExpression: 'itemType = :entry AND attribute_exists(alsoFor)',
    ExpressionAttributeValues: { ':entry': 'case_sms' },
  })) {
    read++;
    if (
      await updateUnlessChanged(documents, {
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET alsoForCount = :count REMOVE alsoFor',
        ConditionExpression: 'attribute_exists(alsoFor)',
        ExpressionAttributeValues: { ':count': Array.isArray(item.alsoFor) ? item.alsoFor.length : 0 },
      })
    ) {
      rewritten++;
    }
  }
  return `${rewritten} case SMS entries of digests keep a count of the other cases, not their ids (${read} read)`;
}

/** One conditional update of a migration; false when its condition failed (a change or another run wrote it meanwhile). */
async function updateUnlessChanged(documents: DynamoDBDocumentClient, input: UpdateCommandInput): Promise<boolean> {
  try {
    await documents.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}
