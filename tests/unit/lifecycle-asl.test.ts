/**
 * The lifecycle definition (workflows/event-lifecycle.asl.json) read as data, against the core it calls:
 * every decision the core can make has a state, every wait waits for what the core waits for, every Task
 * carries the round count and has a timeout, and timeouts keep the decision they ran on.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DECIDING_STEPS, executionInput, MAX_RECOVERIES, NEXT_STEPS, WAIT_STEP, WAITS } from '../../shared/domain/lifecycle';
import { LIFECYCLE_PLACEHOLDERS } from '../../workflows/event-lifecycle';

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  ResultSelector?: Record<string, string>;
  ResultPath?: string;
  Retry?: { ErrorEquals: string[]; IntervalSeconds: number; MaxAttempts: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  Choices?: { Variable: string; StringEquals: string; Next: string }[];
  Default?: string;
  SecondsPath?: string;
  Next?: string;
  End?: boolean;
}

const text = readFileSync(fileURLToPath(new URL('../../workflows/event-lifecycle.asl.json', import.meta.url)), 'utf8');
const definition = JSON.parse(text) as { StartAt: string; States: Record<string, AslState> };
const states = definition.States;
const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
const waits = tasks.filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));
const calls = tasks.filter(([, state]) => !state.Resource?.endsWith('.waitForTaskToken'));
const choice = states['What next?']!;
const stateFor = (next: string) => choice.Choices!.find((entry) => entry.StringEquals === next)?.Next;

describe('event-lifecycle.asl.json against the core', () => {
  it('starts at Register', () => {
    expect(definition.StartAt).toBe('Register');
    expect(states.Register!.Parameters!.Payload).toMatchObject({ step: 'register' });
  });

  it('"What next?" has one branch per decision of the core (NEXT_STEPS) and no other; anything else waits and checks the case', () => {
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices!.every((entry) => entry.Variable === '$.decision.next')).toBe(true);
    expect(choice.Choices!.map((entry) => entry.StringEquals).sort()).toEqual([...NEXT_STEPS].sort());
    for (const entry of choice.Choices!) expect(states[entry.Next]).toBeDefined();
    // A decision of newer code (an action woke an older execution with it) is not a failure.
    expect(choice.Default).toBe('Unknown step: wait');
    expect(states['Unknown step: wait']).toEqual(
      expect.objectContaining({ Type: 'Wait', SecondsPath: '$.decision.timeoutSeconds', Next: 'Check the case' }),
    );
    // The one way to fail: a step that keeps failing past its retries (below).
    expect(Object.keys(states).filter((name) => states[name]!.Type === 'Fail')).toEqual(['Failed: a step keeps failing']);
  });

  it.each(tasks.map(([name]) => name))('Task "%s" catches every error after its retries and recovers (States.ALL, last)', (name) => {
    const state = states[name]!;
    expect(state.Catch!.at(-1)).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recover: count' });
    // A failed step is retried first (about a minute at most); the recovery's wait and fresh check handle what lasts.
    const taskFailed = state.Retry!.find((retry) => retry.ErrorEquals.includes('States.TaskFailed'));
    expect(taskFailed).toMatchObject({ IntervalSeconds: 5, MaxAttempts: 3 });
  });

  it(`a recovery counts itself in the state data, waits the input's recovery wait and checks the case; past ${MAX_RECOVERIES} it fails`, () => {
    expect(executionInput('E20261126-7K3M9Q', 60)).toMatchObject({ recovery: { count: 0, waitSeconds: 60 } });
    expect(states['Recover: count']).toEqual(
      expect.objectContaining({
        Type: 'Pass',
        Parameters: { 'count.$': 'States.MathAdd($.recovery.count, 1)', 'waitSeconds.$': '$.recovery.waitSeconds' },
        ResultPath: '$.recovery',
        Next: 'Recover again?',
      }),
    );
    expect(states['Recover again?']).toEqual(
      expect.objectContaining({
        Type: 'Choice',
        Choices: [{ Variable: '$.recovery.count', NumericGreaterThan: MAX_RECOVERIES, Next: 'Failed: a step keeps failing' }],
        Default: 'Recover: wait',
      }),
    );
    expect(states['Recover: wait']).toEqual(
      expect.objectContaining({ Type: 'Wait', SecondsPath: '$.recovery.waitSeconds', Next: 'Check the case' }),
    );
  });

  it('names its placeholders once (workflows/event-lifecycle.ts): the partition in every Task resource, the workflow-step function', () => {
    expect([...new Set(text.match(/\$\{\w+\}/g))].sort()).toEqual(
      Object.values(LIFECYCLE_PLACEHOLDERS)
        .map((name) => `\${${name}}`)
        .sort(),
    );
    for (const [, state] of tasks) expect(state.Resource).toMatch(/^arn:\$\{Partition\}:states:::lambda:invoke(\.waitForTaskToken)?$/);
    expect(text).not.toContain('arn:aws:');
  });

  it.each([
    ['await_acceptance', 'acceptance'],
    ['await_dispatch', 'dispatch'],
    ['handle', 'handling'],
    ['await_meeting', 'meeting'],
    ['verify', 'verification'],
    ['await_rating', 'rating'],
  ])('%s goes to a wait for %s', (next, waiting) => {
    const state = states[stateFor(next)!]!;
    expect(state.Resource).toBe('arn:${Partition}:states:::lambda:invoke.waitForTaskToken');
    // The version the wait was decided on: the dispatch stores its token without reading the case again.
    expect(state.Parameters!.Payload).toMatchObject({
      step: 'await',
      waitingFor: waiting,
      'taskToken.$': '$$.Task.Token',
      'version.$': '$.decision.version',
    });
  });

  it('each wait is reached by the decision the contract names for it (WAIT_STEP)', () => {
    for (const [waiting, next] of Object.entries(WAIT_STEP))
      expect(states[stateFor(next)!]!.Parameters!.Payload).toMatchObject({ waitingFor: waiting });
  });

  it('every Task calls a step the workflow-step function takes (DECIDING_STEPS, or await)', () => {
    for (const [, state] of tasks) expect([...DECIDING_STEPS, 'await']).toContain(state.Parameters!.Payload!.step);
  });

  it('has exactly one wait state per thing the core waits for (WAITS)', () => {
    expect(waits.map(([, state]) => state.Parameters!.Payload!.waitingFor).sort()).toEqual([...WAITS].sort());
  });

  it.each([
    ['route', 'Route', 'route'],
    ['feedback', 'Feed back', 'feedback'],
    ['archive', 'Archive', 'archive'],
    ['continue', 'Continue in a new execution', 'continue'],
  ])('%s goes to "%s", which calls the %s step', (next, name, step) => {
    expect(stateFor(next)).toBe(name);
    expect(states[name]!.Parameters!.Payload).toMatchObject({ step });
  });

  it('done ends the execution successfully', () => {
    expect(states[stateFor('done')!]).toMatchObject({ Type: 'Succeed' });
  });

  it.each(tasks.map(([name]) => name))(
    'Task "%s" calls the workflow-step function with the event id and the rounds so far, and has a timeout',
    (name) => {
      const state = states[name]!;
      expect(state.Parameters!.FunctionName).toBe('${WorkflowStepFunctionArn}');
      expect(state.Parameters!.Payload).toMatchObject({ 'eventId.$': '$.eventId', 'loops.$': '$.decision.loops' });
      expect(state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined).toBe(true);
    },
  );

  it.each(calls.map(([name]) => name))('step "%s" puts its decision {next, timeoutSeconds, loops, version} at $.decision', (name) => {
    const state = states[name]!;
    expect(state.TimeoutSeconds).toBeGreaterThan(0);
    expect(state.ResultSelector).toEqual({
      'next.$': '$.Payload.next',
      'timeoutSeconds.$': '$.Payload.timeoutSeconds',
      'loops.$': '$.Payload.loops',
      'version.$': '$.Payload.version',
    });
    expect(state.ResultPath).toBe('$.decision');
  });

  it.each(waits.map(([name]) => name))(
    'wait "%s": waits the decision’s time; its success is the next decision; its timeout checks the case and keeps the decision',
    (name) => {
      const state = states[name]!;
      expect(state.TimeoutSecondsPath).toBe('$.decision.timeoutSeconds');
      expect(state.ResultSelector).toBeUndefined();
      expect(state.ResultPath).toBe('$.decision');
      expect(state.Next).toBe('What next?');
      expect(state.Catch).toEqual([
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.wake', Next: 'Check the case' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recover: count' },
      ]);
    },
  );

  it('Check the case calls the advance step and decides again', () => {
    expect(states['Check the case']).toMatchObject({ Type: 'Task', Next: 'What next?', Parameters: { Payload: { step: 'advance' } } });
  });

  it('Archive and Continue in a new execution pass the execution’s own name (the next generation follows from it)', () => {
    for (const name of ['Archive', 'Continue in a new execution'])
      expect(states[name]!.Parameters!.Payload).toMatchObject({ 'execution.$': '$$.Execution.Name' });
  });

  it('Archive and Continue in a new execution end the execution', () => {
    expect(states.Archive).toMatchObject({ End: true });
    expect(states['Continue in a new execution']).toMatchObject({ End: true });
    expect(states.Archive!.Next).toBeUndefined();
  });

  it('stays in the subset the local engine runs: JSONPath only, no Assign, no IsPresent', () => {
    expect(text).not.toMatch(/JSONata|"Assign"|"Arguments"|IsPresent/);
  });
});
