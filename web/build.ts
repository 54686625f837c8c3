/**
 * The web app's build (web/, built by Vite into web/dist, git-ignored): `npm start` builds it when the build is
 * missing or older than its sources, in a child process while the platform starts; the browser tests and `cdk synth`
 * (infra/app.ts) do the same.
 *
 * Several may build at once (two test files, a test beside `npm start`): each builds into a folder of its own and
 * moves it into place whole, so web/dist is always one complete build; a builder that finds a newer one there
 * drops its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_ROOT = join(REPO_ROOT, 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');
const VITE_CLI = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

/** The newest modification time of what the build is made from: web/ (but its builds) and the lock file. */
function newestSource(): number {
  let newest = statSync(join(REPO_ROOT, 'package-lock.json')).mtimeMs;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('dist') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(WEB_ROOT);
  return newest;
}

/** When web/dist was built (its index.html is written last), or undefined without a build. */
function builtAt(dist = WEB_DIST): number | undefined {
  const index = join(dist, 'index.html');
  return existsSync(index) ? statSync(index).mtimeMs : undefined;
}

/** The build is missing or older than a source. */
export function webBuildStale(): boolean {
  return (builtAt() ?? 0) < newestSource();
}

/** Builds the web app into web/dist (see above; `dist`: elsewhere); `log` hears what Vite prints only when it fails. */
export async function buildWebApp(log: (line: string) => void = () => {}, dist = WEB_DIST): Promise<void> {
  const own = join(dirname(dist), `${basename(dist)}.building-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    // --bypass-lock: Vite 8 refuses a second build of one project while one runs; each builds into a folder of its own.
    const child = spawn(
      process.execPath,
      [VITE_CLI, 'build', '--bypass-lock', '--config', join(WEB_ROOT, 'vite.config.ts'), '--outDir', own],
      {
        cwd: REPO_ROOT,
        // React's production build whoever builds (Jest sets NODE_ENV=test, which Vite would bundle React's development build for).
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    rmSync(own, { recursive: true, force: true });
    log(output.join(''));
    throw new Error(`The web app's build failed (vite build exited ${code})`);
  }
  const old = `${own}.old`;
  try {
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(own, dist);
  } catch {
    // Another builder moved its build in between: that one stands.
  } finally {
    rmSync(old, { recursive: true, force: true });
    rmSync(own, { recursive: true, force: true });
  }
}

/** Builds the web app if its build is missing or stale; says whether it did. */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<boolean> {
  if (!webBuildStale()) return false;
  await buildWebApp(log);
  return true;
}
