/**
 * The local tools go by the running platform's district (issue 14): with GridFlow running on a data folder whose
 * version in effect has a grid and a person the sample does not, `npm run token` mints that person's token and
 * lists that grid among the valid ones, and `npm run report` reports on it — read through the platform's admin API,
 * found by the data folder's lock. Where no GridFlow answers, the token tool falls back to the sample and says so.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { sampleClaims } from '../../bin/sample-users';
import { startLocalPlatform, type LocalPlatform } from '../../dev-server/local-platform';
import { at, HUICHENG } from '../support/local-stack';
import { root, tsx } from '../support/npm-start';

const NEW_GRID = '441302010001010';
const NEW_WORKER = { id: 'gw-tenth-grid', name: '第十网格员', role: 'grid_worker', unit: NEW_GRID, phone: '13000101010' };

const clock = new DrivenClock(at('2026-11-23 09:00'));
let dataDir: string;
let platform: LocalPlatform | undefined;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gridflow-tools-district-'));
  platform = await startLocalPlatform({ port: 0, dataDir, quiet: true, clock });
  const admin = platform.token(sampleClaims(platform.deps.directory, 'admin', HUICHENG));
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${platform?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json() as Promise<any>;
  };
  const units = await call('GET', '/admin/reference/versions/1/documents/units');
  units.children[7].children[0].children.push({ code: NEW_GRID, name: '金源第十网格', nameEn: 'Jinyuan grid 10', level: 'grid' });
  const people = [...(await call('GET', '/admin/reference/versions/1/documents/people')), NEW_WORKER];
  const applied = await call('POST', '/admin/reference/apply', { expectedVersion: 1, note: 'a tenth grid', documents: { units, people } });
  expect(applied.version).toBe(2);
  // Every function checks the version in effect within a minute.
  await clock.advance(61_000);
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function tool(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // No GRIDFLOW_URL, no PORT: the tools find the platform by the data folder's lock.
    const { GRIDFLOW_URL: _url, PORT: _port, ...env } = process.env;
    const { stdout, stderr } = await promisify(execFile)(tsx, [script, ...args], {
      cwd: root,
      env: { ...env, GRIDFLOW_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.trim().split('.')[1] as string, 'base64url').toString('utf8'));

test("the token tool mints tokens for the running platform's people, and lists its units", async () => {
  const issued = await tool('bin/token.ts', '--role', 'grid_worker', '--unit', NEW_GRID);
  expect(issued.code).toBe(0);
  expect(claimsOf(issued.stdout)).toMatchObject({
    'custom:person': NEW_WORKER.id,
    name: NEW_WORKER.name,
    phone_number: `+86${NEW_WORKER.phone}`,
  });
  const refused = await tool('bin/token.ts', '--role', 'grid_worker', '--unit', '441302010001099');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(NEW_GRID);
  expect(refused.stderr).toMatch(/reference version 2 of GridFlow at http:\/\/localhost:\d+/);
});

test("the report tool takes the running platform's units", async () => {
  const out = join(dataDir, 'reports');
  const report = await tool('bin/report.ts', 'daily', '--unit', NEW_GRID, '--period', '2026-11-23', '--out', out);
  expect(report.stderr).toBe('');
  expect(report.code).toBe(0);
  const files = report.stdout.trim().split('\n');
  expect(files).toHaveLength(2);
  for (const file of files) expect(existsSync(file)).toBe(true);
});

test('where no GridFlow answers, the token tool goes by the sample district and says so', async () => {
  await platform?.stop();
  platform = undefined;
  const refused = await tool('bin/token.ts', '--role', 'grid_worker', '--unit', NEW_GRID);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('the sample district (no GridFlow answers)');
  expect((await tool('bin/token.ts', '--role', 'grid_worker', '--unit', '441302010001001')).code).toBe(0);
});
