/**
 * Many open cases in a running local platform's table, in seconds: each case item as the DynamoDB case store writes
 * it (caseItem: its keys and every index's), with BatchWriteItem, 25 a request, eight requests at a time. What a big
 * district's board reads (the board part here, and tests/web/board-many-cases.test.ts); not in the counters, and no
 * lifecycle runs for them until something acts on one.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { caseItem } from '../shared/adapters/dynamodb/dynamodb-case-store';
import { toLocalIso } from '../shared/domain/calendar';
import type { Case, Severity } from '../shared/domain/types';
import { localClient } from '../dev-server/dynamodb-local';
import { type LocalPlatform, TABLE_NAME } from '../dev-server/local-platform';

/** The nine grids of 金源社区 (the sample district's grids). */
const GRIDS = Array.from({ length: 9 }, (_, index) => `44130201000100${index + 1}`);

/** `count` open cases of the grids, levels 2 to 4, deadlines spread over the days after `at`, waiting on their worker. */
export function openCases(count: number, at: Date): Case[] {
  return Array.from({ length: count }, (_, index) => {
    const gridCode = GRIDS[index % GRIDS.length] as string;
    const startedAt = toLocalIso(at);
    const deadlineAt = toLocalIso(new Date(at.getTime() + (60 + ((index * 7919) % 10_000)) * 60_000));
    return {
      id: `E20261123-S${index.toString(36).toUpperCase().padStart(5, '0')}`,
      itemCode: '01-01',
      classCode: '01',
      gridCode,
      description: `看板压力测试 第${index + 1}件`,
      severity: (2 + (index % 3)) as Severity,
      photos: [],
      source: 'grid_worker',
      reportedBy: { id: 'gw-bench', name: '网格员', role: 'grid_worker' },
      status: 'open',
      stage: 'routed',
      tier: 'grid',
      assignee: { type: 'person', id: `gw-${index % GRIDS.length}`, name: `网格员${(index % GRIDS.length) + 1}`, unit: gridCode },
      clock: { kind: 'handling', startedAt, deadlineAt, reminders: 0, nudges: 0 },
      deadlineAt,
      routedAt: startedAt,
      involvedDepartments: [],
      overdue: false,
      needsAcceptance: false,
      createdAt: startedAt,
      updatedAt: startedAt,
      version: 1,
    };
  });
}

/** Writes the cases into the platform's table as the case store would. */
export async function storeCases(platform: LocalPlatform, cases: Case[]): Promise<void> {
  const client = localClient(platform.dynamoDbEndpoint);
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const batches: Case[][] = [];
  for (let start = 0; start < cases.length; start += 25) batches.push(cases.slice(start, start + 25));
  let next = 0;
  const writer = async () => {
    while (next < batches.length) {
      const batch = batches[next++] as Case[];
      let requests = batch.map((event) => ({ PutRequest: { Item: caseItem(event) } }));
      while (requests.length > 0) {
        const result = await documents.send(new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: requests } }));
        requests = (result.UnprocessedItems?.[TABLE_NAME] ?? []) as typeof requests;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, writer));
  } finally {
    client.destroy();
  }
}
