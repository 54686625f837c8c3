/**
 * Issue 15 end to end: the generated district (2,434 grids) is imported into a running local platform with
 * `npm run district -- import DIR --yes` — the diff shown, applied as version 2 — and within a minute a report into
 * one of its new grids is routed to that grid's worker under version 2, who signs for it and completes it with a
 * token carrying her person id (`custom:person`), minted by `npm run token` for her new grid; another grid's worker
 * does not even see it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatedDistrict } from '../../bin/district/generated-district';
import { writeDistrictFiles } from '../../bin/district/write-files';
import { localSubject } from '../../bin/sample-users';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import type { Person } from '../../shared/domain/units';
import { district } from '../support/district-cli';
import { root, tsx } from '../support/npm-start';
import { act, at, eventually, fetchEvent, startStack, type Stack } from '../support/local-stack';

const clock = new DrivenClock(at('2026-11-24 09:00'));
const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-district-import-'));
const files = mkdtempSync(join(tmpdir(), 'gridflow-generated-'));
const generated = generatedDistrict();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dataDir, clock });
  await writeDistrictFiles(files, generated, 'csv');
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

/** An ID token as Cognito would issue it to this person: `custom:person` their id, `sub` a UUID of the account. */
function tokenOf(person: Person): string {
  return stack.platform.token({
    sub: localSubject(person.id),
    name: person.name,
    'custom:person': person.id,
    'custom:role': person.role,
    'custom:units': person.unit,
    phone_number: `+86${person.phone}`,
  });
}

/** `npm run -s token -- …` on the platform's data folder. */
async function mintedToken(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(tsx, ['bin/token.ts', ...args], {
    cwd: root,
    env: { ...process.env, GRIDFLOW_DATA_DIR: dataDir },
  });
  return stdout.trim();
}

const workerOf = (grid: string) => generated.people.find((person) => person.role === 'grid_worker' && person.unit === grid) as Person;

test('the generated district imported into a running platform: a report into a new grid goes to its worker, who completes it', async () => {
  const run = await district(['import', files, '--yes', '--note', 'the generated district'], dataDir);
  // The sample's units already have the generated district's outlines: none of them changes.
  expect(run.stdout).toContain('units: 2,599 added, 0 removed, 0 moved, 0 changed');
  expect(run.stdout).toContain('+ gw-441302001001001 桥东第1社区第1网格网格员');
  expect(run.summary).toBe('import: applied as version 2 (2,599 units added, 2,989 people added)');
  expect(run.code).toBe(0);

  // Every function reads the new version within a minute.
  await clock.advance(61_000);
  const grid = '441302003005007';
  const worker = workerOf(grid);
  expect(worker).toMatchObject({ id: `gw-${grid}`, unit: grid });
  const units = await stack.call('GET', `/units?parent=${grid.slice(0, 12)}`);
  expect(units.body.items.map((unit: { code: string }) => unit.code)).toContain(grid);

  const created = await stack.call('POST', '/events', {
    token: tokenOf(worker),
    body: { itemCode: '01-01', gridCode: grid, description: '江南第5社区排水口堵塞', severity: 4 },
  });
  expect(created.status).toBe(201);
  expect(created.body.assignee).toMatchObject({ type: 'person', id: worker.id, unit: grid });
  const id = created.body.id;
  const routed = await eventually(async () => {
    const event = await fetchEvent(stack, id, tokenOf(worker));
    return (event.timeline as { type: string; data?: Record<string, unknown> }[]).find((entry) => entry.type === 'routed');
  }, 'routing');
  expect(routed.data?.referenceVersion).toBe(2);

  // The worker of the next grid does not even see it (404, as for any case outside one's units).
  const neighbour = workerOf('441302003005008');
  expect((await act(stack, id, tokenOf(neighbour), { action: 'acknowledge' })).status).toBe(404);
  // Her token as `npm run token` mints it for the new grid: the token tool knows the district in effect.
  const minted = await mintedToken(['--role', 'grid_worker', '--unit', grid]);
  const claims = JSON.parse(Buffer.from(minted.split('.')[1], 'base64url').toString('utf8'));
  expect(claims).toMatchObject({ 'custom:person': worker.id, 'custom:role': 'grid_worker', 'custom:units': grid, name: worker.name });
  expect((await act(stack, id, minted, { action: 'acknowledge' })).status).toBe(200);
  const done = await act(stack, id, minted, { action: 'complete', note: '已清理排水口' });
  expect(done.status).toBe(200);
  const event = await fetchEvent(stack, id, tokenOf(worker));
  const completed = event.timeline.find((entry: { type: string }) => entry.type === 'completed');
  expect(completed.actor).toMatchObject({ id: worker.id, role: 'grid_worker', sub: localSubject(worker.id) });
});
