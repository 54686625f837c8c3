/**
 * The Lambda entries: composed at init inside Lambda (a missing variable fails there, logged), lazily
 * elsewhere (importing a function module needs no cloud environment), with the Lambda context on the logger.
 */
import { afterAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { makeBackgroundHandler, makeHandler } from '../../shared/composition/make-handler';
import { apiRoute, type ApiEvent } from '../../shared/http/api-handler';
import { ROUTES, BACKGROUND_FUNCTIONS } from '../../shared/http/routes';

const CLOUD_ENV = {
  TABLE_NAME: 'gridflow-test',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:gridflow-event-lifecycle',
  SITE_URL: 'https://gridflow.example',
  COGNITO_USER_POOL_ID: 'eu-west-1_abcdefghi',
  COGNITO_CLIENT_ID: 'client',
  CURSOR_KEY: 'a-cursor-key-of-at-least-32-characters',
  GRIDFLOW_MODE: 'aws',
  AWS_REGION: 'eu-west-1',
};
const IN_LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'gridflow-health' };
const context = { awsRequestId: 'request-1', functionName: 'gridflow-health', invokedFunctionArn: 'arn' } as Context;
const event = { headers: {}, requestContext: { http: { sourceIp: '127.0.0.1' } } } as unknown as ApiEvent;

const healthLike = apiRoute('public', async (_request, deps) => {
  deps.logger.info('answering');
  return { status: 200, body: { mode: deps.mode } };
});

function silentLogger(): Logger {
  const logger = new Logger({ serviceName: 'gridflow-test' });
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(logger, level).mockImplementation(() => {});
  return logger;
}

// AWS itself: the table has no reference version yet (each invocation first reads the pointer). The stores send
// through the document client, which has a send of its own.
const documents = mockClient(DynamoDBDocumentClient);
beforeEach(() => {
  documents.reset();
  documents.on(GetCommand).resolves({});
});
afterAll(() => documents.restore());

/** The invocation read the reference version in effect from the function's table before its work. */
function readTheReferencePointer() {
  expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
    TableName: 'gridflow-test',
    Key: { pk: 'REFERENCE', sk: 'CURRENT' },
    ConsistentRead: true,
  });
}

describe('makeHandler', () => {
  test('in Lambda, a missing TABLE_NAME fails at init with the error logged', () => {
    const logger = silentLogger();
    const { TABLE_NAME: _missing, ...env } = CLOUD_ENV;
    expect(() => makeHandler(healthLike, { env: { ...env, ...IN_LAMBDA }, logger })).toThrow('Environment variable TABLE_NAME is not set');
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('cannot start'),
      expect.objectContaining({ message: expect.stringContaining('TABLE_NAME') }),
    );
  });

  test('a background function in Lambda fails at init the same way', () => {
    const logger = silentLogger();
    const { COGNITO_CLIENT_ID: _missing, ...env } = CLOUD_ENV;
    expect(() => makeBackgroundHandler(async () => 'done', { env: { ...env, ...IN_LAMBDA }, logger })).toThrow('COGNITO_CLIENT_ID');
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  test('outside Lambda nothing is composed at import; a failure at the first call answers 500 and is logged', async () => {
    const logger = silentLogger();
    const handler = makeHandler(healthLike, { env: {}, logger });
    expect(logger.error).not.toHaveBeenCalled();
    const result = (await handler(event, context)) as { statusCode: number };
    expect(result.statusCode).toBe(500);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('cannot start'), expect.any(Error));
    expect(logger.error).toHaveBeenCalledWith('Unhandled error', expect.objectContaining({ error: expect.stringContaining('TABLE_NAME') }));
  });

  test('composed at init in Lambda, the handler answers from the composition, with the Lambda context on the logger', async () => {
    const logger = silentLogger();
    const addContext = jest.spyOn(logger, 'addContext');
    const handler = makeHandler(healthLike, { env: { ...CLOUD_ENV, ...IN_LAMBDA }, logger });
    const result = (await handler(event, context)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ mode: 'aws' });
    readTheReferencePointer();
    expect(addContext).toHaveBeenCalledWith(context);
    expect(logger.info).toHaveBeenCalledWith('answering', {});
  });

  test('a background handler gets the Lambda context too, and its work the payload and the dependencies', async () => {
    const logger = silentLogger();
    const addContext = jest.spyOn(logger, 'addContext');
    const handler = makeBackgroundHandler(async (payload, deps) => ({ payload, scale: deps.clock.scale }), {
      env: { ...CLOUD_ENV, ...IN_LAMBDA },
      logger,
    });
    await expect(handler({ job: 'x' }, context)).resolves.toEqual({ payload: { job: 'x' }, scale: 1 });
    readTheReferencePointer();
    expect(addContext).toHaveBeenCalledWith(context);
  });
});

describe('function modules', () => {
  test('each route module exports its route, with the auth the route table gives it, and a Lambda handler', async () => {
    for (const definition of ROUTES) {
      const module = await import(`../../functions/${definition.handler}`);
      expect([definition.handler, module.route.auth]).toEqual([definition.handler, definition.auth]);
      expect(typeof module.handler).toBe('function');
    }
  });

  test('each background module exports its work and a Lambda handler', async () => {
    for (const name of BACKGROUND_FUNCTIONS) {
      const module = await import(`../../functions/${name}`);
      expect(typeof module.work).toBe('function');
      expect(typeof module.handler).toBe('function');
    }
  });
});
