/**
 * dev-server/durable-files.ts through real processes and real files: a writer killed with SIGKILL part-way
 * leaves the old file or the new one, whole; a JSON-lines file cut short reads back every whole line, reports
 * the torn one, and the next append does not glue onto it; concurrent appends land in order.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLinesAppender, readJsonLines } from '../../dev-server/durable-files';
import { eventually } from '../support/local-stack';
import { tsx } from '../support/npm-start';

const module = new URL('../../dev-server/durable-files.ts', import.meta.url).pathname;
const SIZE = 4 * 1024 * 1024;

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'gridflow-durable-files-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

test('a writer killed part-way through leaves the old file or the new one, whole', async () => {
  const file = join(folder, 'state.json');
  const script = join(folder, 'writer.ts');
  // Rewrites the file over and over, each time all one letter, and says how many times it has.
  writeFileSync(
    script,
    `import { writeFileAtomic } from ${JSON.stringify(module)};
     for (let round = 0; ; round++) { writeFileAtomic(${JSON.stringify(file)}, (round % 2 ? 'a' : 'b').repeat(${SIZE})); console.log(round); }`,
  );
  for (let kill = 0; kill < 2; kill++) {
    // Its own process group: tsx runs the script in a child process, and the kill must reach it.
    const writer = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let rounds = 0;
    writer.stdout!.on('data', (chunk: Buffer) => (rounds += chunk.toString().split('\n').length - 1));
    await eventually(async () => (rounds >= 2 ? true : undefined), 'two whole writes', 30_000);
    // Somewhere inside the next write (each takes a few ms at least: 4 MiB and an fsync).
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    process.kill(-writer.pid!, 'SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    const content = readFileSync(file, 'latin1');
    expect(content.length).toBe(SIZE);
    expect(content.replaceAll(content[0], '')).toBe('');
  }
}, 60_000);

test('a torn JSON-lines file reads back its whole lines, names the torn one, and takes new lines after it', async () => {
  const file = join(folder, 'outbox.jsonl');
  writeFileSync(file, '{"n":1}\n{"n":2}\n{"n":');
  const warnings: string[] = [];
  expect(readJsonLines(file, (line) => warnings.push(line))).toEqual([{ n: 1 }, { n: 2 }]);
  expect(warnings).toEqual([expect.stringContaining(`${file}: line 3`)]);

  const appender = new JsonLinesAppender(file);
  await Promise.all(Array.from({ length: 50 }, (_, index) => appender.append({ n: index + 3 })));
  await appender.append({ n: 53 });
  const again: string[] = [];
  expect(readJsonLines<{ n: number }>(file, (line) => again.push(line)).map(({ n }) => n)).toEqual(
    Array.from({ length: 53 }, (_, index) => index + 1),
  );
  expect(again).toHaveLength(1);
});
