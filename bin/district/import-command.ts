/**
 * `import DIR|FILE… [--yes]`: reads the files, converts them into a proposed version, has the platform validate it
 * (nothing applied), prints the diff and every problem at its row and column, and applies it on --yes or on
 * confirmation at the terminal, based on the version it was validated against. Returns the exit code: 0 applied or
 * nothing to apply, 1 refused (by the files, the platform, or not confirmed).
 */
import { createInterface } from 'node:readline/promises';
import type { ReferenceDiff } from '../../shared/domain/reference-diff';
import { type Reply, Refusal, request, targetOf } from './admin-api';
import { type Converted, convert } from './convert';
import { diffCounts, diffLines } from './diff-text';
import { problemPlace } from './places';
import { readDistrictFiles } from './read-files';

export interface ImportOptions {
  yes: boolean;
  all: boolean;
  note?: string;
  api?: string;
  token?: string;
  as?: string;
}

export type Print = (line: string) => void;

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(2)} s`;

export async function importDistrict(paths: string[], options: ImportOptions, print: Print): Promise<number> {
  const files = await readDistrictFiles(paths);
  const converted = convert(files);
  if (files.read.length > 0) print(`Read ${files.read.join(', ')}`);
  if (files.ignored.length > 0) print(`Passed over: ${files.ignored.join(', ')}`);
  if (converted.problems.length > 0) {
    print(`The files have ${converted.problems.length} problem(s):`);
    for (const problem of converted.problems) print(`  ${problem}`);
    print(`import: refused, ${converted.problems.length} problem(s) in the files; nothing sent, nothing applied`);
    return 1;
  }
  const names = Object.keys(converted.documents);
  if (names.length === 0) {
    print('import: refused, no units, departments, people, boundaries or documents found in what was given');
    return 1;
  }
  const target = await targetOf(options);
  print(`Proposing ${names.join(', ')} to ${target.describe}`);
  const started = performance.now();
  const validated = await request(target, 'POST', '/admin/reference/validate', { documents: converted.documents });
  if (validated.status !== 200) return refused(validated, converted, print, 'validated');
  const { basedOn, changes } = validated.body as unknown as { basedOn: number | null; changes: ReferenceDiff };
  print(`Valid (validated in ${seconds(started)}). Changes against version ${basedOn ?? 'none'}:`);
  for (const line of diffLines(changes, options.all)) print(line);
  if (changes.unchanged) {
    print(`import: no changes against version ${basedOn}; nothing to apply`);
    return 0;
  }
  if (!(options.yes || (await confirmed(`Apply these changes as version ${(basedOn ?? 0) + 1}? [y/N] `)))) {
    print(`import: not applied (${diffCounts(changes)} validated; --yes applies them)`);
    return 1;
  }
  const applying = performance.now();
  const applied = await request(target, 'POST', '/admin/reference/apply', {
    expectedVersion: basedOn,
    note: (options.note ?? `imported with npm run district from ${files.read.join(', ')}`).slice(0, 500),
    documents: converted.documents,
  });
  if (applied.status !== 201) return refused(applied, converted, print, 'applied');
  print(`Applied in ${seconds(applying)}; every function reads it within a minute.`);
  print(`import: applied as version ${applied.body?.version} (${diffCounts(changes)})`);
  return 0;
}

/** A 4xx of the platform: every problem at its place in the files; anything else says what it answered. */
function refused(reply: Reply, converted: Converted, print: Print, what: string): number {
  const error = reply.body?.error;
  const fields: { field: string; message: string }[] = error?.fields ?? [];
  if (reply.status === 422 || reply.status === 400) {
    print(`The platform refused the proposal (${reply.status}): ${fields.length} problem(s):`);
    for (const { field, message } of fields) print(`  ${problemPlace(field, converted)}: ${message}`);
    if (fields.length === 0) print(`  ${error?.message ?? JSON.stringify(reply.body)}`);
    print(`import: refused, ${Math.max(fields.length, 1)} problem(s); nothing applied`);
    return 1;
  }
  if (reply.status === 409) {
    print(`import: refused, another version was applied meanwhile (${error?.message}); run import again to see its changes`);
    return 1;
  }
  throw new Refusal(
    `The proposal could not be ${what}: the platform answered ${reply.status} ${error?.message ?? JSON.stringify(reply.body)}`,
  );
}

/** Asks at the terminal; without one (a script, a pipe) the answer is no. */
async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}
