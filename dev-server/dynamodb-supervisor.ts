/**
 * Keeps the platform's DynamoDB Local running: when it dies (killed, crashed) while the platform runs, it is
 * started again on the same port and data folder, with a growing pause between failed starts. Meanwhile the edge
 * port answers DynamoDB calls 503 at once (`down`); once it runs, what it lost is written again from the journal
 * before any call goes through (`restarted`), and the API serves again by itself.
 */
import type { DynamoDbLocal } from './dynamodb-local';

export interface DynamoDbSupervisor {
  /** No more restarts: the platform is stopping (Ctrl-C and `kill` reach DynamoDB Local too, in the same group). */
  standDown(): void;
  /** Stands down, waits for a restart under way, then stops the DynamoDB Local running now: how it exited. */
  stop(): Promise<string>;
}

/** Between a death and the restart: a platform being stopped as a whole says so meanwhile. */
const GRACE_MS = 1000;
const PAUSES_AFTER_FAILED_STARTS_MS = [500, 1000, 2000, 5000];

export function superviseDynamoDbLocal(options: {
  first: DynamoDbLocal;
  /** Starts another on the same port and data folder. */
  start: () => Promise<DynamoDbLocal>;
  down: () => void;
  /** The new one runs: resolves once it holds everything acknowledged (the journal's replay). */
  restarted: (local: DynamoDbLocal) => Promise<void>;
  log: (line: string) => void;
}): DynamoDbSupervisor {
  let current = options.first;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const restart = async (how: string) => {
    options.down();
    await pause(GRACE_MS);
    if (stopping) return;
    options.log(`DynamoDB Local exited (${how}); starting it again on the same data`);
    for (let attempt = 0; !stopping; attempt += 1) {
      let started: DynamoDbLocal | undefined;
      try {
        started = await options.start();
        if (stopping) return void (await started.stop());
        current = started;
        await options.restarted(started);
        options.log('DynamoDB Local runs again; the API serves');
        watch(started);
        return;
      } catch (error) {
        await started?.stop().catch(() => {});
        options.down();
        const wait = PAUSES_AFTER_FAILED_STARTS_MS[Math.min(attempt, PAUSES_AFTER_FAILED_STARTS_MS.length - 1)] as number;
        options.log(`DynamoDB Local did not start again (${(error as Error).message.split('\n')[0]}); trying again in ${wait} ms`);
        await pause(wait);
      }
    }
  };
  const watch = (local: DynamoDbLocal) => {
    void local.exited.then((how) => {
      if (!stopping) restarting = restart(how).finally(() => (restarting = undefined));
    });
  };
  watch(current);

  return {
    standDown() {
      stopping = true;
    },
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
      return current.exited;
    },
  };
}
