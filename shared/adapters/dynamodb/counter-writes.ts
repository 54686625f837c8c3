/** Counter increments as transaction items: written with the change that causes them (a case's, a patrol's). */
import { STANDING, type CounterIncrement } from '../../domain/counters';
import type { TransactItem } from './single-table';
import { counterPart, counterShard, keys, WRITES } from './table-design';

/**
 * The increments merged, then one update per counter item they touch (see counterPart), each in the shard
 * `shardSeed` (the case's or patrol's id) picks: concurrent changes of a district spread over the shards.
 */
export function counterUpdates(tableName: string, increments: CounterIncrement[], shardSeed: string): TransactItem[] {
  const shard = counterShard(shardSeed);
  return mergeIncrements(increments).flatMap((increment) => counterItemUpdates(tableName, increment, shard));
}

function counterItemUpdates(tableName: string, increment: CounterIncrement, shard: number): TransactItem[] {
  const parts = new Map<string, [string, number][]>();
  // A counter with nothing to add would make an invalid expression: it is left out.
  for (const [name, amount] of Object.entries(increment.counts)) {
    const part = counterPart(name);
    parts.set(part, [...(parts.get(part) ?? []), [name, amount]]);
  }
  const { kind, code } = increment.scope;
  return [...parts].map(([part, counts]) => {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':scope': `${kind}:${code}`,
      ':day': increment.day,
      ':type': 'counters',
      ':one': 1,
    };
    const additions = counts.map(([name, amount], index) => {
      names[`#c${index}`] = name;
      values[`:c${index}`] = amount;
      return `#c${index} :c${index}`;
    });
    return {
      Update: {
        TableName: tableName,
        Key: increment.day === STANDING ? keys.standing(kind, code, part, shard) : keys.counters(kind, code, increment.day, part, shard),
        // `writes` counts the item's writes: a fold moves the item only if it is still as the fold read it.
        UpdateExpression: `SET #scope = :scope, #day = :day, itemType = :type ADD ${additions.join(', ')}, #writes :one`,
        ExpressionAttributeNames: { ...names, '#scope': 'scope', '#day': 'day', '#writes': WRITES },
        ExpressionAttributeValues: values,
      },
    };
  });
}

/** One transaction may not touch an item twice: increments of one scope and day are added together. */
function mergeIncrements(increments: CounterIncrement[]): CounterIncrement[] {
  const merged = new Map<string, CounterIncrement>();
  for (const increment of increments) {
    const key = `${increment.scope.kind}#${increment.scope.code}#${increment.day}`;
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { ...increment, counts: { ...increment.counts } });
      continue;
    }
    for (const [name, amount] of Object.entries(increment.counts)) existing.counts[name] = (existing.counts[name] ?? 0) + amount;
  }
  return [...merged.values()];
}
