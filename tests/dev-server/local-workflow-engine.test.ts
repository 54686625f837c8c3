import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  LocalWorkflowEngine,
  TaskTokenInvalid,
  type LocalTaskFunction,
  type LocalWorkflowEngineOptions,
} from '../../dev-server/step-functions/local-workflow-engine';
import { executionInput } from '../../shared/domain/lifecycle';
import { localLifecycleSubstitutions } from '../../workflows/event-lifecycle';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

let engines: LocalWorkflowEngine[] = [];
function createEngine(options: LocalWorkflowEngineOptions): LocalWorkflowEngine {
  const engine = new LocalWorkflowEngine(options);
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.stop()));
  engines = [];
});

/** Collects values pushed by fake functions; next() waits for the next one. */
function inbox<T>() {
  const queued: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  return {
    push(value: T) {
      const waiter = waiting.shift();
      if (waiter) waiter(value);
      else queued.push(value);
    },
    next(): Promise<T> {
      const value = queued.shift();
      if (value !== undefined) return Promise.resolve(value);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

interface WaitingPayload {
  caseId: string;
  taskToken: string;
}

/** One waiting task whose outcome lands in a Pass state naming it. */
const waitingMachine = {
  StartAt: 'Wait for the case',
  States: {
    'Wait for the case': {
      Type: 'Task',
      Resource: LAMBDA_INVOKE_WAIT,
      Parameters: {
        FunctionName: 'notify',
        Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
      },
      // Resolved against the state input, not against Parameters (which lack it).
      TimeoutSecondsPath: '$.timeoutSeconds',
      ResultPath: '$.wake',
      Catch: [
        { ErrorEquals: ['Case.Voided'], ResultPath: '$.failure', Next: 'Voided' },
        // As on AWS, States.TaskFailed must not swallow States.Timeout.
        { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Task failed' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Timed out' },
      ],
      Next: 'Woken',
    },
    Woken: { Type: 'Pass', Result: 'woken', ResultPath: '$.ending', End: true },
    Voided: { Type: 'Pass', Result: 'voided', ResultPath: '$.ending', End: true },
    'Task failed': { Type: 'Pass', Result: 'task failed', ResultPath: '$.ending', End: true },
    'Timed out': { Type: 'Pass', Result: 'timed out', ResultPath: '$.ending', End: true },
  },
};

function waitingEngine(notify?: LocalTaskFunction) {
  const dispatched = inbox<WaitingPayload>();
  const engine = createEngine({
    definition: waitingMachine,
    functions: {
      notify:
        notify ??
        (async (payload: WaitingPayload) => {
          dispatched.push(payload);
          return { ignored: true };
        }),
    },
  });
  return { engine, dispatched };
}

describe('LocalWorkflowEngine: lambda:invoke', () => {
  it('calls the function with the payload and returns { Payload } for ResultSelector/ResultPath', async () => {
    const received: unknown[] = [];
    const engine = createEngine({
      definition: {
        StartAt: 'Score',
        States: {
          Score: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE,
            Parameters: { FunctionName: '${ScoreFunction}', Payload: { 'n.$': '$.n', fixed: 'x' } },
            TimeoutSeconds: 2,
            ResultPath: '$.raw',
            Next: 'Select',
          },
          Select: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE,
            Parameters: { FunctionName: 'score-fn', Payload: { 'n.$': '$.n' } },
            TimeoutSeconds: 2,
            ResultSelector: { 'double.$': '$.Payload.double' },
            ResultPath: '$.selected',
            End: true,
          },
        },
      },
      substitutions: { ScoreFunction: 'score-fn' },
      functions: {
        'score-fn': async (payload: { n: number }) => {
          received.push(payload);
          return { double: payload.n * 2 };
        },
      },
    });

    await expect(engine.start('plain', { n: 21 })).resolves.toEqual({ alreadyRunning: false });
    const result = await engine.result('plain');

    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: { n: 21, raw: { Payload: { double: 42 } }, selected: { double: 42 } },
    });
    expect(received).toEqual([{ n: 21, fixed: 'x' }, { n: 21 }]);
    expect(engine.transitions('plain')).toBe(2);
    expect(engine.isRunning('plain')).toBe(false);
  });

  it('surfaces a thrown error by its name, with the Lambda error JSON as Cause', async () => {
    class CaseNotFound extends Error {
      override name = 'CaseNotFound';
    }
    const engine = createEngine({
      definition: {
        StartAt: 'Load',
        States: {
          Load: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE,
            Parameters: { FunctionName: 'load', Payload: {} },
            TimeoutSeconds: 2,
            Catch: [{ ErrorEquals: ['CaseNotFound'], ResultPath: '$.error', Next: 'Missing' }],
            End: true,
          },
          Missing: { Type: 'Succeed' },
        },
      },
      functions: {
        load: async () => {
          throw new CaseNotFound('no case E9');
        },
      },
    });

    await engine.start('throws', {});
    const result = await engine.result('throws');

    const output = result.output as { error: { Error: string; Cause: string } };
    expect(result.status).toBe('SUCCEEDED');
    expect(output.error.Error).toBe('CaseNotFound');
    expect(JSON.parse(output.error.Cause)).toMatchObject({ errorType: 'CaseNotFound', errorMessage: 'no case E9' });
  });

  it('fails the execution with Lambda.ResourceNotFoundException for an unknown FunctionName', async () => {
    const engine = createEngine({
      definition: {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE,
            Parameters: { FunctionName: 'nobody', Payload: {} },
            TimeoutSeconds: 2,
            End: true,
          },
        },
      },
      functions: {},
    });

    await engine.start('unknown-fn', {});
    const result = await engine.result('unknown-fn');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Lambda.ResourceNotFoundException');
    expect(result.cause).toContain("'nobody'");
  });

  it('accepts Retry with JitterStrategy and counts each retry as a transition', async () => {
    let calls = 0;
    const engine = createEngine({
      definition: {
        StartAt: 'Flaky',
        States: {
          Flaky: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE,
            Parameters: { FunctionName: 'flaky', Payload: {} },
            TimeoutSeconds: 2,
            Retry: [
              {
                ErrorEquals: ['Lambda.TooManyRequestsException'],
                IntervalSeconds: 1,
                MaxAttempts: 3,
                BackoffRate: 1,
                MaxDelaySeconds: 1,
                JitterStrategy: 'FULL',
              },
            ],
            ResultSelector: { 'calls.$': '$.Payload.calls' },
            End: true,
          },
        },
      },
      functions: {
        flaky: async () => {
          calls += 1;
          if (calls < 3) {
            const throttled = new Error('Rate exceeded');
            throttled.name = 'Lambda.TooManyRequestsException';
            throw throttled;
          }
          return { calls };
        },
      },
    });

    await engine.start('flaky', {});

    expect(await engine.result('flaky')).toEqual({ status: 'SUCCEEDED', output: { calls: 3 } });
    expect(engine.transitions('flaky')).toBe(3); // entered once, retried twice
  });
});

