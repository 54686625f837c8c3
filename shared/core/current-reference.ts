/**
 * The reference version in effect, as a function instance holds it: loaded at the first need, then checked at
 * most once a minute of wall-clock time (one small read), so a version applied anywhere is in effect everywhere
 * within a minute. Documents are kept by content hash: a new version that changes the roster reads the roster only.
 */
import { type LoadedReference, referenceDataOf } from '../domain/reference-documents';
import { serviceUnavailable } from '../domain/errors';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import type { Clock } from '../ports/clock';
import type { ReferenceStore, ReferenceVersion } from '../ports/reference';

/** Documents read at once. */
const DOCUMENT_READERS = 4;

/** How often the version in effect is checked, in wall-clock ms. */
export const REFERENCE_CHECK_MS = 60_000;

export class CurrentReference {
  private loaded: LoadedReference | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | undefined;
  /**
   * `documents`: contents by hash, which several holders in one process may share (local mode's functions: each
   * would otherwise read every document at start). Content-addressed, so never stale. `basePolicy`: what a version's
   * `policy` document overrides.
   */
  constructor(
    private readonly store: ReferenceStore,
    private readonly clock: Clock,
    private readonly documents = new Map<string, unknown>(),
    private readonly basePolicy: Policy = DEFAULT_POLICY,
  ) {}

  /**
   * The policy in effect: the base with the loaded version's `policy` document over it — the base itself before any
   * version is loaded (what is set up before the first invocation, a local platform's timers, reads it then).
   */
  get policy(): Policy {
    return this.loaded?.policy ?? this.basePolicy;
  }

  /** The version in effect; throws (503) when none was loaded yet (call `refresh()` first). */
  get current(): LoadedReference {
    if (!this.loaded) {
      throw serviceUnavailable(
        'reference_missing',
        'GridFlow has no reference data (units, people, catalog) yet: an administrator applies a version',
        60,
      );
    }
    return this.loaded;
  }

  /** Loads the version in effect if a minute has passed since the last check (at once the first time). */
  refresh(): Promise<void> {
    // Policy ms per wall ms: a minute of wall time on a sped-up local clock.
    if (this.loaded && this.clock.now().getTime() - this.checkedAt < REFERENCE_CHECK_MS * this.clock.scale) return Promise.resolve();
    this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async check(): Promise<void> {
    const startedAt = this.clock.now().getTime();
    const version = await this.store.current();
    if (version && version.version !== this.loaded?.version) this.loaded = await this.load(version);
    this.checkedAt = startedAt;
  }

  private async load(version: ReferenceVersion): Promise<LoadedReference> {
    const missing = Object.entries(version.documents).filter(([, hash]) => !this.documents.has(hash));
    // A few at once: a version holds a document per calendar year (two dozen); a cold start need not open as many connections.
    for (let from = 0; from < missing.length; from += DOCUMENT_READERS) {
      await Promise.all(
        missing.slice(from, from + DOCUMENT_READERS).map(async ([name, hash]) => {
          const document = await this.store.document(hash);
          if (document === undefined)
            throw new Error(`Reference version ${version.version} names document ${name} (${hash}), which is not stored`);
          this.documents.set(hash, document);
        }),
      );
    }
    const entries = Object.entries(version.documents).map(([name, hash]) => [name, this.documents.get(hash)] as const);
    return referenceDataOf(version.version, Object.fromEntries(entries), this.basePolicy);
  }
}
