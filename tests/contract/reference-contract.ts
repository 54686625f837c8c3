/**
 * The reference store's contract (ports/reference.ts) on the memory and the DynamoDB store: versions applied on the
 * condition that the one replaced is current, documents read back whole by hash (large ones too), an unchanged
 * document keeping its hash, the history newest first with who applied each version and why.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ReferenceVersionTaken } from '../../shared/domain/errors';
import type { ReferenceStore } from '../../shared/ports/reference';

const audit = (note: string) => ({ appliedAt: '2026-12-04T08:00:00.000Z', appliedBy: 'admin-wu', note });

/** About 2 MB of JSON that gzip cannot shrink below one part: random coordinates, as boundaries are. */
function largeDocument(): unknown {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: 2_434 }, (_, grid) => ({
    code: `441302${String(grid).padStart(9, '0')}`,
    ring: Array.from({ length: 40 }, () => [114.4 + next() / 10, 23.1 + next() / 10]),
  }));
}

export function referenceContract(fresh: () => Promise<ReferenceStore>): void {
  describe('the reference store', () => {
    it('has no version before the first is applied', async () => {
      const store = await fresh();
      expect(await store.current()).toBeUndefined();
      expect(await store.versions(10)).toEqual([]);
      expect(await store.document('0'.repeat(64))).toBeUndefined();
    });

    it('applies versions in turn, each naming its documents by hash, and reads them back', async () => {
      const store = await fresh();
      const first = await store.apply({ units: { code: '441302' }, people: [{ id: 'p1' }] }, undefined, audit('seeded'));
      expect(first).toMatchObject({ version: 1, appliedBy: 'admin-wu', note: 'seeded' });
      const second = await store.apply({ units: { code: '441302' }, people: [{ id: 'p1' }, { id: 'p2' }] }, 1, {
        ...audit('p2 joins'),
        changes: { people: { added: ['p2'] } },
      });
      expect(second.version).toBe(2);
      // The units did not change: the same content, the same hash.
      expect(second.documents.units).toBe(first.documents.units);
      expect(second.documents.people).not.toBe(first.documents.people);
      expect(await store.current()).toEqual(second);
      expect(await store.document(second.documents.people)).toEqual([{ id: 'p1' }, { id: 'p2' }]);
      expect(await store.document(second.changes ?? '')).toEqual({ people: { added: ['p2'] } });
      expect(await store.version(1)).toEqual(first);
      expect((await store.versions(10)).map((each) => each.version)).toEqual([2, 1]);
      expect((await store.versions(1)).map((each) => each.version)).toEqual([2]);
    });

    it('refuses a version based on one that is no longer current, and keeps the current one', async () => {
      const store = await fresh();
      await store.apply({ units: 1 }, undefined, audit('first'));
      await expect(store.apply({ units: 2 }, undefined, audit('also first'))).rejects.toBeInstanceOf(ReferenceVersionTaken);
      await store.apply({ units: 3 }, 1, audit('second'));
      await expect(store.apply({ units: 4 }, 1, audit('stale'))).rejects.toBeInstanceOf(ReferenceVersionTaken);
      const current = await store.current();
      expect(current?.version).toBe(2);
      expect(await store.document(current?.documents.units ?? '')).toBe(3);
    });

    it("keeps each document's size in bytes and its SHA-256 in the version, read back without the documents", async () => {
      const store = await fresh();
      const people = [{ id: 'p1', name: '欧阳玲巧' }];
      const units = { code: '441302', name: '惠城区' };
      const applied = await store.apply({ units, people }, undefined, audit('sized'));
      const text = (document: unknown) => JSON.stringify(document);
      const expected = {
        documents: {
          units: createHash('sha256').update(text(units)).digest('hex'),
          people: createHash('sha256').update(text(people)).digest('hex'),
        },
        // UTF-8: each Chinese character is three bytes.
        bytes: { units: Buffer.byteLength(text(units), 'utf8'), people: Buffer.byteLength(text(people), 'utf8') },
      };
      expect(expected.bytes.people).toBe(text(people).length + 2 * 4);
      expect(applied).toMatchObject(expected);
      expect(await store.current()).toMatchObject(expected);
      expect(await store.version(1)).toMatchObject(expected);
      expect((await store.versions(1))[0]).toMatchObject(expected);
    });

    it('keeps a document larger than an item whole', async () => {
      const store = await fresh();
      const boundaries = largeDocument();
      expect(JSON.stringify(boundaries).length).toBeGreaterThan(1_500_000);
      const version = await store.apply({ boundaries }, undefined, audit('boundaries'));
      expect(await store.document(version.documents.boundaries)).toEqual(boundaries);
    });
  });
}
