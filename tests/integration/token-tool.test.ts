/**
 * The token tool (issue 13 item 8): `--help` printed a stack trace, and tokens were issued for units and
 * departments that do not exist. It prints its usage, and refuses with the valid values.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root, tsx } from '../support/npm-start';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gridflow-token-tool-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ['bin/token.ts', ...args], {
      cwd: root,
      env: { ...process.env, GRIDFLOW_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

test('--help prints the usage, with the roles, and exits 0', async () => {
  const help = await token('--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: npm run -s token -- --role ROLE --unit CODE');
  expect(help.stdout).toContain('district_center');
  noStackTrace(help.stdout + help.stderr);
});

test('an unknown option gets the usage, not a stack trace', async () => {
  const unknown = await token('--rol', 'grid_worker');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('--rol');
  expect(unknown.stderr).toContain('Usage:');
  noStackTrace(unknown.stderr);
});

test('a unit that is not in the district is refused, with the units that are', async () => {
  const refused = await token('--role', 'grid_worker', '--unit', '441302010001099');
  expect(refused.code).toBe(2);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toContain('441302010001099');
  expect(refused.stderr).toContain('441302010001001');
  noStackTrace(refused.stderr);
});

test('a department that does not exist is refused, with the departments that do', async () => {
  const refused = await token('--role', 'department', '--unit', '441302', '--department', 'NOPE');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('NOPE');
  expect(refused.stderr).toMatch(/valid:.*\w/);
  noStackTrace(refused.stderr);
});

test('a unit and role that exist get one token', async () => {
  const issued = await token('--role', 'grid_worker', '--unit', '441302010001001');
  expect(issued.code).toBe(0);
  expect(issued.stdout.trim().split('.')).toHaveLength(3);
});
