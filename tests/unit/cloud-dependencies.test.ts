/**
 * The cloud composition builds its SDK clients from the environment it is given (not process.env), so two
 * compositions in one process reach two endpoints; it fails without the state machine; it takes the local
 * overrides and hands every client it builds to the instrument hook.
 */
import { afterEach, expect, test } from '@jest/globals';
import { Logger } from '@aws-lambda-powertools/logger';
import { cloudDependencies, type AwsServiceName, type SdkClient } from '../../shared/composition/cloud-dependencies';

const ENV = {
  TABLE_NAME: 'gridflow-test',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:gridflow-event-lifecycle',
  SITE_URL: 'https://gridflow.example',
  COGNITO_USER_POOL_ID: 'eu-west-1_abcdefghi',
  COGNITO_CLIENT_ID: 'client',
  CURSOR_KEY: 'a-cursor-key-of-at-least-32-characters',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
  AWS_SECRET_ACCESS_KEY: 'secret',
};
const logger = new Logger({ serviceName: 'gridflow-test' });
const savedEndpoint = process.env.AWS_ENDPOINT_URL;

afterEach(() => {
  if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEndpoint;
});

/** The clients a composition builds, by service, as the instrument hook sees them. */
function clientsOf(env: NodeJS.ProcessEnv): Map<AwsServiceName, SdkClient> {
  const clients = new Map<AwsServiceName, SdkClient>();
  cloudDependencies(env, logger, { instrument: (client, service) => clients.set(service, client) });
  return clients;
}

const endpointOf = async (client: SdkClient) => {
  const endpoint = await client.config.endpoint?.();
  return endpoint && `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
};

test('every client is built, handed to the instrument hook, and configured from the given environment only', async () => {
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1'; // another composition's: must not leak in
  const one = clientsOf({ ...ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:4001' });
  const two = clientsOf({ ...ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:4002', AWS_REGION: 'ap-east-1' });
  expect([...one.keys()].sort()).toEqual(['dynamodb', 'sns', 'states']);
  for (const client of one.values()) {
    expect(await endpointOf(client)).toBe('http://127.0.0.1:4001');
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' });
  }
  for (const client of two.values()) {
    expect(await endpointOf(client)).toBe('http://127.0.0.1:4002');
    expect(await client.config.region()).toBe('ap-east-1');
  }
});

test("a service's own endpoint variable comes before the general one", async () => {
  const clients = clientsOf({ ...ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:4001', AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:4009' });
  expect(await endpointOf(clients.get('sns')!)).toBe('http://127.0.0.1:4009');
  expect(await endpointOf(clients.get('states')!)).toBe('http://127.0.0.1:4001');
});

test('without STATE_MACHINE_ARN the composition fails at once, naming it', () => {
  const { STATE_MACHINE_ARN: _missing, ...env } = ENV;
  expect(() => cloudDependencies(env, logger)).toThrow('Environment variable STATE_MACHINE_ARN is not set');
});

test('without CURSOR_KEY (or with one under 32 characters) the composition fails at once, naming it', () => {
  const { CURSOR_KEY: _missing, ...env } = ENV;
  expect(() => cloudDependencies(env, logger)).toThrow('Environment variable CURSOR_KEY is not set');
  expect(() => cloudDependencies({ ...env, CURSOR_KEY: 'short' }, logger)).toThrow('at least 32 characters');
});

test('what has no AWS protocol is taken from the overrides', async () => {
  const clock = { now: () => new Date('2026-11-24T01:00:00Z'), scale: 600 };
  const tokenVerifier = { verify: async () => ({ sub: 'local' }) };
  const { COGNITO_USER_POOL_ID: _pool, COGNITO_CLIENT_ID: _client, ...env } = ENV;
  const deps = cloudDependencies({ ...env, GRIDFLOW_MODE: 'local' }, logger, { clock, tokenVerifier });
  expect(deps.clock).toBe(clock);
  // The reference data is the table's, read before an invocation uses it: none read yet is a 503, never the sample.
  expect(() => deps.catalog).toThrow(expect.objectContaining({ status: 503, code: 'reference_missing' }));
  expect(deps.mode).toBe('local');
  await expect(deps.tokenVerifier.verify('x')).resolves.toEqual({ sub: 'local' });
});
