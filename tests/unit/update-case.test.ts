/** Read–decide–write: a change that keeps losing the race is tried 8 times, then answered 409 saying so — never a 500. */
import { jest } from '@jest/globals';
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { buildChange } from '../../shared/core/changes';
import { CASE_VERSION_RETRY, updateCase } from '../../shared/core/update-case';
import { DomainError, VersionConflict } from '../../shared/domain/errors';
import { sampleEvent } from './pure-deps';

const at = new Date('2026-11-23T01:00:00Z');

async function storedCase() {
  const stores = createMemoryStores();
  const { version: _version, updatedAt: _updatedAt, ...event } = sampleEvent({ id: 'E20261123-AAAAAA' });
  await stores.cases.create(buildChange(undefined, event, { type: 'registered', actor: event.reportedBy, at }));
  return stores;
}

afterEach(() => jest.useRealTimers());

test('a change that loses every try is a 409 that says how often the case changed, after jittered exponential waits', async () => {
  const stores = await storedCase();
  let tries = 0;
  // Another change always commits first: the store refuses each try with VersionConflict.
  const { cases } = stores;
  cases.apply = async () => {
    tries += 1;
    throw new VersionConflict('E20261123-AAAAAA');
  };
  jest.useFakeTimers();
  const outcome = updateCase({ cases }, 'E20261123-AAAAAA', ({ case: event }) =>
    buildChange(event, event, { type: 'nudged', actor: event.reportedBy, at }),
  ).catch((error: unknown) => error);
  await jest.runAllTimersAsync();
  const error = await outcome;
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ status: 409, code: 'conflict' });
  expect((error as Error).message).toBe('Event E20261123-AAAAAA changed 8 times while this action was tried; read it again and retry');
  expect(tries).toBe(8);
});

test('a change that wins a later try is applied once', async () => {
  const stores = await storedCase();
  let losses = 2;
  const { cases } = stores;
  const apply = cases.apply.bind(cases);
  cases.apply = async (...changes) => {
    if (losses-- > 0) throw new VersionConflict('E20261123-AAAAAA');
    return apply(...changes);
  };
  jest.useFakeTimers();
  const outcome = updateCase({ cases }, 'E20261123-AAAAAA', ({ case: event }) =>
    buildChange(event, event, { type: 'nudged', actor: event.reportedBy, at }),
  );
  await jest.runAllTimersAsync();
  expect((await outcome).change?.case.version).toBe(2);
  expect((await stores.cases.timeline('E20261123-AAAAAA')).map((entry) => entry.type)).toEqual(['registered', 'nudged']);
});

test('the waits grow exponentially, with full jitter, capped', () => {
  const random = jest.spyOn(Math, 'random').mockReturnValue(0.999999);
  try {
    expect(CASE_VERSION_RETRY.retries).toBe(7);
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => Math.round(CASE_VERSION_RETRY.delayMs(attempt)))).toEqual([
      10, 20, 40, 80, 160, 320, 320,
    ]);
    random.mockReturnValue(0);
    expect(CASE_VERSION_RETRY.delayMs(6)).toBe(0);
  } finally {
    random.mockRestore();
  }
});
