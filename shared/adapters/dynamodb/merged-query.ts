/**
 * A list read from several index partitions (a district's street shards, see table-design.ts), merged in the
 * index's sort order: a k-way merge that reads each partition a page at a time, only as far as the merge needs.
 * Where each partition stands is the compound cursor (cursors.ts): the key of the last item returned from it
 * (the next page starts after it, so items read but not returned are read again, never skipped), or null once
 * it is read to its end.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Positions } from './cursors';
import type { Item, SingleTable } from './single-table';

interface Partition {
  key: string;
  buffered: Item[];
  startKey?: Item;
  ended: boolean;
  last?: Item | null;
}

export interface MergedPage {
  items: Item[];
  /** Where each partition stands; absent when every partition is read to its end and returned. */
  next?: Positions;
}

/**
 * Up to `limit` items of the partitions, in `index.sortKey` order, after `positions`. `query(partition, pageSize)`
 * gives the Query of one partition (key condition, filters); `pageSize` is how many items one Query evaluates.
 */
export async function mergedQuery(
  table: SingleTable,
  index: { partitionKey: string; sortKey: string },
  partitions: string[],
  query: (partition: string, pageSize: number) => Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  limit: number,
  positions: Positions = {},
  filtered = false,
): Promise<MergedPage> {
  // Each partition's share of a page, and some more: a partition that holds most of the list is read again.
  const pageSize = Math.min(200, Math.max(10, Math.ceil(((filtered ? 2 : 1) * limit) / partitions.length) + 5));
  const states: Partition[] = partitions.map((key) => ({
    key,
    buffered: [],
    ...(positions[key] ? { startKey: positions[key] as Item } : {}),
    ended: positions[key] === null,
    last: positions[key],
  }));
  const fill = async (state: Partition) => {
    while (state.buffered.length === 0 && !state.ended) {
      const page = await table.query({ ...query(state.key, pageSize), ExclusiveStartKey: state.startKey });
      state.buffered.push(...(page.Items ?? []));
      state.startKey = page.LastEvaluatedKey;
      if (!state.startKey) state.ended = true;
    }
  };
  await Promise.all(states.map(fill));
  const items: Item[] = [];
  while (items.length < limit) {
    let best: Partition | undefined;
    for (const state of states) {
      if (state.buffered.length === 0) continue;
      if (!best || before(state.buffered[0] as Item, best.buffered[0] as Item, index.sortKey)) best = state;
    }
    if (!best) break;
    const item = best.buffered.shift() as Item;
    items.push(item);
    best.last = indexKeyOf(item, index);
    await fill(best);
  }
  const done = (state: Partition) => state.ended && state.buffered.length === 0;
  if (states.every(done)) return { items };
  return {
    items,
    next: Object.fromEntries(states.map((state) => [state.key, done(state) ? null : (state.last ?? undefined)])) as Positions,
  };
}

/** Sort keys compare as DynamoDB orders strings (by code unit here: every key is ASCII), then by partition. */
function before(a: Item, b: Item, sortKey: string): boolean {
  const [x, y] = [String(a[sortKey]), String(b[sortKey])];
  return x < y;
}

/** Where a page read from an index stops: the table's key and the index's. */
export function indexKeyOf(item: Item, index: { partitionKey: string; sortKey: string }): Item {
  return { pk: item.pk, sk: item.sk, [index.partitionKey]: item[index.partitionKey], [index.sortKey]: item[index.sortKey] };
}
