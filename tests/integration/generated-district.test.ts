/**
 * The generated district against the real platform: `npm run district -- generate --out DIR` writes the same files
 * every run, and the admin API of a local platform (DynamoDB Local) validates its documents — every reference rule
 * kept, the diff naming every unit and person it adds to the sample.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GENERATED_GRIDS, generatedDistrict } from '../../bin/district/generated-district';
import { placedUnits } from '../../shared/domain/reference-rules';
import { HUICHENG, startStack, type Stack } from '../support/local-stack';
import { root, tsx } from '../support/npm-start';

const run = promisify(execFile);
const dirs = [mkdtempSync(join(tmpdir(), 'gridflow-generated-')), mkdtempSync(join(tmpdir(), 'gridflow-generated-'))];
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('generate writes the district in the import formats, the same bytes every run, and says so in its last line', async () => {
  for (const dir of dirs) {
    const { stdout } = await run(tsx, ['bin/district.ts', 'generate', '--out', dir], { cwd: root });
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^generated: 2,434 grids, [\d,]+ people, 15 departments in /);
  }
  const files = readdirSync(dirs[0]).sort();
  expect(files).toEqual(['boundaries.geojson', 'catalog.json', 'departments.csv', 'people.csv', 'units.csv']);
  for (const file of files) expect(readFileSync(join(dirs[1], file)).equals(readFileSync(join(dirs[0], file)))).toBe(true);
  const boundaries = JSON.parse(readFileSync(join(dirs[0], 'boundaries.geojson'), 'utf8'));
  expect(boundaries.features.filter((feature: any) => feature.properties.code.length === 15)).toHaveLength(GENERATED_GRIDS);
});

test('the platform’s admin API validates the generated district: valid, every new unit and person in the diff', async () => {
  const { units, departments, people, catalog } = generatedDistrict();
  const admin = stack.token('admin', HUICHENG);
  const sample = await stack.call('GET', '/admin/reference/versions/1/documents/units', { token: admin });
  const sampleCodes = new Set(placedUnits(sample.body).map(({ node }) => node.code));
  const samplePeople = new Set(
    (await stack.call('GET', '/admin/reference/versions/1/documents/people', { token: admin })).body.map((person: any) => person.id),
  );
  const reply = await stack.call('POST', '/admin/reference/validate', {
    token: admin,
    body: { documents: { units, departments, people, catalog } },
  });
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ basedOn: 1, valid: true });
  const newCodes = placedUnits(units)
    .map(({ node }) => node.code)
    .filter((code) => !sampleCodes.has(code));
  expect(reply.body.changes.units.added.map((unit: { code: string }) => unit.code).sort()).toEqual(newCodes.sort());
  expect(reply.body.changes.units.removed).toEqual([]);
  expect(reply.body.changes.people.added).toHaveLength(people.filter((person) => !samplePeople.has(person.id)).length);
  expect(reply.body.changes.people.removed).toEqual([]);
  // The sample's units gain their boundaries (and the towns their communities); nothing else of theirs changes.
  for (const change of reply.body.changes.units.changed) expect(change.fields).toEqual(['boundary']);
});