describe('LocalWorkflowEngine: lambda:invoke.waitForTaskToken', () => {
  it('dispatches a fresh token and continues with the output of sendTaskSuccess', async () => {
    const { engine, dispatched } = waitingEngine();

    await engine.start('case-1', { caseId: 'E1', timeoutSeconds: 30 });
    const { caseId, taskToken } = await dispatched.next();

    expect(caseId).toBe('E1');
    expect(taskToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(engine.isRunning('case-1')).toBe(true);

    await engine.sendTaskSuccess(taskToken, { action: 'completed' });
    const result = await engine.result('case-1');

    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: { caseId: 'E1', timeoutSeconds: 30, wake: { action: 'completed' }, ending: 'woken' },
    });
    expect(engine.transitions('case-1')).toBe(2);
  });

  it('routes sendTaskFailure to the matching Catch with its error and cause', async () => {
    const { engine, dispatched } = waitingEngine();

    await engine.start('case-2', { caseId: 'E2', timeoutSeconds: 30 });
    const { taskToken } = await dispatched.next();
    await engine.sendTaskFailure(taskToken, 'Case.Voided', 'voided by the station');
    const result = await engine.result('case-2');

    expect(result.output).toMatchObject({
      failure: { Error: 'Case.Voided', Cause: 'voided by the station' },
      ending: 'voided',
    });
  });

  it('times out into Catch States.Timeout (not States.TaskFailed) and then rejects the token', async () => {
    const { engine, dispatched } = waitingEngine();

    await engine.start('case-3', { caseId: 'E3', timeoutSeconds: 1 });
    const { taskToken } = await dispatched.next();
    const result = await engine.result('case-3');

    expect(result.output).toMatchObject({ failure: { Error: 'States.Timeout' }, ending: 'timed out' });
    await expect(engine.sendTaskSuccess(taskToken, {})).rejects.toBeInstanceOf(TaskTokenInvalid);
  });

  it('waits on a timeout beyond the ~24.8-day Node timer range instead of timing out at once', async () => {
    const { engine, dispatched } = waitingEngine();

    await engine.start('case-30-days', { caseId: 'E30', timeoutSeconds: 30 * 24 * 3600 });
    const { taskToken } = await dispatched.next();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(engine.isRunning('case-30-days')).toBe(true);
    await engine.sendTaskSuccess(taskToken, {});
    expect((await engine.result('case-30-days')).output).toMatchObject({ ending: 'woken' });
  });

  it('fails with States.Runtime, without dispatching, when TimeoutSecondsPath is not a positive integer', async () => {
    let dispatches = 0;
    const { engine } = waitingEngine(async () => {
      dispatches += 1;
    });

    await engine.start('case-bad-timeout', { caseId: 'E0', timeoutSeconds: 0 });
    const result = await engine.result('case-bad-timeout');

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('TimeoutSecondsPath evaluated to 0');
    expect(dispatches).toBe(0);
  });

  it('accepts a token once only', async () => {
    const { engine, dispatched } = waitingEngine();

    await engine.start('case-4', { caseId: 'E4', timeoutSeconds: 30 });
    const { taskToken } = await dispatched.next();
    await engine.sendTaskSuccess(taskToken, { first: true });

    const secondUse = engine.sendTaskSuccess(taskToken, { second: true });
    await expect(secondUse).rejects.toBeInstanceOf(TaskTokenInvalid);
    await expect(secondUse).rejects.toMatchObject({ name: 'TaskTokenInvalid' });
    await expect(engine.sendTaskFailure(taskToken, 'Late')).rejects.toBeInstanceOf(TaskTokenInvalid);
    await expect(engine.sendTaskSuccess('made-up-token', {})).rejects.toBeInstanceOf(TaskTokenInvalid);
    expect((await engine.result('case-4')).output).toMatchObject({ wake: { first: true } });
  });

  it('takes a success sent by the dispatching function itself before it returns', async () => {
    let engine!: LocalWorkflowEngine;
    ({ engine } = waitingEngine(async (payload: WaitingPayload) => {
      // The awaited thing has already happened: answer at once, from inside the dispatch.
      await engine.sendTaskSuccess(payload.taskToken, { alreadyDone: true });
      return 'ignored';
    }));

    await engine.start('case-5', { caseId: 'E5', timeoutSeconds: 30 });

    expect((await engine.result('case-5')).output).toMatchObject({ wake: { alreadyDone: true }, ending: 'woken' });
  });

  it('fails the task when the dispatching function throws', async () => {
    const { engine } = waitingEngine(async () => {
      throw new TypeError('bad payload');
    });

    await engine.start('case-6', { caseId: 'E6', timeoutSeconds: 30 });

    expect((await engine.result('case-6')).output).toMatchObject({
      failure: { Error: 'TypeError' },
      ending: 'task failed',
    });
  });
});

