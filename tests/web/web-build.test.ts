/**
 * The web app's build when several build at once (two browser test files on a fresh clone, a test beside `npm start`):
 * each builds into a folder of its own and moves it into place whole, so both finish and one complete build stands.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWebApp } from '../../web/build';

test('two builds at once both finish, and one complete build stands', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gridflow-web-build-'));
  const dist = join(folder, 'dist');
  try {
    const failures: string[] = [];
    await Promise.all([buildWebApp((line) => failures.push(line), dist), buildWebApp((line) => failures.push(line), dist)]);
    expect(failures).toEqual([]);
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    // Neither builder's own folder is left behind.
    expect(readdirSync(folder)).toEqual(['dist']);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
