/**
 * Keeps the platform's DynamoDB Local running: when it dies (killed, crashed) while the platform runs, it is
 * started again on the same port and data folder, with a growing pause between failed starts. Meanwhile the edge
 * port answers DynamoDB calls 503 at once (`down`); once it runs, what it lost is written again from the journal
 * before any call goes through (`restarted`), and the API serves again by itself.
 */
import type { DynamoDbLocal } from './dynamodb-local';

export interface DynamoDbSupervisor {
  /** Stops watching, then stops the DynamoDB Local running now. */
  stop(): Promise<void>;
}

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
  const pauses = [500, 1000, 2000, 5000];

  const watch = (local: DynamoDbLocal) => {
    void local.exited.then(async (how) => {
      if (stopping) return;
      options.log(`DynamoDB Local exited (${how}); starting it again on the same data`);
      options.down();
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
          const pause = pauses[Math.min(attempt, pauses.length - 1)] as number;
          options.log(`DynamoDB Local did not start again (${(error as Error).message.split('\n')[0]}); trying again in ${pause} ms`);
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    });
  };
  watch(current);

  return {
    async stop() {
      stopping = true;
      await current.stop();
    },
  };
}
