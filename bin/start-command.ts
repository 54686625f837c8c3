/**
 * How `npm start` runs bin/start.ts (package.json's script says the same): one node process with tsx's loader, so a
 * `kill <pid>` or Ctrl-C reaches the platform's own stop. Not the tsx CLI: it runs the script in a child and, when the
 * child does not acknowledge a relayed signal within about 60 ms (a busy platform's event loop), kills it with SIGKILL
 * and exits 143 — the clock unsaved and DynamoDB Local orphaned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const START_COMMAND = {
  command: process.execPath,
  args: ['--import', 'tsx', 'bin/start.ts'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
};

/**
 * Starts `npm start` as the tests and the bench run it: its own process group (kill -pid stops it all, Java
 * included), output piped, `env` over this process's environment.
 */
export function spawnNpmStart(env: Record<string, string>): ChildProcess {
  return spawn(START_COMMAND.command, START_COMMAND.args, {
    cwd: START_COMMAND.cwd,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
