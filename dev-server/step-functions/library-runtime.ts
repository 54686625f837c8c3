/**
 * What the engine needs from the library beyond its API, prepared when the first engine is built — never at
 * import: the library runs on Node 20 only with a `Promise.withResolvers` polyfill, and it does not export
 * the error class it gives a task that times out.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { LAMBDA_INVOKE } from './definition';
import { TaskFailure } from './task-outcomes';

/** Installs what the library needs; the first engine calls it, later calls do nothing. */
export function prepareLibrary(): void {
  installPromiseWithResolversPolyfill();
  // Known long before it is needed: a task's timeout is at least a second away.
  void statesTimeoutError();
}

/**
 * The library's own class, captured once per process: it is the library's constant, not an engine's state,
 * so engines (several platforms in one process) may share it.
 */
let capturedTimeoutError: Promise<() => Error> | undefined;

/**
 * Makes the error of a task that timed out. The library tells a timeout from a task failure by its class (a
 * States.TaskFailed catcher must not take States.Timeout) and does not export that class: it is taken from
 * a run that times out at once, the first time it is asked for.
 */
export function statesTimeoutError(): Promise<() => Error> {
  capturedTimeoutError ??= captureStatesTimeoutError();
  return capturedTimeoutError;
}

function captureStatesTimeoutError(): Promise<() => Error> {
  installPromiseWithResolversPolyfill();
  return new StateMachine(
    {
      StartAt: 'Time out',
      States: { 'Time out': { Type: 'Task', Resource: LAMBDA_INVOKE, TimeoutSeconds: 0.001, End: true } },
    } as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  )
    .run({}, { overrides: { taskResourceLocalHandlers: { 'Time out': () => new Promise<never>(() => {}) } } })
    .result.then(
      () => () => new TaskFailure('States.Timeout', 'States.Timeout'),
      (error: Error) => {
        const timeout = error.cause as Error;
        const LibraryTimeout = timeout.constructor as new () => Error;
        return () => new LibraryTimeout();
      },
    );
}

/** The library (built for Node >= 22) calls Promise.withResolvers when a Task runs. */
function installPromiseWithResolversPolyfill(): void {
  const promiseConstructor = Promise as unknown as { withResolvers?: unknown };
  if (typeof promiseConstructor.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((resolvePromise, rejectPromise) => {
        resolve = resolvePromise;
        reject = rejectPromise;
      });
      return { promise, resolve, reject };
    },
  });
}
