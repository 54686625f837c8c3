/** The one idempotency guard and the hourly rate limits (shared/core/request-guards.ts), on the in-memory stores. */
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { onceForKey, enforceHourlyLimit } from '../../shared/core/request-guards';
import { DomainError, IdempotencyKeyTaken } from '../../shared/domain/errors';
import type { IdempotencyClaim } from '../../shared/ports/guards';
import { pureDeps } from './pure-deps';

function setup(now = '2026-11-23T01:00:00Z') {
  const stores = createMemoryStores();
  return { stores, deps: pureDeps(now, { ports: stores }) };
}

describe('onceForKey', () => {
  const request = { operation: 'event' as const, caller: 'gw-1', key: 'k1', body: { description: '排水口堵塞' } };

  test('without a key the request is simply made, with no claim', async () => {
    const { deps } = setup();
    const make = async (claim?: IdempotencyClaim) => (claim ? 'claimed' : 'made');
    expect(await onceForKey(deps, { ...request, key: undefined }, async () => 'replayed', make)).toEqual({ result: 'made', created: true });
  });

  test("the first request makes it under a claim scoped to the caller and operation, kept for the policy's hours; a retry replays it", async () => {
    const { deps, stores } = setup();
    const make = async (claim?: IdempotencyClaim) => {
      expect(claim).toMatchObject({ key: 'gw-1#event#k1', expiresAt: new Date('2026-11-24T01:00:00Z') });
      await stores.cases.create({ case: { id: 'E1' } as never, timeline: [], counters: [] }, claim);
      return 'made';
    };
    const replay = async (record: { eventId?: string }) => (record.eventId === 'E1' ? 'replayed' : undefined);
    expect(await onceForKey(deps, request, replay, make)).toEqual({ result: 'made', created: true });
    expect(await onceForKey(deps, request, replay, make)).toEqual({ result: 'replayed', created: false });
    // Another operation or caller does not share the key.
    expect(await onceForKey(deps, { ...request, operation: 'patrol' }, replay, async () => 'patrol')).toEqual({
      result: 'patrol',
      created: true,
    });
    const other = await onceForKey(deps, { ...request, body: { description: '另一件事' } }, replay, make).catch((error) => error);
    expect(other).toBeInstanceOf(DomainError);
    expect(other).toMatchObject({ status: 409, fields: [{ field: 'Idempotency-Key', message: 'reused with another body' }] });
  });

  test("a twin that lost the race answers with the winner's result, or 409 while it is still being processed", async () => {
    const { deps, stores } = setup();
    const lost = async (claim?: IdempotencyClaim) => {
      // The winner commits between this twin's first look and its write.
      await stores.cases.create({ case: { id: 'E1' } as never, timeline: [], counters: [] }, claim);
      throw new IdempotencyKeyTaken(claim!.key);
    };
    expect(await onceForKey(deps, request, async (record) => record.eventId, lost)).toEqual({ result: 'E1', created: false });

    const { deps: fresh } = setup();
    const notYet = async (claim?: IdempotencyClaim) => {
      throw new IdempotencyKeyTaken(claim!.key);
    };
    await expect(onceForKey(fresh, request, async () => 'x', notYet)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('still being processed'),
    });
  });

  test('a taken key of another request is not this one', async () => {
    const { deps } = setup();
    const nested = async () => {
      throw new IdempotencyKeyTaken('someone#else');
    };
    await expect(onceForKey(deps, request, async () => 'x', nested)).rejects.toBeInstanceOf(IdempotencyKeyTaken);
  });
});

describe('enforceHourlyLimit', () => {
  test("refuses past the policy's number in a clock hour; the next hour starts again", async () => {
    const { stores } = setup();
    const at = (now: string) => pureDeps(now, { ports: stores, policy: { ratingTriesPerHour: 2 } });
    const message = () => 'too many';
    await enforceHourlyLimit(at('2026-11-23T01:00:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message);
    await enforceHourlyLimit(at('2026-11-23T01:30:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message);
    await expect(enforceHourlyLimit(at('2026-11-23T01:59:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message)).rejects.toMatchObject({
      status: 429,
      message: 'too many',
    });
    await enforceHourlyLimit(at('2026-11-23T01:59:00Z'), 'ratingTriesPerHour', 'rating#5.6.7.8', message);
    await enforceHourlyLimit(at('2026-11-23T02:00:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message);
  });
});

describe('hourly limits count wall-clock hours (issue 13 item 4)', () => {
  test('on a clock sped up 3600 times, two policy hours later is two wall seconds later: the limit still holds', async () => {
    const { stores } = setup();
    // Local mode's scaled clock: 3600 policy seconds per wall second (GRIDFLOW_TIME_SCALE=3600).
    const at = (now: string) => pureDeps(now, { ports: stores, scale: 3600, policy: { ratingTriesPerHour: 2 } });
    const message = () => 'too many';
    await enforceHourlyLimit(at('2026-11-23T01:00:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message);
    await enforceHourlyLimit(at('2026-11-23T02:00:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message);
    const refused = await enforceHourlyLimit(at('2026-11-23T03:00:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', message).catch(
      (error) => error,
    );
    expect(refused).toMatchObject({ status: 429, message: 'too many' });
    // Retry-After is in wall seconds, within the wall hour.
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  test('a refusal says when to retry: the seconds left in the hour', async () => {
    const { stores } = setup();
    const at = (now: string) => pureDeps(now, { ports: stores, policy: { ratingTriesPerHour: 1 } });
    await enforceHourlyLimit(at('2026-11-23T01:00:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', () => 'too many');
    await expect(
      enforceHourlyLimit(at('2026-11-23T01:45:00Z'), 'ratingTriesPerHour', 'rating#1.2.3.4', () => 'too many'),
    ).rejects.toMatchObject({ status: 429, retryAfterSeconds: 15 * 60 });
  });
});
