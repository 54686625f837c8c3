/**
 * The clock tests drive (dev-server/adapters/driven-clock.ts): time moves only when told, and moving it fires
 * what falls due on the way, in time order, each at its own moment, waiting for the work it started — here on
 * its own and with the local Step Functions engine's task timeouts and execution limits armed on it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { MemoryExecutionStore } from '../../dev-server/step-functions/execution-store';
import { LocalWorkflowEngine, type LocalWorkflowEngineOptions } from '../../dev-server/step-functions/local-workflow-engine';

const START = new Date('2026-11-23T01:00:00.000Z');
const HOUR = 3600_000;

describe('DrivenClock', () => {
  it('stands still until advanced', async () => {
    const clock = new DrivenClock(START);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toEqual(START);
    await clock.advance(HOUR);
    expect(clock.now()).toEqual(new Date(START.getTime() + HOUR));
    expect(clock.timerNow()).toBe(START.getTime() + HOUR);
  });

  it('fires what falls due on the way in time order, each at its own moment, and nothing later', async () => {
    const clock = new DrivenClock(START);
    const fired: [string, number][] = [];
    const record = (name: string) => () => fired.push([name, clock.now().getTime() - START.getTime()]);
    clock.after(3 * HOUR, record('three hours'));
    clock.after(HOUR, record('one hour'));
    clock.after(HOUR, record('one hour, armed second'));
    clock.after(5 * HOUR, record('five hours'));
    clock.after(2 * HOUR, record('cancelled')).cancel();

    await clock.advanceTo(new Date(START.getTime() + 3 * HOUR));
    expect(fired).toEqual([
      ['one hour', HOUR],
      ['one hour, armed second', HOUR],
      ['three hours', 3 * HOUR],
    ]);
    expect(clock.now().getTime() - START.getTime()).toBe(3 * HOUR);
  });

  it('fires, in the same move, the timers that fired timers arm within it', async () => {
    const clock = new DrivenClock(START);
    const ticks: number[] = [];
    const tick = () => {
      ticks.push((clock.now().getTime() - START.getTime()) / HOUR);
      clock.after(HOUR, tick);
    };
    clock.after(HOUR, tick);
    await clock.advance(4.5 * HOUR);
    expect(ticks).toEqual([1, 2, 3, 4]);
  });

  it('waits for the work a fired timer started, and for what the platform names', async () => {
    const clock = new DrivenClock(START);
    const done: string[] = [];
    let platformBusy: Promise<void> = Promise.resolve();
    clock.settlesWith(() => platformBusy);
    clock.after(HOUR, async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      done.push('timer work');
      platformBusy = new Promise((resolve) => setTimeout(resolve, 30)).then(() => {
        done.push('platform work');
      });
    });
    await clock.advance(HOUR);
    expect(done).toEqual(['timer work', 'platform work']);
  });

  it('refuses to go back, and passes on what a fired timer failed with', async () => {
    const clock = new DrivenClock(START);
    await expect(clock.advanceTo(new Date(START.getTime() - 1))).rejects.toThrow(/cannot go back/);
    clock.after(HOUR, () => Promise.reject(new Error('the job failed')));
    await expect(clock.advance(HOUR)).rejects.toThrow('the job failed');
    // The clock still moves afterwards.
    await clock.advance(HOUR);
    expect(clock.now().getTime() - START.getTime()).toBe(2 * HOUR);
  });
});

describe('the local Step Functions engine on a driven clock', () => {
  let engines: LocalWorkflowEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.stop()));
    engines = [];
  });

  function drivenEngine(definition: object, { clock = new DrivenClock(START), store = new MemoryExecutionStore() } = {}) {
    const tokens: string[] = [];
    const options: LocalWorkflowEngineOptions = {
      definition,
      functions: { notify: async (payload: { taskToken: string }) => tokens.push(payload.taskToken) },
      clock,
      timers: clock,
      store,
    };
    const engine = new LocalWorkflowEngine(options);
    engines.push(engine);
    clock.settlesWith(() => engine.idle());
    return { clock, engine, tokens };
  }

  const waitingTask = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: 'notify', Payload: { 'taskToken.$': '$$.Task.Token' } },
    TimeoutSecondsPath: '$.timeoutSeconds',
    ResultPath: '$.wake',
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Timed out' }],
    Next: 'Woken',
  };
  const machine = {
    StartAt: 'Wait for the case',
    States: {
      'Wait for the case': waitingTask,
      Woken: { Type: 'Pass', Result: 'woken', ResultPath: '$.ending', End: true },
      'Timed out': { Type: 'Pass', Result: 'timed out', ResultPath: '$.ending', End: true },
    },
  };

  it("times a waiting task out exactly when the clock reaches its timeout, not a second before (an hour's wait, no wall time)", async () => {
    const { clock, engine, tokens } = drivenEngine(machine);
    await engine.start('an hour', { timeoutSeconds: 3600 });
    await clock.settled();
    expect(tokens).toHaveLength(1);

    await clock.advance(HOUR - 1000);
    expect(engine.isRunning('an hour')).toBe(true);
    await clock.advance(1000);
    expect(engine.isRunning('an hour')).toBe(false);
    expect(await engine.result('an hour')).toMatchObject({ status: 'SUCCEEDED', output: { ending: 'timed out' } });
    const history = (await engine.history('an hour')) ?? [];
    expect(history.find((event) => event.type === 'TaskTimedOut')?.timestamp).toBe(new Date(START.getTime() + HOUR).toISOString());
  });

  it("ends an execution at the machine's TimeoutSeconds of driven time", async () => {
    const { clock, engine } = drivenEngine({ ...machine, TimeoutSeconds: 7200 });
    await engine.start('two hours', { timeoutSeconds: 10 * 3600 });
    await clock.advance(2 * HOUR - 1000);
    expect(engine.isRunning('two hours')).toBe(true);
    await clock.advance(1000);
    expect(await engine.result('two hours')).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect((await engine.describe('two hours'))?.status).toBe('TIMED_OUT');
  });

  it('ends an execution at one year of driven time (a task timing out every 20 days, in a loop)', async () => {
    const looping = {
      ...machine,
      States: { ...machine.States, 'Timed out': { Type: 'Pass', Result: 'again', ResultPath: '$.ending', Next: 'Wait for the case' } },
    };
    const { clock, engine, tokens } = drivenEngine(looping);
    await engine.start('a year', { timeoutSeconds: 20 * 24 * 3600 });
    await clock.advance(364 * 24 * HOUR);
    expect(engine.isRunning('a year')).toBe(true);
    expect(tokens).toHaveLength(19); // dispatched at day 0, 20, …, 360
    // The limit is checked a millisecond past the year (a wall-clock timer may fire a little early).
    await clock.advance(24 * HOUR);
    expect(engine.isRunning('a year')).toBe(true);
    await clock.advance(1);
    expect(await engine.result('a year')).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const described = await engine.describe('a year');
    expect(described?.status).toBe('TIMED_OUT');
    expect(described?.stopDate).toEqual(new Date(START.getTime() + 365 * 24 * HOUR + 1));
  });

  // A top-level Wait state parks like a waiting task (README.md, parking): its end is a timer on the timer port.
  const waitMachine = {
    StartAt: 'Count',
    States: {
      Count: { Type: 'Pass', Result: 1, ResultPath: '$.round', Next: 'Wait a while' },
      'Wait a while': { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Done' },
      Done: { Type: 'Pass', Result: 'done', ResultPath: '$.ending', End: true },
    },
  };
  const minutesIn = (timestamp: string) => (Date.parse(timestamp) - START.getTime()) / 60_000;

  it('ends a Wait state when the clock reaches its end, not a second before; history and transitions as in one run', async () => {
    const { clock, engine } = drivenEngine(waitMachine);
    await engine.start('wait', { waitSeconds: 7200 });
    await clock.advance(2 * HOUR - 1000);
    expect(engine.isRunning('wait')).toBe(true);
    await clock.advance(1000);
    expect(await engine.result('wait')).toEqual({ status: 'SUCCEEDED', output: { waitSeconds: 7200, round: 1, ending: 'done' } });
    expect(engine.transitions('wait')).toBe(3);
    const history = (await engine.history('wait')) ?? [];
    expect(history.map((event) => [event.type, minutesIn(event.timestamp)])).toEqual([
      ['ExecutionStarted', 0],
      ['PassStateEntered', 0],
      ['PassStateExited', 0],
      ['WaitStateEntered', 0],
      ['WaitStateExited', 120],
      ['PassStateEntered', 120],
      ['PassStateExited', 120],
      ['ExecutionSucceeded', 120],
    ]);
  });

  it('waits out a Wait state longer than Node can time (30 days; the library would end it at once)', async () => {
    const { clock, engine } = drivenEngine(waitMachine);
    await engine.start('a month', { waitSeconds: 30 * 24 * 3600 });
    await clock.advance(30 * 24 * HOUR - 1000);
    expect(engine.isRunning('a month')).toBe(true);
    await clock.advance(1000);
    expect(await engine.result('a month')).toMatchObject({ status: 'SUCCEEDED', output: { ending: 'done' } });
  });

  it('waits again, after a restart, for what is left of a Wait state', async () => {
    const clock = new DrivenClock(START);
    const store = new MemoryExecutionStore();
    const before = drivenEngine(waitMachine, { clock, store });
    await before.engine.start('wait', { waitSeconds: 7200 });
    await clock.advance(HOUR);
    await before.engine.stop();

    const after = drivenEngine(waitMachine, { clock, store });
    expect(await after.engine.open()).toBe(1);
    await clock.advance(HOUR - 1000);
    expect(after.engine.isRunning('wait')).toBe(true);
    await clock.advance(1000);
    expect(await after.engine.result('wait')).toMatchObject({ status: 'SUCCEEDED', output: { ending: 'done' } });
  });
});