describe('LocalWorkflowEngine: parked waits', () => {
  it('retries a waiting task whose dispatch failed, dispatching a fresh token, and counts the retry', async () => {
    const tokens: string[] = [];
    const engine = createEngine({
      definition: {
        StartAt: 'Wait',
        States: {
          Wait: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE_WAIT,
            Parameters: { FunctionName: 'notify', Payload: { 'taskToken.$': '$$.Task.Token' } },
            Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
            ResultSelector: { 'answer.$': '$.answer' },
            ResultPath: '$.woken',
            End: true,
          },
        },
      },
      functions: {
        notify: async ({ taskToken }: { taskToken: string }) => {
          tokens.push(taskToken);
          if (tokens.length === 1) throw new Error('SMS gateway down');
          setTimeout(() => void engine.sendTaskSuccess(taskToken, { answer: 42, extra: 'dropped' }), 10);
        },
      },
    });

    await engine.start('retried', { caseId: 'R1' });

    expect(await engine.result('retried')).toEqual({ status: 'SUCCEEDED', output: { caseId: 'R1', woken: { answer: 42 } } });
    expect(new Set(tokens).size).toBe(2);
    expect(engine.transitions('retried')).toBe(2); // entered once, retried once
  });

  it('waits twice in the same state, each time with a fresh token and the rounds carried through', async () => {
    const dispatched = inbox<{ round: number; taskToken: string }>();
    const engine = createEngine({
      definition: {
        StartAt: 'Wait',
        States: {
          Wait: {
            Type: 'Task',
            Resource: LAMBDA_INVOKE_WAIT,
            Parameters: { FunctionName: 'notify', Payload: { 'round.$': '$.round', 'taskToken.$': '$$.Task.Token' } },
            ResultPath: '$.round',
            Next: 'Again?',
          },
          'Again?': { Type: 'Choice', Choices: [{ Variable: '$.round', NumericLessThan: 3, Next: 'Wait' }], Default: 'Done' },
          Done: { Type: 'Succeed' },
        },
      },
      functions: { notify: async (payload: { round: number; taskToken: string }) => dispatched.push(payload) },
    });

    await engine.start('rounds', { round: 1 });
    const first = await dispatched.next();
    await engine.sendTaskSuccess(first.taskToken, 2);
    const second = await dispatched.next();
    await engine.sendTaskSuccess(second.taskToken, 3);

    expect([first.round, second.round]).toEqual([1, 2]);
    expect(second.taskToken).not.toBe(first.taskToken);
    expect(await engine.result('rounds')).toEqual({ status: 'SUCCEEDED', output: { round: 3 } });
    expect(engine.transitions('rounds')).toBe(5); // Wait, Again?, Wait, Again?, Done
  });

  it("keeps the state machine's TimeoutSeconds across a wait", async () => {
    const dispatched = inbox<WaitingPayload>();
    const engine = createEngine({
      definition: { ...waitingMachine, TimeoutSeconds: 1 },
      functions: { notify: async (payload: WaitingPayload) => dispatched.push(payload) },
    });

    await engine.start('overall-timeout', { caseId: 'T1', timeoutSeconds: 30 });
    const { taskToken } = await dispatched.next();

    expect(await engine.result('overall-timeout')).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(engine.sendTaskSuccess(taskToken, {})).rejects.toBeInstanceOf(TaskTokenInvalid);
  });

  it('waits on a task inside a Parallel branch within the run', async () => {
    const dispatched = inbox<WaitingPayload>();
    const engine = createEngine({
      definition: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Wait in branch',
                States: {
                  'Wait in branch': { ...waitingMachine.States['Wait for the case'], Catch: undefined, Next: undefined, End: true },
                },
              },
              { StartAt: 'Other branch', States: { 'Other branch': { Type: 'Pass', Result: 'other', End: true } } },
            ],
            End: true,
          },
        },
      },
      functions: { notify: async (payload: WaitingPayload) => dispatched.push(payload) },
    });

    await engine.start('parallel', { caseId: 'P1', timeoutSeconds: 30 });
    const { taskToken } = await dispatched.next();
    await engine.sendTaskSuccess(taskToken, 'answered');

    expect(await engine.result('parallel')).toEqual({
      status: 'SUCCEEDED',
      output: [{ caseId: 'P1', timeoutSeconds: 30, wake: 'answered' }, 'other'],
    });
  });
});

