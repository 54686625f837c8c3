/**
 * The README's operator example, run as written: `aws stepfunctions get-execution-history` on a case's
 * execution, against the local gateway's port (the edge port), with the README's dummy credentials. The
 * `aws` CLI must be on PATH: this machine has aws-cli 1.45 (pyenv); .ci/run installs Debian's awscli where
 * there is none. A missing CLI fails the test.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { eventually, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const exec = promisify(execFile);
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** The case id the README's example shows. */
const EXAMPLE_CASE = 'E20261123-7KQ2MX';

/** The example's environment (its `export` line) and its command, as the README writes them. */
function readmeExample(): { env: Record<string, string>; command: string } {
  const block = /```sh\nexport (AWS_ACCESS_KEY_ID=[^\n]*)\n(aws stepfunctions get-execution-history [^\n]*)\n```/.exec(README);
  if (!block) throw new Error('The README lost its get-execution-history example (a ```sh block: an export line, then the command)');
  const env = Object.fromEntries(block[1].split(/\s+/).map((pair) => pair.split('=') as [string, string]));
  return { env, command: block[2] };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeScale: 1 });
});
afterAll(() => stack?.stop());

test('aws stepfunctions get-execution-history, as the README shows it, lists a case’s execution in AWS’s event types', async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const { body: reported } = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-04', gridCode: JINYUAN_GRID_1, description: '商铺占道经营，堵住人行道' },
  });
  // Routed to its handler: the execution waits on the handler's task.
  await eventually(async () => {
    const { body } = await stack.call('GET', `/events/${reported.id}`, { token: worker });
    return body.stage === 'routed' ? body : undefined;
  }, 'routing');

  const { env, command } = readmeExample();
  expect(command).toContain('--endpoint-url http://localhost:3000');
  expect(command).toContain(EXAMPLE_CASE);
  const [program, ...args] = command.replace('http://localhost:3000', stack.url).replace(EXAMPLE_CASE, reported.id).split(' ');
  const run = () => exec(program, args, { env: { ...process.env, ...env } });
  const history = await eventually(async () => {
    const { events } = JSON.parse((await run()).stdout) as {
      events: { type: string; id: number; stateEnteredEventDetails?: { name: string } }[];
    };
    return events.some((event) => event.type === 'TaskSubmitted') ? events : undefined;
  }, 'the handler’s task submitted');

  expect(history[0]).toMatchObject({ type: 'ExecutionStarted', id: 1 });
  expect(history.slice(1, 6).map((event) => event.type)).toEqual([
    'TaskStateEntered',
    'TaskScheduled',
    'TaskStarted',
    'TaskSucceeded',
    'TaskStateExited',
  ]);
  expect(history[1].stateEnteredEventDetails?.name).toBe('Register');
  expect(history.map((event) => event.type)).toContain('ChoiceStateEntered');
  expect(history.map((event) => event.id)).toEqual(history.map((_, index) => index + 1));
});
