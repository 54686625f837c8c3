/**
 * How `npm start` runs bin/start.ts (package.json's script says the same): one node process with tsx's loader, so a
 * `kill <pid>` or Ctrl-C reaches the platform's own stop. Not the tsx CLI: it runs the script in a child and, when the
 * child does not acknowledge a relayed signal within about 60 ms (a busy platform's event loop), kills it with SIGKILL
 * and exits 143 — the clock unsaved and DynamoDB Local orphaned.
 */
import { fileURLToPath } from 'node:url';

export const START_COMMAND = {
  command: process.execPath,
  args: ['--import', 'tsx', 'bin/start.ts'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
};
