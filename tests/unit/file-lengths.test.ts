/**
 * The house rule on length: no file in shared/ or the dev server is over 400 lines unless its header comment
 * says why (`Long because:`) — a long file there is usually two jobs in one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The file's first comment block, where a file says what it is (and, when long, why). */
function headerOf(text: string): string {
  const start = text.indexOf('/**');
  return start === -1 ? '' : text.slice(start, text.indexOf('*/', start) + 2);
}

test('no file in shared/ or dev-server/ is over 400 lines without a `Long because:` line in its header', () => {
  const tooLong = ['shared', 'dev-server']
    .flatMap((dir) => sourceFiles(join(ROOT, dir)))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .filter(({ text }) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0) > MAX_LINES)
    .filter(({ text }) => !headerOf(text).includes('Long because:'))
    .map(({ path, text }) => `${relative(ROOT, path)}: ${text.split('\n').length - 1} lines`);
  expect(tooLong).toEqual([]);
});
