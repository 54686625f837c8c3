/** Importing the local Step Functions engine does no work: no polyfill installed, no state machine built or run. */
import { expect, jest, test } from '@jest/globals';

const constructed: unknown[] = [];
jest.unstable_mockModule('aws-local-stepfunctions', () => ({
  StateMachine: class {
    constructor(definition: unknown) {
      constructed.push(definition);
    }
  },
}));

test('importing the engine leaves Promise alone and builds no state machine', async () => {
  const hadWithResolvers = Object.hasOwn(Promise, 'withResolvers');
  const descriptor = Object.getOwnPropertyDescriptor(Promise, 'withResolvers');
  const module = await import('../../dev-server/step-functions/local-workflow-engine');
  expect(typeof module.LocalWorkflowEngine).toBe('function');
  expect(Object.hasOwn(Promise, 'withResolvers')).toBe(hadWithResolvers);
  expect(Object.getOwnPropertyDescriptor(Promise, 'withResolvers')).toEqual(descriptor);
  expect(constructed).toEqual([]);
});
