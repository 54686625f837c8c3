/**
 * The reference administration (issue 14): read the version in effect and its documents, list versions with their
 * audit, validate a proposal (the reply is its diff), apply it on the condition that the version it was based on is
 * still current, roll back to an earlier version's documents. A proposal is refused whole, each problem named by its
 * field: the document rules (domain/reference-rules.ts), the documents building into a directory, catalog and
 * calendar, and no unit with open cases removed (its standing `open` count: one Query per topmost removed unit).
 */
import type { Caller } from '../domain/caller';
import { actorOf } from '../domain/caller';
import { conflict, type FieldProblem, forbidden, notFound, ReferenceVersionTaken, unprocessable } from '../domain/errors';
import { mayDo } from '../domain/operations';
import { type ReferenceDiff, referenceDiff } from '../domain/reference-diff';
import { REQUIRED_DOCUMENTS, type ReferenceDocumentSet, referenceDataOf } from '../domain/reference-documents';
import { placedUnits, referenceProblems } from '../domain/reference-rules';
import type { Clock } from '../ports/clock';
import type { CounterStore } from '../ports/counters';
import type { ReferenceDocuments, ReferenceStore, ReferenceVersion } from '../ports/reference';

export interface ReferenceAdminDeps {
  reference: ReferenceStore;
  counters: CounterStore;
  clock: Clock;
}

export interface VersionView {
  version: number;
  appliedAt: string;
  appliedBy: string;
  note: string;
  documents: { name: string; bytes: number; sha256: string; href: string }[];
}

export const MAX_VERSIONS_LISTED = 100;

function mayRead(caller: Caller): void {
  if (!mayDo(caller.role, 'read_reference')) throw forbidden(`A ${caller.role} may not read the reference administration`);
}

function mayAdminister(caller: Caller): void {
  if (!mayDo(caller.role, 'administer_reference')) throw forbidden(`Only an admin changes the reference documents, not a ${caller.role}`);
}

/** The version in effect, its audit and its documents' names and sizes (each document at its href). */
export async function currentReferenceVersion(deps: ReferenceAdminDeps, caller: Caller): Promise<VersionView & { changes?: unknown }> {
  mayRead(caller);
  const current = await deps.reference.current();
  if (!current) throw notFound('No reference version has been applied yet');
  return {
    ...versionView(current, await sizesOf(deps, current)),
    ...(current.changes && { changes: await deps.reference.document(current.changes) }),
  };
}

/** The versions, newest first, with their audit (who, when, why, the changes). */
export async function listReferenceVersions(deps: ReferenceAdminDeps, caller: Caller, limit: number) {
  mayRead(caller);
  const versions = await deps.reference.versions(Math.min(limit, MAX_VERSIONS_LISTED));
  const items = await Promise.all(
    versions.map(async (version) => ({
      version: version.version,
      appliedAt: version.appliedAt,
      appliedBy: version.appliedBy,
      note: version.note,
      documents: Object.keys(version.documents).sort(),
      ...(version.changes && { changes: await deps.reference.document(version.changes) }),
    })),
  );
  return { items };
}

/** One document of a version, as applied. */
export async function referenceDocument(deps: ReferenceAdminDeps, caller: Caller, versionNumber: number, name: string): Promise<unknown> {
  mayRead(caller);
  const version = await deps.reference.version(versionNumber);
  if (!version) throw notFound(`Reference version ${versionNumber} does not exist`);
  const hash = version.documents[name];
  if (!hash) throw notFound(`Reference version ${versionNumber} has no document '${name}'`);
  return deps.reference.document(hash);
}

export interface Proposal {
  /** Documents to replace or add, by name; those not named are kept from the version in effect. */
  documents: Partial<ReferenceDocumentSet>;
  /** Documents of the version in effect the new one goes without (a calendar year applied by mistake, a policy). */
  remove?: string[];
}

