/** `npm run district -- …` (bin/district.ts) as a real process, for the tests of the district's files. */
import { execFile } from 'node:child_process';
import { root, tsx } from './npm-start';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line printed: every command's one-line summary. */
  summary: string;
}

/** Runs the command line with GRIDFLOW_DATA_DIR (the running platform it talks to), never a terminal (no prompt). */
export function district(args: string[], dataDir: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['bin/district.ts', ...args],
      { cwd: root, env: { ...process.env, GRIDFLOW_DATA_DIR: dataDir }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, summary: stdout.trim().split('\n').at(-1) ?? '' });
      },
    );
  });
}
