/** The reference documents in memory (use-case tests and the contract suite). */
import { ReferenceVersionTaken } from '../../domain/errors';
import type { ReferenceAudit, ReferenceDocuments, ReferenceStore, ReferenceVersion } from '../../ports/reference';
import { packDocument, unpackDocument } from '../reference-content';

export class MemoryReferenceStore implements ReferenceStore {
  private readonly contents = new Map<string, Buffer>();
  private readonly history: ReferenceVersion[] = [];

  async current(): Promise<ReferenceVersion | undefined> {
    return structuredClone(this.history.at(-1));
  }

  async version(version: number): Promise<ReferenceVersion | undefined> {
    return structuredClone(this.history.find((each) => each.version === version));
  }

  async versions(limit: number): Promise<ReferenceVersion[]> {
    return structuredClone(this.history.slice(-limit).reverse());
  }

  async document(hash: string): Promise<unknown> {
    const packed = this.contents.get(hash);
    return packed && unpackDocument(packed);
  }

  async apply(documents: ReferenceDocuments, expected: number | undefined, audit: ReferenceAudit): Promise<ReferenceVersion> {
    if (this.history.at(-1)?.version !== expected) throw new ReferenceVersionTaken(expected);
    const store = (document: unknown) => {
      const content = packDocument(document);
      this.contents.set(content.hash, content.packed);
      return content;
    };
    const { changes, ...rest } = audit;
    const stored = Object.entries(documents).map(([name, document]) => [name, store(document)] as const);
    const version: ReferenceVersion = {
      ...rest,
      version: (expected ?? 0) + 1,
      documents: Object.fromEntries(stored.map(([name, content]) => [name, content.hash])),
      bytes: Object.fromEntries(stored.map(([name, content]) => [name, content.bytes])),
      ...(changes !== undefined && { changes: store(changes).hash }),
    };
    this.history.push(version);
    return structuredClone(version);
  }
}