/** What a proposal would change, or 422 naming every problem; nothing is applied. */
export async function validateReference(deps: ReferenceAdminDeps, caller: Caller, proposal: Proposal) {
  mayAdminister(caller);
  const current = await deps.reference.current();
  const before = await documentsOf(deps, current);
  const { changes } = await checked(deps, before, proposedDocuments(before, proposal));
  return { basedOn: current?.version ?? null, valid: true, changes };
}

/**
 * The version in effect's documents, with the proposal's replacing theirs and those it removes gone; 422 naming the
 * `remove` entry when a required document is removed, one the version does not have, or one the proposal also gives.
 */
function proposedDocuments(before: ReferenceDocuments, proposal: Proposal): ReferenceDocuments {
  const problems: FieldProblem[] = [];
  for (const [index, name] of (proposal.remove ?? []).entries()) {
    const field = `remove[${index}]`;
    if ((REQUIRED_DOCUMENTS as readonly string[]).includes(name))
      problems.push({
        field,
        message: `${name} cannot be removed: every version has ${REQUIRED_DOCUMENTS.join(', ')} (replace it instead)`,
      });
    else if (name in proposal.documents) problems.push({ field, message: `${name} is both given and removed` });
    else if (!(name in before)) problems.push({ field, message: `the version in effect has no document '${name}'` });
  }
  if (problems.length > 0) throw refused(problems);
  const documents: ReferenceDocuments = { ...before, ...proposal.documents };
  for (const name of proposal.remove ?? []) delete documents[name];
  return documents;
}

/** Applies a proposal as the next version, when `expectedVersion` is still the one in effect (409 otherwise). */
export async function applyReference(
  deps: ReferenceAdminDeps,
  caller: Caller,
  proposal: Proposal & { expectedVersion: number | null; note: string },
) {
  mayAdminister(caller);
  const current = await expectCurrent(deps, proposal.expectedVersion);
  const before = await documentsOf(deps, current);
  return store(deps, caller, current, before, proposedDocuments(before, proposal), proposal.note);
}

/** A new version whose documents are version `to`'s (checked as any proposal), its note saying so. */
export async function rollBackReference(
  deps: ReferenceAdminDeps,
  caller: Caller,
  request: { to: number; expectedVersion: number | null; note?: string },
) {
  mayAdminister(caller);
  const current = await expectCurrent(deps, request.expectedVersion);
  const target = await deps.reference.version(request.to);
  if (!target) throw notFound(`Reference version ${request.to} does not exist`);
  const note = `rolled back to version ${request.to}${request.note ? `: ${request.note}` : ''}`;
  return store(deps, caller, current, await documentsOf(deps, current), await documentsOf(deps, target), note);
}

async function expectCurrent(deps: ReferenceAdminDeps, expected: number | null): Promise<ReferenceVersion | undefined> {
  const current = await deps.reference.current();
  if ((current?.version ?? null) !== expected) throw versionTaken(current?.version ?? null, expected);
  return current;
}

function versionTaken(current: number | null, expected: number | null) {
  return conflict(`Version ${current ?? 'none'} is in effect, not ${expected ?? 'none'}: review its changes and propose again`, [
    { field: 'expectedVersion', message: `the version in effect is ${current ?? 'none'}` },
  ]);
}

async function store(
  deps: ReferenceAdminDeps,
  caller: Caller,
  current: ReferenceVersion | undefined,
  before: ReferenceDocuments,
  documents: ReferenceDocuments,
  note: string,
) {
  const { changes } = await checked(deps, before, documents);
  try {
    const version = await deps.reference.apply(documents, current?.version, {
      appliedAt: deps.clock.now().toISOString(),
      appliedBy: actorOf(caller).id,
      note,
      changes,
    });
    return { ...versionView(version, await sizesOf(deps, version)), changes };
  } catch (error) {
    if (error instanceof ReferenceVersionTaken)
      throw versionTaken((await deps.reference.current())?.version ?? null, current?.version ?? null);
    throw error;
  }
}

