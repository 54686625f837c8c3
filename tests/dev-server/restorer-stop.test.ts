/**
 * A stop while the kept executions are still being listed lets go at once: with 50,000 kept, listing them takes
 * DynamoDB Local tens of seconds, and `npm start` stopped then took 28 s (measured) waiting for the list it no
 * longer needed. Nothing is brought back after the stop.
 */
import { Restorer } from '../../dev-server/step-functions/restorer';

test('stop() during the listing resolves without waiting for the list, and nothing is run after it', async () => {
  let finishListing!: (names: string[]) => void;
  const listing = new Promise<string[]>((resolve) => (finishListing = resolve));
  let runs = 0;
  const restorer = new Restorer({
    list: () => listing,
    fetch: async (names) => names.map((name) => ({ name, status: 'RUNNING', version: 1 }) as never),
    versionOf: async () => ({}) as never,
    run: () => {
      runs += 1;
    },
  });
  const pass = restorer.start();
  // The list never comes while the stop is under way: the stop must not wait for it.
  const stopped = await Promise.race([
    restorer.stop().then(() => 'stopped'),
    new Promise((resolve) => setTimeout(resolve, 5000, 'still waiting for the list')),
  ]);
  expect(stopped).toBe('stopped');
  finishListing(['E1', 'E2']);
  expect(await pass).toBe(0);
  expect(runs).toBe(0);
});