describe('LocalWorkflowEngine: executions', () => {
  it('starts at most one running execution per name, and allows the name again once it ended', async () => {
    const { engine, dispatched } = waitingEngine();

    expect(await engine.start('case-7', { caseId: 'E7', timeoutSeconds: 30 })).toEqual({ alreadyRunning: false });
    expect(await engine.start('case-7', { caseId: 'E7', timeoutSeconds: 30 })).toEqual({ alreadyRunning: true });
    expect(engine.runningExecutions()).toEqual(['case-7']);

    const { taskToken } = await dispatched.next();
    await engine.sendTaskSuccess(taskToken, {});
    await engine.result('case-7');
    expect(engine.runningExecutions()).toEqual([]);
    expect(engine.transitions('case-7')).toBe(2); // kept after the end

    expect(await engine.start('case-7', { caseId: 'E7', timeoutSeconds: 30 })).toEqual({ alreadyRunning: false });
    await dispatched.next();
  });

  it('stop() aborts waiting, sleeping and busy executions and invalidates their tokens', async () => {
    let slowCallFinished = false;
    const slowCallStarted = inbox<true>();
    const dispatched = inbox<WaitingPayload>();
    const engine = createEngine({
      definition: {
        StartAt: 'Which?',
        States: {
          'Which?': {
            Type: 'Choice',
            Choices: [
              { Variable: '$.mode', StringEquals: 'wait', Next: 'Wait for the case' },
              { Variable: '$.mode', StringEquals: 'sleep', Next: 'Sleep' },
            ],
            Default: 'Slow call',
          },
          'Wait for the case': {
            Type: 'Task',
            Resource: LAMBDA_INVOKE_WAIT,
            Parameters: { FunctionName: 'notify', Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' } },
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }],
            End: true,
          },
          Sleep: { Type: 'Wait', Seconds: 3600, End: true },
          'Slow call': {
            Type: 'Task',
            Resource: LAMBDA_INVOKE,
            Parameters: { FunctionName: 'slow', Payload: {} },
            End: true,
          },
        },
      },
      functions: {
        notify: async (payload: WaitingPayload) => dispatched.push(payload),
        slow: async () => {
          slowCallStarted.push(true);
          await new Promise((resolve) => setTimeout(resolve, 100));
          slowCallFinished = true;
          return {};
        },
      },
    });

    await engine.start('waiting', { mode: 'wait', caseId: 'E8' });
    await engine.start('sleeping', { mode: 'sleep' });
    await engine.start('busy', { mode: 'call' });
    const { taskToken } = await dispatched.next();
    await slowCallStarted.next();
    expect(engine.runningExecutions().sort()).toEqual(['busy', 'sleeping', 'waiting']);

    await engine.stop();

    expect(engine.runningExecutions()).toEqual([]);
    for (const name of ['waiting', 'sleeping', 'busy']) {
      expect(await engine.result(name)).toEqual({ status: 'ABORTED' });
    }
    expect(slowCallFinished).toBe(true);
    await expect(engine.sendTaskSuccess(taskToken, {})).rejects.toBeInstanceOf(TaskTokenInvalid);
  });

  it('rejects definitions it cannot run faithfully', () => {
    const task = (resource: string) => ({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: resource, Parameters: { FunctionName: '${Missing}' }, End: true } },
    });
    expect(() => new LocalWorkflowEngine({ definition: task(LAMBDA_INVOKE), functions: {} })).toThrow(
      /placeholders without substitutions: \$\{Missing\}/,
    );
    expect(
      () =>
        new LocalWorkflowEngine({
          definition: task('arn:aws:states:::sns:publish'),
          substitutions: { Missing: 'x' },
          functions: {},
        }),
    ).toThrow(/sns:publish/);
  });

  it('reports an unknown execution name from result()', async () => {
    const { engine } = waitingEngine();
    await expect(engine.result('never-started')).rejects.toThrow(/never-started/);
  });
});

