/**
 * Local mode runs the Lambda composition: every function has its own SDK clients, pointed at the edge port
 * (the gateway's), and its AWS calls — DynamoDB, Step Functions, SNS — go through it. The platform's
 * environment injects SMS failures, which the core records as in the cloud.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AwsServiceName, SdkClient } from '../../shared/composition/cloud-dependencies';
import { HANDLER_NAMES } from '../../shared/http/routes';
import { OPERATOR } from '../../dev-server/local-functions';
import { eventually, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const HANDLER_PHONE = '13000001001'; // 欧阳玲巧, who handles what her grid reports
const clients: { functionName: string; client: SdkClient; service: AwsServiceName }[] = [];
const calls: string[] = [];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    env: { GRIDFLOW_SMS_FAIL_NUMBERS: HANDLER_PHONE },
    instrument: (functionName, client, service) => {
      clients.push({ functionName, client, service });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          calls.push(`${functionName} ${service}:${String(context.commandName).replace(/Command$/, '')}`);
          return next(args);
        },
        { step: 'initialize', name: 'edgePortTestRecorder' },
      );
    },
  });
});
afterAll(() => stack?.stop());

test('each function has its own three clients, all pointed at the edge port', async () => {
  const names = new Set(clients.map((entry) => entry.functionName));
  expect([...names].sort()).toEqual([...HANDLER_NAMES, OPERATOR].sort());
  for (const name of ['events-create', 'events-get', 'workflow-step', 'scheduled-jobs', 'sweeper']) {
    expect(
      clients
        .filter((entry) => entry.functionName === name)
        .map((entry) => entry.service)
        .sort(),
    ).toEqual(['dynamodb', 'sns', 'states']);
  }
  expect(new Set(clients.map((entry) => entry.client)).size).toBe(clients.length);
  for (const { client } of clients) {
    const endpoint = await client.config.endpoint?.();
    expect(endpoint && `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe(stack.url);
  }
});

test("a report's calls are its functions' own: the route stores and starts the lifecycle, the workflow step runs on its clients", async () => {
  calls.length = 0;
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const created = await stack.call('POST', '/events', {
    token: worker,
    body: {
      itemCode: '01-01',
      gridCode: JINYUAN_GRID_1,
      description: '金英街排水口堵塞',
      reporter: { name: '居民', phone: '13000009999' },
    },
  });
  expect(created.status).toBe(201);
  expect(calls).toEqual(expect.arrayContaining(['events-create dynamodb:TransactWriteItems', 'events-create states:StartExecution']));
  await eventually(async () => (calls.some((call) => call.startsWith('workflow-step dynamodb:')) ? true : undefined), 'the workflow step');
});

test('an SMS to a number in GRIDFLOW_SMS_FAIL_NUMBERS is refused by SNS, retried, and recorded on the case', async () => {
  calls.length = 0;
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { body } = await stack.call('POST', '/events', {
    token: worker,
    body: {
      itemCode: '01-01',
      gridCode: JINYUAN_GRID_1,
      description: '金英街排水口又堵了',
      reporter: { name: '居民', phone: '13000009999' },
    },
  });
  const failed = await eventually(async () => {
    const timeline = await stack.platform.deps.cases.timeline(body.id);
    return timeline.find((entry) => entry.type === 'notification_failed');
  }, 'the failure on the timeline');
  expect(failed.note).toContain('InvalidParameter');
  expect(calls.filter((call) => call.endsWith('sns:Publish')).length).toBeGreaterThanOrEqual(3);
  expect(stack.platform.outbox.all().filter((message) => message.eventId === body.id && message.to === HANDLER_PHONE)).toEqual([]);
});
