/**
 * A port picked free may be taken by another process before DynamoDB Local's JVM (seconds to start) listens on it:
 * the other Jest worker's next free port, one in ~14,000 such picks while the JVM starts, about one suite in 200.
 * The JVM then cannot listen, and the readiness probe must not take whatever answers on the port for it.
 */
import { afterEach, expect, test } from '@jest/globals';
import { type DynamoDbLocal, startDynamoDbLocal, startDynamoDbLocalOnFreePort } from '../../dev-server/dynamodb-local';
import { freePort } from '../../dev-server/free-port';

const started: DynamoDbLocal[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((each) => each.stop()));
});

test('a DynamoDB Local whose port another one holds does not start, rather than take the other for its own', async () => {
  const other = await startDynamoDbLocal({ port: await freePort() });
  started.push(other);
  const port = Number(new URL(other.endpoint).port);
  const second = startDynamoDbLocal({ port }).then((taken) => {
    started.push(taken);
    return taken;
  });
  await expect(second).rejects.toThrow(`port ${port} is in use`);
}, 60_000);

test('a platform whose picked port was taken meanwhile starts its DynamoDB Local on another pick', async () => {
  const other = await startDynamoDbLocal({ port: await freePort() });
  started.push(other);
  const taken = Number(new URL(other.endpoint).port);
  const picks = [taken];
  const logged: string[] = [];
  const own = await startDynamoDbLocalOnFreePort({ log: (line) => logged.push(line) }, async () => picks.shift() ?? freePort());
  started.push(own);
  expect(own.endpoint).not.toBe(other.endpoint);
  expect(logged).toContain(`DynamoDB Local could not listen: port ${taken} is in use: picking another`);
}, 60_000);
