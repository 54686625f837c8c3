/**
 * GET /admin/reference describes the version in effect — each document's name, size, SHA-256 and href — from the
 * version alone: the sizes were kept when it was applied, so no document is read for them (only the changes are).
 */
import { expect, test } from '@jest/globals';
import { MemoryReferenceStore } from '../../shared/adapters/memory/memory-reference';
import { MemoryCounterStore } from '../../shared/adapters/memory/memory-counters';
import { MemoryTable } from '../../shared/adapters/memory/memory-table';
import { applyReference, currentReferenceVersion } from '../../shared/core/administer-reference';
import { seedDocuments } from '../../dev-server/seed-reference';
import { rosterCaller } from './pure-deps';

const clock = { now: () => new Date('2026-12-04T08:00:00Z'), scale: 1 };

test('the sizes come from the version: the documents are not read for them', async () => {
  const reference = new MemoryReferenceStore();
  const documents = seedDocuments(undefined);
  await reference.apply(documents, undefined, { appliedAt: clock.now().toISOString(), appliedBy: 'seed', note: 'seed' });
  const deps = { reference, counters: new MemoryCounterStore(new MemoryTable()), clock };
  const admin = rosterCaller('ad-huicheng');
  const people = [...documents.people.slice(1), documents.people[0]];
  await applyReference(deps, admin, { expectedVersion: 1, note: 'the roster reordered', documents: { people } });

  const read: string[] = [];
  const document = reference.document.bind(reference);
  reference.document = (hash) => {
    read.push(hash);
    return document(hash);
  };
  const view = await currentReferenceVersion(deps, admin);
  const current = await reference.current();
  expect(read).toEqual([current?.changes]);
  expect(view.documents).toHaveLength(Object.keys(documents).length);
  for (const { name, bytes, sha256 } of view.documents) {
    const content = name === 'people' ? people : documents[name as keyof typeof documents];
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(content), 'utf8'));
    expect(sha256).toBe(current?.documents[name]);
  }
});
