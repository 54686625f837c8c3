/**
 * The district's reference documents — its units, departments, people, catalog, calendars and policy — kept
 * in the table and versioned as a whole: every version names each document by the hash of its content, so a
 * version that changes only the roster stores only the roster again.
 */

/** Documents by name (`units`, `people`, `calendar-2027`…): JSON values. */
export type ReferenceDocuments = Record<string, unknown>;

/** Who applied a version and why, and what it changed against the one before. */
export interface ReferenceAudit {
  /** ISO, UTC. */
  appliedAt: string;
  /** The person id of who applied it. */
  appliedBy: string;
  note: string;
  /** The changes against the version before (the core's diff), kept as a document of its own. */
  changes?: unknown;
}

export interface ReferenceVersion {
  version: number;
  appliedAt: string;
  appliedBy: string;
  note: string;
  /** Each document's content hash (the SHA-256 of its JSON text), by name. */
  documents: Record<string, string>;
  /**
   * Each document's size in bytes (its JSON text, UTF-8), by name, kept when the version was applied so that the
   * version can be described without reading its documents. Absent in versions applied before sizes were kept.
   */
  bytes?: Record<string, number>;
  /** The hash of the changes document, when the version has one. */
  changes?: string;
}

export interface ReferenceStore {
  /** The version in effect: one small read, what the once-a-minute check makes. */
  current(): Promise<ReferenceVersion | undefined>;
  version(version: number): Promise<ReferenceVersion | undefined>;
  /** The versions, newest first. */
  versions(limit: number): Promise<ReferenceVersion[]>;
  /** A document by its hash (as a version names it); undefined when the store has no such content. */
  document(hash: string): Promise<unknown>;
  /**
   * Stores the documents, then the new version (`expected` + 1) and makes it current — on the condition that
   * `expected` is still current (undefined: none yet). Throws ReferenceVersionTaken when another came first.
   */
  apply(documents: ReferenceDocuments, expected: number | undefined, audit: ReferenceAudit): Promise<ReferenceVersion>;
}