describe('LocalWorkflowEngine: workflows/event-lifecycle.asl.json', () => {
  const definition = readFileSync(fileURLToPath(new URL('../../workflows/event-lifecycle.asl.json', import.meta.url)), 'utf8');

  interface StepPayload {
    step: string;
    eventId: string;
    loops: number;
    version?: number;
    waitingFor?: string;
    taskToken?: string;
  }

  /**
   * A fake workflow-step function: each step answers from a fixed table with a decision `{next,
   * timeoutSeconds, loops}`, counting one more round than it was given, like decide() does. A wait
   * dispatch (`await`) only parks its token; the test wakes it.
   */
  function lifecycleEngine(decisions: Record<string, { next: string; timeoutSeconds?: number }>) {
    const calls: StepPayload[] = [];
    const path: string[] = [];
    const awaits = inbox<{ waitingFor: string; taskToken: string; loops: number }>();
    const engine = createEngine({
      definition,
      substitutions: localLifecycleSubstitutions(),
      functions: {
        'workflow-step': async (payload: StepPayload) => {
          calls.push(payload);
          if (payload.step === 'await') {
            awaits.push({ waitingFor: payload.waitingFor!, taskToken: payload.taskToken!, loops: payload.loops });
            return {};
          }
          const decision = decisions[payload.step];
          if (!decision) throw new Error(`test setup: no decision for step ${payload.step}`);
          return {
            next: decision.next,
            timeoutSeconds: decision.timeoutSeconds ?? 1,
            loops: payload.loops + 1,
            version: payload.loops + 2,
          };
        },
      },
      onTransition: (_executionName, stateName) => path.push(stateName),
    });
    return { engine, calls, path, awaits, steps: () => calls.map((call) => call.step) };
  }

  /** What the execution starts with (shared/domain/lifecycle.ts): Register, no rounds counted. */
  const startInput = (eventId: string) => executionInput(eventId);

  it('starts from executionInput: {eventId, decision: register, 0 loops, no recovery yet}', () => {
    expect(startInput('EV-0')).toEqual({
      eventId: 'EV-0',
      decision: { next: 'register', timeoutSeconds: 1, loops: 0, version: 0 },
      recovery: { count: 0, waitSeconds: 300 },
    });
  });

  it('runs register → route → handle (woken with the next decision) → feed back → archive, and ends at Archive', async () => {
    const { engine, calls, path, awaits, steps } = lifecycleEngine({
      register: { next: 'route' },
      route: { next: 'handle', timeoutSeconds: 30 },
      feedback: { next: 'archive' },
      archive: { next: 'done' },
    });

    await engine.start('EV-1', startInput('EV-1'));
    const { waitingFor, taskToken, loops } = await awaits.next();
    expect(waitingFor).toBe('handling');
    expect(loops).toBe(2);
    // An action wakes the wait with the next decision (what decide() returns), which lands at $.decision.
    await engine.sendTaskSuccess(taskToken, { next: 'feedback', timeoutSeconds: 5, loops: 3, version: 4 });
    const result = await engine.result('EV-1');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({
      eventId: 'EV-1',
      decision: { next: 'done', timeoutSeconds: 1, loops: 5, version: 6 },
      recovery: { count: 0, waitSeconds: 300 },
    });
    // The wait is dispatched with the version its decision was made on.
    expect(calls.find((call) => call.step === 'await')).toMatchObject({ version: 3 });
    expect(steps()).toEqual(['register', 'route', 'await', 'feedback', 'archive']);
    // Every Task hands the round count on; each step answers with one more.
    expect(calls.map((call) => call.loops)).toEqual([0, 1, 2, 3, 4]);
    expect(calls.every((call) => call.eventId === 'EV-1')).toBe(true);
    expect(path).toEqual(['Register', 'What next?', 'Route', 'What next?', 'Handle', 'What next?', 'Feed back', 'What next?', 'Archive']);
    expect(engine.transitions('EV-1')).toBe(9);
  });

  it('takes the TimeoutSecondsPath from the decision and checks the case after the acceptance deadline, keeping the rounds', async () => {
    const { engine, calls, path, awaits, steps } = lifecycleEngine({
      register: { next: 'await_acceptance', timeoutSeconds: 1 },
      advance: { next: 'done' },
    });

    await engine.start('EV-2', startInput('EV-2'));
    const { waitingFor, taskToken } = await awaits.next();
    const result = await engine.result('EV-2');

    expect(waitingFor).toBe('acceptance');
    expect(result.status).toBe('SUCCEEDED');
    // The timeout lands at $.wake; $.decision still holds the decision the wait ran on, so its rounds go on.
    expect(result.output).toMatchObject({
      eventId: 'EV-2',
      wake: { Error: 'States.Timeout' },
      decision: { next: 'done', timeoutSeconds: 1, loops: 2 },
    });
    expect(steps()).toEqual(['register', 'await', 'advance']);
    expect(calls.map((call) => call.loops)).toEqual([0, 1, 1]);
    expect(path).toEqual(['Register', 'What next?', 'Await acceptance', 'Check the case', 'What next?', 'Done']);
    expect(engine.transitions('EV-2')).toBe(6);
    await expect(engine.sendTaskSuccess(taskToken, {})).rejects.toBeInstanceOf(TaskTokenInvalid);
  });

  it('each wait waits in its state for its thing; a wake-up goes straight to the decision it carries', async () => {
    const waits = [
      ['await_acceptance', 'Await acceptance', 'acceptance'],
      ['await_dispatch', 'Await dispatch', 'dispatch'],
      ['handle', 'Handle', 'handling'],
      ['await_meeting', 'Await joint meeting', 'meeting'],
      ['verify', 'Verify', 'verification'],
      ['await_rating', 'Await rating', 'rating'],
    ] as const;
    // One engine (the definition is validated once), one execution per wait, named by its decision.
    const paths = new Map<string, string[]>();
    const parked = new Map<string, { waitingFor: string; taskToken: string; loops: number }>();
    const allParked = inbox<true>();
    const engine = createEngine({
      definition,
      substitutions: localLifecycleSubstitutions(),
      functions: {
        'workflow-step': async (payload: StepPayload) => {
          if (payload.step === 'register')
            return { next: payload.eventId.slice(3), timeoutSeconds: 30, loops: payload.loops + 1, version: 2 };
          if (payload.step !== 'await') throw new Error(`unexpected step ${payload.step}`);
          parked.set(payload.eventId, { waitingFor: payload.waitingFor!, taskToken: payload.taskToken!, loops: payload.loops });
          if (parked.size === waits.length) allParked.push(true);
          return {};
        },
      },
      onTransition: (name, state) => paths.set(name, [...(paths.get(name) ?? []), state]),
    });

    for (const [next] of waits) await engine.start(`EV-${next}`, startInput(`EV-${next}`));
    await allParked.next();
    for (const [next, , waiting] of waits) {
      expect([next, parked.get(`EV-${next}`)]).toEqual([next, expect.objectContaining({ waitingFor: waiting, loops: 1 })]);
      await engine.sendTaskSuccess(parked.get(`EV-${next}`)!.taskToken, { next: 'done', timeoutSeconds: 1, loops: 2, version: 3 });
    }
    for (const [next, state] of waits) {
      expect(await engine.result(`EV-${next}`)).toEqual({
        status: 'SUCCEEDED',
        output: {
          eventId: `EV-${next}`,
          decision: { next: 'done', timeoutSeconds: 1, loops: 2, version: 3 },
          recovery: { count: 0, waitSeconds: 300 },
        },
      });
      expect(paths.get(`EV-${next}`)).toEqual(['Register', 'What next?', state, 'What next?', 'Done']);
    }
  });

  it('continues in a new execution past the bound: the continue step runs and the execution ends there', async () => {
    const { engine, path, steps } = lifecycleEngine({
      register: { next: 'continue' },
      continue: { next: 'done' },
    });

    await engine.start('EV-3', startInput('EV-3'));
    const result = await engine.result('EV-3');

    expect(result.status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['register', 'continue']);
    expect(path).toEqual(['Register', 'What next?', 'Continue in a new execution']);
  });

  it('ends at Archive whatever the archive step answers', async () => {
    const { engine, path, steps } = lifecycleEngine({
      register: { next: 'archive' },
      archive: { next: 'route' },
    });

    await engine.start('EV-4', startInput('EV-4'));
    expect((await engine.result('EV-4')).status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['register', 'archive']);
    expect(path.at(-1)).toBe('Archive');
  });

  it('does not fail on a step the definition does not have (newer code decided it): it waits the decision’s time and checks the case', async () => {
    const { engine, path, steps, calls } = lifecycleEngine({
      register: { next: 'teleport', timeoutSeconds: 1 },
      advance: { next: 'done' },
    });

    await engine.start('EV-5', startInput('EV-5'));
    const result = await engine.result('EV-5');

    expect(result.status).toBe('SUCCEEDED');
    expect(path).toEqual(['Register', 'What next?', 'Unknown step: wait', 'Check the case', 'What next?', 'Done']);
    // The check is this execution's own workflow-step, with the rounds handed on.
    expect(steps()).toEqual(['register', 'advance']);
    expect(calls.map((call) => call.loops)).toEqual([0, 1]);
  });
});