/** The diff of a whole proposed document set against the version in effect; 422 with every problem. */
async function checked(
  deps: ReferenceAdminDeps,
  before: ReferenceDocuments,
  documents: ReferenceDocuments,
): Promise<{ changes: ReferenceDiff }> {
  const set = documents as ReferenceDocumentSet;
  const missing = REQUIRED_DOCUMENTS.filter((name) => set[name] === undefined);
  if (missing.length > 0)
    throw unprocessable(
      `The proposal has no ${missing.join(', ')}`,
      missing.map((name) => ({ field: `documents.${name}`, message: 'missing: no version in effect to keep it from' })),
    );
  const changes = referenceDiff(before as Partial<ReferenceDocumentSet>, set);
  const problems = [...referenceProblems(set), ...(await openCaseProblems(deps, set, changes))];
  if (problems.length === 0) problems.push(...buildProblems(set));
  if (problems.length > 0) throw refused(problems);
  return { changes };
}

/** A 422 naming every problem; the message names the first three. */
function refused(problems: FieldProblem[]) {
  return unprocessable(
    `The proposal is refused, nothing applied: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${problems
      .slice(0, 3)
      .map((problem) => `${problem.field}: ${problem.message}`)
      .join('; ')}${problems.length > 3 ? '; …' : ''})`,
    problems,
  );
}

/** A removed unit with open cases is refused for now (its cases would have nowhere to go). */
async function openCaseProblems(deps: ReferenceAdminDeps, set: ReferenceDocumentSet, changes: ReferenceDiff): Promise<FieldProblem[]> {
  const removed = new Set(changes.units.removed.map((unit) => unit.code));
  const paths = new Map(placedUnits(set.units).map((unit) => [unit.node.code, unit.path]));
  // The standing count of a unit covers every unit below it: the topmost removed unit says it for them all.
  const topmost = changes.units.removed.filter((unit) => ![...removed].some((other) => other !== unit.code && unit.code.startsWith(other)));
  const counted = await Promise.all(
    topmost.map(async (unit) => ({ unit, open: (await deps.counters.standing({ kind: 'unit', code: unit.code })).open ?? 0 })),
  );
  return counted
    .filter(({ open }) => open > 0)
    .map(({ unit, open }) => {
      const parent = [...paths.keys()].filter((code) => unit.code.startsWith(code)).sort((a, b) => b.length - a.length)[0];
      return {
        field: parent ? `${paths.get(parent)}.children` : 'units',
        message: `removes ${unit.code} (${unit.name}), which has ${open} open case${open === 1 ? '' : 's'}: close or move them first`,
      };
    });
}

/** What the documents' own builders refuse (a bad time limit, a calendar that does not hold), named as the documents. */
function buildProblems(set: ReferenceDocumentSet): FieldProblem[] {
  try {
    referenceDataOf(0, set);
    return [];
  } catch (error) {
    return [{ field: 'documents', message: (error as Error).message }];
  }
}

async function documentsOf(deps: ReferenceAdminDeps, version: ReferenceVersion | undefined): Promise<ReferenceDocuments> {
  if (!version) return {};
  const entries = await Promise.all(
    Object.entries(version.documents).map(async ([name, hash]) => [name, await deps.reference.document(hash)] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * Each document's size in bytes: kept in the version when it was applied; a version applied before sizes were kept
 * has its documents read for them.
 */
async function sizesOf(deps: ReferenceAdminDeps, version: ReferenceVersion): Promise<Record<string, number>> {
  const kept = version.bytes;
  if (kept && Object.keys(version.documents).every((name) => typeof kept[name] === 'number')) return kept;
  const documents = await documentsOf(deps, version);
  return Object.fromEntries(
    Object.entries(documents).map(([name, document]) => [name, Buffer.byteLength(JSON.stringify(document), 'utf8')]),
  );
}

function versionView(version: ReferenceVersion, sizes: Record<string, number>): VersionView {
  return {
    version: version.version,
    appliedAt: version.appliedAt,
    appliedBy: version.appliedBy,
    note: version.note,
    documents: Object.keys(version.documents)
      .sort()
      .map((name) => ({
        name,
        bytes: sizes[name],
        sha256: version.documents[name],
        href: `/admin/reference/versions/${version.version}/documents/${name}`,
      })),
  };
}
