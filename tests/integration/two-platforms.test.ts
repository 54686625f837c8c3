/**
 * Several local platforms in one process (the bench starts several) share nothing: each gateway serves its
 * routes with its own platform's dependencies — its clock, its tokens, its outbox.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../dev-server/dynamodb-local';
import { freePort, startLocalPlatform, type LocalPlatform } from '../../dev-server/local-platform';
import { sampleClaims } from '../../bin/sample-users';
import { JINYUAN_GRID_1 } from '../support/local-stack';

let dynamoDb: DynamoDbLocal;
let slow: LocalPlatform;
let fast: LocalPlatform;

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  slow = await startLocalPlatform({ port: 0, timeScale: 1, quiet: true, dynamoDb, scheduledJobs: false });
  fast = await startLocalPlatform({ port: 0, timeScale: 600, quiet: true, dynamoDb, scheduledJobs: false });
});

afterAll(async () => {
  await slow?.stop();
  await fast?.stop();
  await dynamoDb?.stop();
});

const health = async (platform: LocalPlatform) => (await fetch(`${platform.url}/health`)).json();

test('each platform answers with its own composition', async () => {
  expect(await health(slow)).toMatchObject({ mode: 'local', timeScale: 1 });
  expect(await health(fast)).toMatchObject({ mode: 'local', timeScale: 600 });
});

test("a platform's tokens open its own gateway only", async () => {
  const claims = sampleClaims(slow.deps.directory, 'grid_worker', JINYUAN_GRID_1);
  const call = (platform: LocalPlatform, token: string) =>
    fetch(`${platform.url}/events?unit=${JINYUAN_GRID_1}`, { headers: { authorization: `Bearer ${token}` } }).then((reply) => reply.status);
  expect(await call(slow, slow.token(claims))).toBe(200);
  expect(await call(fast, fast.token(claims))).toBe(200);
  expect(await call(fast, slow.token(claims))).toBe(401);
});
