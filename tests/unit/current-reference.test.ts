/**
 * A function instance holds the reference version in effect: loaded at the first need, the pointer checked again at
 * most once a wall-clock minute (a version applied elsewhere is in effect within a minute), documents read once
 * per content. Before any version is applied, reading it is a 503 that says what to do.
 */
import { expect, test } from '@jest/globals';
import { MemoryReferenceStore } from '../../shared/adapters/memory/memory-reference';
import { CurrentReference, REFERENCE_CHECK_MS } from '../../shared/core/current-reference';
import { seedDocuments } from '../../dev-server/seed-reference';

const audit = { appliedAt: '2026-12-04T08:00:00.000Z', appliedBy: 'admin-wu', note: 'test' };

/** Policy time that the test moves; `scale` policy ms pass per wall ms. */
function clockAt(start: string, scale = 1) {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), scale, advance: (ms: number) => (now += ms) };
}

test('before any version: a 503 naming what is missing; the first refresh after one is applied loads it', async () => {
  const store = new MemoryReferenceStore();
  const reference = new CurrentReference(store, clockAt('2026-12-04T08:00:00Z'));
  await reference.refresh();
  expect(() => reference.current).toThrow(expect.objectContaining({ status: 503, code: 'reference_missing' }));
  await store.apply(seedDocuments(undefined), undefined, audit);
  await reference.refresh();
  expect(reference.current.version).toBe(1);
  expect(reference.current.directory.isGrid('441302010001001')).toBe(true);
  expect(reference.current.calendarYears).toContain(2026);
});

test('a new version is in effect within a minute of wall time, on a sped-up clock too; unchanged documents are not read again', async () => {
  const store = new MemoryReferenceStore();
  const documents = seedDocuments(undefined);
  await store.apply(documents, undefined, audit);
  // Policy time 60 times faster than the wall clock: a wall minute is an hour of it.
  const clock = clockAt('2026-12-04T08:00:00Z', 60);
  const reference = new CurrentReference(store, clock);
  let reads = 0;
  const read = store.document.bind(store);
  store.document = (hash) => {
    reads += 1;
    return read(hash);
  };
  await reference.refresh();
  const firstReads = reads;
  expect(firstReads).toBe(Object.keys(documents).length);

  const people = [
    ...documents.people,
    { id: 'gw-new-worker', name: '新网格员', role: 'grid_worker' as const, unit: '441302010001001', phone: '13000001234' },
  ];
  await store.apply({ ...documents, people }, 1, audit);
  clock.advance(REFERENCE_CHECK_MS * 60 - 1_000);
  await reference.refresh();
  expect(reference.current.version).toBe(1);
  clock.advance(1_000);
  await reference.refresh();
  expect(reference.current.version).toBe(2);
  expect(reference.current.directory.person('gw-new-worker')?.name).toBe('新网格员');
  // Only the roster changed: one more document read.
  expect(reads).toBe(firstReads + 1);
});

test('refreshes at once share one check', async () => {
  const store = new MemoryReferenceStore();
  await store.apply(seedDocuments(undefined), undefined, audit);
  let checks = 0;
  const current = store.current.bind(store);
  store.current = () => {
    checks += 1;
    return current();
  };
  const reference = new CurrentReference(store, clockAt('2026-12-04T08:00:00Z'));
  await Promise.all([reference.refresh(), reference.refresh(), reference.refresh()]);
  expect(checks).toBe(1);
});
