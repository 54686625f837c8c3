/**
 * The recorder behind the permission check (dev-server/aws-call-recorder.ts, checked at the end of the run by
 * tests/permissions/), on the real platform: each call is recorded under the function that made it, as IAM
 * authorizes it. Issue 10's item 1 as the functions do it: the intake SMS of a report and of a patrol's
 * finding is stored with it by events-create and patrols-create, and published by the SMS sender alone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_LOG_VARIABLE, PUBLISHED_VERSION, type RecordedCall } from '../../dev-server/aws-call-recorder';
import { JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

let stack: Stack;
let folder: string;
let calls: RecordedCall[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'gridflow-recorded-calls-'));
  stack = await startStack({ env: { ...process.env, [CALL_LOG_VARIABLE]: folder }, scheduledJobs: false });
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  // A grid worker's report is routed as it is stored: the handler is texted from events-create.
  const report = await stack.call('POST', '/events', {
    token: worker,
    body: {
      itemCode: '01-01',
      gridCode: JINYUAN_GRID_1,
      description: '金英街排水口堵塞',
      severity: 4,
      location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
      reporter: { name: '金英街居民', phone: '13000009999' },
      source: 'grid_worker',
    },
  });
  expect(report.status).toBe(201);
  const patrol = await stack.call('POST', '/patrols', {
    token: worker,
    body: {
      gridCode: JINYUAN_GRID_1,
      kind: 'daily',
      findings: [
        { itemCode: '01-01', description: '园丁街排水口堵塞', severity: 4, location: { lat: 23.1332, lng: 114.417 }, report: true },
      ],
    },
  });
  expect(patrol.status).toBe(201);
  await smsWhen(stack, report.body.id, 'case_assigned');
  await smsWhen(stack, patrol.body.reportedEvents[0], 'case_assigned');
  await stopped();
  calls = readdirSync(folder).flatMap((file) =>
    readFileSync(join(folder, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedCall),
  );
});
afterAll(async () => {
  await stopped();
  rmSync(folder, { recursive: true, force: true });
});

/** Stops the platform once: its recorder flushes at stop. */
let stopping: Promise<void> | undefined;
const stopped = () => (stopping ??= stack?.stop() ?? Promise.resolve());

const actionsOf = (principal: string) =>
  [...new Set(calls.filter((call) => call.principal === principal).map((call) => call.action))].sort();
const callOf = (principal: string, action: string) => calls.find((call) => call.principal === principal && call.action === action);

test('the intake SMS: events-create and patrols-create store it with the report; only the SMS sender publishes (issue 11, item 2)', () => {
  expect(callOf('sms-sender', 'sns:Publish')?.resource).toEqual({ phoneNumber: true });
  expect(actionsOf('events-create')).not.toContain('sns:Publish');
  expect(actionsOf('patrols-create')).not.toContain('sns:Publish');
  // The sender counts its attempt on each intent and records the outcome; like every function, it reads the
  // reference version in effect: the pointer (GetItem). (Its documents' Queries: locally the platform's functions
  // share the documents one of them read, where each Lambda reads its own — granted to all, READS_REFERENCE.)
  expect(actionsOf('sms-sender')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'sns:Publish']);
});

test('each call is recorded under its function, as IAM authorizes it: transactions as their item actions, queries with their index', () => {
  expect(actionsOf('events-create')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 'states:StartExecution']));
  expect(actionsOf('events-create')).not.toContain('dynamodb:TransactWriteItems');
  expect(calls.filter((call) => call.via === 'dynamodb:TransactWriteItems').length).toBeGreaterThan(0);
  const indexQuery = calls.find(
    (call) => call.principal === 'events-create' && call.action === 'dynamodb:Query' && (call.resource as { index?: string }).index,
  );
  expect(indexQuery?.resource).toEqual({ table: 'gridflow', index: 'byPlace' });
  expect(callOf('events-create', 'states:StartExecution')?.resource).toEqual({ stateMachine: 'GridFlow-EventLifecycle' });
  // The state machine's own Lambda invocations, by the engine.
  expect(callOf('GridFlow-EventLifecycle', 'lambda:InvokeFunction')?.resource).toEqual({
    function: 'workflow-step',
    qualifier: PUBLISHED_VERSION,
  });
  expect(actionsOf('workflow-step').length).toBeGreaterThan(0);
});
