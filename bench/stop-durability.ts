/**
 * Stop durability: does DynamoDB Local keep every transaction it acknowledged when it is stopped rather than
 * killed? Raw DynamoDB Local (our launcher) on a fresh `-dbPath`, 16 clients writing two-item
 * `TransactWriteItems`; after a random 4–12 s it is stopped with SIGTERM (as a platform's stop does; Ctrl-C's
 * SIGINT takes the same JVM shutdown) while the clients still write, started again, and every acknowledged
 * transaction read back. The same rounds with SIGKILL, interleaved, are the control: they must lose some
 * (about 1 in 1,800, ../shared/local-engines.md), or the experiment could not see a loss at all.
 *
 * The platform relies on the answer: after a stop in which DynamoDB Local shut down by itself, the journal is
 * checkpointed and the next start writes nothing again (tests/integration/clean-stop.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetItemCommand, CreateTableCommand, type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { PID_FILE, shutDownByItself } from '../dev-server/dynamodb-launch';
import { localClient, startDynamoDbLocal } from '../dev-server/dynamodb-local';
import { freePort } from '../dev-server/local-platform';
import { sleep, type BenchPart, type Row } from './lib';

const TABLE = 'durability';
const CLIENTS = 16;

type Ending = 'SIGTERM' | 'SIGKILL';

interface Tally {
  rounds: number;
  acknowledged: number;
  lost: number;
  /** How the JVM said it exited, each distinct answer. */
  exits: string[];
}

export interface StopDurabilityResult {
  stopped: Tally;
  killed: Tally;
}

export const stopDurabilityPart: BenchPart<StopDurabilityResult> = {
  key: 'stopDurability',
  title: 'Stop durability: DynamoDB Local stopped (SIGTERM) vs killed (SIGKILL) under load',
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 10;
    const stopped: Tally = { rounds: 0, acknowledged: 0, lost: 0, exits: [] };
    const killed: Tally = { rounds: 0, acknowledged: 0, lost: 0, exits: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const [ending, tally] of [
        ['SIGTERM', stopped],
        ['SIGKILL', killed],
      ] as const) {
        const result = await oneRound(ending);
        tally.rounds += 1;
        tally.acknowledged += result.acknowledged;
        tally.lost += result.lost;
        if (!tally.exits.includes(result.exit)) tally.exits.push(result.exit);
        ctx.log(`stop-durability: round ${round} ${ending}: ${result.acknowledged} acknowledged, ${result.lost} lost (${result.exit})`);
      }
    }
    return { stopped, killed };
  },
  rows({ stopped, killed }) {
    return [
      {
        figure: `stopped (SIGTERM), ${stopped.rounds} rounds: acknowledged transactions lost`,
        value: `${stopped.lost} of ${stopped.acknowledged}`,
        target: '0, and every exit a shutdown of its own',
        met: stopped.lost === 0 && stopped.exits.every(shutDownByItself),
      },
      {
        figure: `  control, killed (SIGKILL), ${killed.rounds} rounds: lost`,
        value: `${killed.lost} of ${killed.acknowledged}`,
        target: '> 0 over a full run (else the rounds could not see a loss)',
        met: null,
      },
    ] satisfies Row[];
  },
};

async function oneRound(ending: Ending): Promise<{ acknowledged: number; lost: number; exit: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-bench-stop-durability-'));
  const port = await freePort();
  const quiet = () => {};
  try {
    let local = await startDynamoDbLocal({ port, dataDir, log: quiet });
    const writer = localClient(local.endpoint);
    await writer.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const acknowledged: string[] = [];
    let next = 0;
    const client = async () => {
      for (;;) {
        const id = `t${next++}`;
        try {
          await writer.send(new TransactWriteItemsCommand({ TransactItems: [put(`${id}a`), put(`${id}b`)] }));
        } catch {
          return; // Stopped or killed: a transaction without its reply is not counted.
        }
        acknowledged.push(id);
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await sleep(4000 + Math.random() * 8000);
    if (ending === 'SIGTERM') await local.stop();
    else process.kill(Number(readFileSync(join(dataDir, PID_FILE), 'utf8')), 'SIGKILL');
    const exit = await local.exited;
    await Promise.all(clients);
    writer.destroy();

    local = await startDynamoDbLocal({ port, dataDir, log: quiet });
    const reader = localClient(local.endpoint);
    try {
      return { acknowledged: acknowledged.length, lost: await countMissing(reader, acknowledged), exit };
    } finally {
      reader.destroy();
      await local.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function put(pk: string) {
  return {
    Put: { TableName: TABLE, Item: { pk: { S: pk }, body: { S: 'x'.repeat(200) } }, ConditionExpression: 'attribute_not_exists(pk)' },
  };
}

/** Transactions of which either item is missing (both are, when one is: a transaction is atomic). */
async function countMissing(reader: DynamoDBClient, ids: string[]): Promise<number> {
  let missing = 0;
  for (let from = 0; from < ids.length; from += 50) {
    const batch = ids.slice(from, from + 50);
    const found = new Set<string>();
    let keys = batch.flatMap((id) => [{ pk: { S: `${id}a` } }, { pk: { S: `${id}b` } }]);
    while (keys.length > 0) {
      const reply = await reader.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: keys } } }));
      for (const item of reply.Responses?.[TABLE] ?? []) found.add(item.pk?.S ?? '');
      keys = (reply.UnprocessedKeys?.[TABLE]?.Keys ?? []) as typeof keys;
    }
    missing += batch.filter((id) => !found.has(`${id}a`) || !found.has(`${id}b`)).length;
  }
  return missing;
}
