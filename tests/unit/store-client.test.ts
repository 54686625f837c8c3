/**
 * The store's SDK client (issue 12 item 3): its calls have timeouts and a bounded number of attempts, and a store
 * that cannot be reached — refused, silent, or failing on its side — surfaces as StoreUnavailable (the API's 503),
 * while the store's answers about the data (a failed condition) pass through as they are. Real SDK clients
 * against real sockets on this machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from '../../dev-server/local-platform';
import { STORE_CALL_LIMITS, storeClient } from '../../shared/composition/store-client';
import { StoreUnavailable } from '../../shared/domain/errors';

const get = new GetItemCommand({ TableName: 'gridflow', Key: { pk: { S: 'a' }, sk: { S: 'b' } } });
const env = (endpoint: string) => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
});

/** A DynamoDB stand-in that answers every call with `reply` (or never), counting the calls. */
async function fakeStore(reply?: (response: ServerResponse) => void): Promise<{ endpoint: string; calls: () => number; close(): void }> {
  let calls = 0;
  const server: Server = createServer((request: IncomingMessage, response) => {
    calls += 1;
    request.resume();
    reply?.(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const json = (status: number, body: unknown) => (response: ServerResponse) =>
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));

test('the limits fit in a function that has 10 s: every attempt timed out still leaves time to answer 503', () => {
  const { attempts, connectMs, attemptMs } = STORE_CALL_LIMITS;
  expect(attempts * (connectMs + attemptMs)).toBeLessThan(10_000);
});

test('a refused connection is StoreUnavailable', async () => {
  const client = storeClient(env(`http://127.0.0.1:${await freePort()}`));
  try {
    await expect(client.send(get)).rejects.toBeInstanceOf(StoreUnavailable);
  } finally {
    client.destroy();
  }
});

test('a store that never answers is StoreUnavailable after its attempts, each cut at the attempt timeout', async () => {
  const store = await fakeStore();
  const client = storeClient(env(store.endpoint), { ...STORE_CALL_LIMITS, attemptMs: 150 });
  try {
    await expect(client.send(get)).rejects.toBeInstanceOf(StoreUnavailable);
    expect(store.calls()).toBe(STORE_CALL_LIMITS.attempts);
  } finally {
    client.destroy();
    store.close();
  }
});

test('a store failing on its side (5xx on every attempt) is StoreUnavailable, after its attempts', async () => {
  const store = await fakeStore(json(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'down' }));
  const client = storeClient(env(store.endpoint));
  try {
    const error = await client.send(get).catch((caught) => caught);
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect(error.message).toContain('InternalServerError');
    expect(store.calls()).toBe(STORE_CALL_LIMITS.attempts);
  } finally {
    client.destroy();
    store.close();
  }
});

test("the store's answer about the data passes through: a failed condition is the SDK's own error, asked once", async () => {
  const store = await fakeStore(
    json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' }),
  );
  const client = storeClient(env(store.endpoint));
  try {
    await expect(client.send(get)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(store.calls()).toBe(1);
  } finally {
    client.destroy();
    store.close();
  }
});
