/**
 * A district of 2,434 grids (issue 15): the generated district (`npm run district -- generate`) beside the sample's
 * nine grids, measured in one run, in a process of its own (its heap is its own).
 *
 * - Generate and import: `npm run district -- generate --out DIR`, then `npm run district -- import DIR --yes`
 *   into a running local platform (DynamoDB Local, the admin API validating and applying it as version 2), each the
 *   real command line as a process, timed from its spawn to its exit (tsx's start included).
 * - Memory of the loaded directory: the V8 heap one function instance holds for a version's units, departments
 *   and people (the documents parsed and the UnitDirectory built from them), read after full collections, the
 *   sample's and the generated one's; and the local platform's heap with the sample, then once every function has
 *   loaded version 2 (local mode has one composition per function, each with its own directory, the documents shared).
 * - Routing: the router alone (assigneeFor, grid tier, over every grid) in microseconds per case, and a report's
 *   whole `POST /events` (registered and routed: the reply names its handler), one at a time, into the sample's
 *   grids before the import and into grids spread over the 2,434 after it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GENERATED_GRIDS, generatedDistrict } from '../bin/district/generated-district';
import { localSubject } from '../bin/sample-users';
import { DrivenClock } from '../dev-server/adapters/driven-clock';
import { sampleDirectoryData } from '../dev-server/seed-reference';
import { parseLocal } from '../shared/domain/calendar';
import { Catalog, type CatalogFile } from '../shared/domain/catalog';
import { assigneeFor } from '../shared/domain/routing';
import { HANDLER_NAMES } from '../shared/http/routes';
import { type DirectoryData, type Person, UnitDirectory } from '../shared/domain/units';
import sampleCatalog from '../shared/data/catalog.json' with { type: 'json' };
import { call, collectGarbage, percentile, round, startBenchPlatform, type BenchPart, type Row } from './lib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const KiB = 1024;
const MiB = 1024 * 1024;

interface Routing {
  grids: number;
  reports: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface DistrictScaleResult {
  grids: number;
  people: number;
  generateSeconds: number;
  importSeconds: number;
  /** The import's last line. */
  importSummary: string;
  /** Heap in use for one loaded directory (its documents and the UnitDirectory; after full collections), the sample's and the generated district's. */
  sampleDirectoryKiB: number;
  generatedDirectoryMiB: number;
  /** The local platform's heap in use (this process), before the import and after every function loaded version 2 (each holds a directory). */
  platformHeapBeforeImportMiB: number;
  platformHeapAfterImportMiB: number;
  /** assigneeFor over every grid of the directory, per call. */
  routerSampleMicroseconds: number;
  routerGeneratedMicroseconds: number;
  reportSample: Routing;
  reportGenerated: Routing;
}

/** Heap in use after two full collections, in bytes. */
function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * The heap a loaded directory holds: its documents parsed from JSON (as a function reads them from the table) and
 * the UnitDirectory built from them; `copies` of it built and held at once, divided (the sample's is small beside
 * the collector's noise).
 */
function directoryBytes(data: DirectoryData, copies: number): { bytes: number; directory: UnitDirectory } {
  const json = JSON.stringify(data);
  const before = heapUsed();
  const held = Array.from({ length: copies }, () => new UnitDirectory(JSON.parse(json) as DirectoryData));
  const bytes = (heapUsed() - before) / copies;
  // The JSON text stays referenced until after the reading, so its release is not counted against the directories.
  if (json.length === 0) throw new Error('No directory data');
  return { bytes, directory: held[0] as UnitDirectory };
}

/** The router's time per case over every grid, several rounds, the fastest round (the least disturbed). */
function routerMicroseconds(directory: UnitDirectory, grids: string[], catalog: Catalog, calls: number): number {
  const item = catalog.item('01-01');
  if (!item) throw new Error('The catalog has no item 01-01');
  let best = Number.POSITIVE_INFINITY;
  for (let round_ = 0; round_ < 5; round_++) {
    const started = performance.now();
    for (let index = 0; index < calls; index++) assigneeFor(directory, 'grid', grids[index % grids.length] as string, item);
    best = Math.min(best, ((performance.now() - started) * 1000) / calls);
  }
  return round(best, 2);
}

function routingOf(grids: number, times: number[]): Routing {
  return {
    grids,
    reports: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    meanMs: round(times.reduce((sum, value) => sum + value, 0) / times.length),
  };
}

const gridsOf = (people: readonly Person[]) => people.filter((person) => person.role === 'grid_worker');

export const districtScalePart: BenchPart<DistrictScaleResult> = {
  key: 'districtScale',
  title: 'A district of 2,434 grids (generated) beside the sample’s 9',
  isolated: true,
  async run(ctx) {
    const reports = ctx.quick ? 60 : 300;
    const folder = mkdtempSync(join(tmpdir(), 'gridflow-bench-district-'));
    try {
      let started = performance.now();
      await promisify(execFile)(TSX, ['bin/district.ts', 'generate', '--out', folder], { cwd: ROOT, maxBuffer: 64 * MiB });
      const generateSeconds = round((performance.now() - started) / 1000, 2);
      ctx.log(`district: generated in ${generateSeconds} s`);

      const generated = generatedDistrict();
      const catalog = new Catalog(sampleCatalog as CatalogFile);
      const sampleData = sampleDirectoryData();
      const sample = directoryBytes(sampleData, 50);
      const big = directoryBytes({ units: generated.units, departments: generated.departments, people: generated.people }, 4);
      const sampleWorkers = gridsOf(sampleData.people as Person[]);
      const generatedWorkers = gridsOf(generated.people);
      const routerSampleMicroseconds = routerMicroseconds(
        sample.directory,
        sampleWorkers.map((person) => person.unit),
        catalog,
        20_000,
      );
      const routerGeneratedMicroseconds = routerMicroseconds(
        big.directory,
        generatedWorkers.map((person) => person.unit),
        catalog,
        20_000,
      );
      ctx.log(`district: a directory holds ${round(sample.bytes / KiB)} KiB (sample), ${round(big.bytes / MiB, 2)} MiB (generated)`);

      // A working day's morning, driven: the functions' minute before they read a new version passes at once.
      const clock = new DrivenClock(parseLocal('2026-11-24 09:00'));
      const bench = await startBenchPlatform({ clock });
      try {
        const { platform } = bench;
        const tokenOf = (person: Person) =>
          platform.token({
            sub: localSubject(person.id),
            name: person.name,
            'custom:person': person.id,
            'custom:role': person.role,
            'custom:units': person.unit,
            phone_number: `+86${person.phone}`,
          });
        const report = async (worker: Person, index: number) => {
          const reply = await call(platform.url, 'POST', '/events', {
            token: tokenOf(worker),
            body: { itemCode: '01-01', gridCode: worker.unit, description: `排水口堵塞 ${index}`, severity: 4 },
          });
          if (reply.status !== 201 || reply.body.assignee?.id !== worker.id)
            throw new Error(`A report into ${worker.unit} was not routed to its worker: ${reply.status} ${JSON.stringify(reply.body)}`);
          return reply.ms;
        };
        // Warm-up (not counted): the first reports compile the functions' code paths.
        for (let index = 0; index < 20; index++) await report(sampleWorkers[index % sampleWorkers.length] as Person, index);
        const sampleTimes: number[] = [];
        for (let index = 0; index < reports; index++)
          sampleTimes.push(await report(sampleWorkers[index % sampleWorkers.length] as Person, index));
        const platformHeapBefore = heapUsed();

        const admin = bench.token('admin', '441302');
        started = performance.now();
        const { stdout } = await promisify(execFile)(
          TSX,
          ['bin/district.ts', 'import', folder, '--yes', '--api', platform.url, '--token', admin, '--note', 'bench'],
          { cwd: ROOT, maxBuffer: 64 * MiB },
        );
        const importSeconds = round((performance.now() - started) / 1000, 2);
        const importSummary = stdout.trim().split('\n').at(-1) ?? '';
        ctx.log(`district: imported in ${importSeconds} s (${importSummary})`);
        await clock.advance(61_000);
        // Every function's composition loads version 2 (each holds a directory of its own; documents are shared).
        for (const name of HANDLER_NAMES) await platform.dependenciesOf(name).refreshReference?.();

        // Grids spread over the district (every k-th worker), each report by its own worker.
        const stride = Math.max(1, Math.floor(generatedWorkers.length / reports));
        const generatedTimes: number[] = [];
        for (let index = 0; index < reports; index++)
          generatedTimes.push(await report(generatedWorkers[(index * stride) % generatedWorkers.length] as Person, index));
        const platformHeapAfter = heapUsed();

        return {
          grids: generatedWorkers.length,
          people: generated.people.length,
          generateSeconds,
          importSeconds,
          importSummary,
          sampleDirectoryKiB: round(sample.bytes / KiB),
          generatedDirectoryMiB: round(big.bytes / MiB, 2),
          platformHeapBeforeImportMiB: round(platformHeapBefore / MiB),
          platformHeapAfterImportMiB: round(platformHeapAfter / MiB),
          routerSampleMicroseconds,
          routerGeneratedMicroseconds,
          reportSample: routingOf(sampleWorkers.length, sampleTimes),
          reportGenerated: routingOf(GENERATED_GRIDS, generatedTimes),
        };
      } finally {
        await bench.stop();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
  rows(result): Row[] {
    const routing = (r: Routing) =>
      `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.reports} reports into ${r.grids.toLocaleString('en')} grids)`;
    return [
      { figure: 'generate the district (CLI, start to exit)', value: `${result.generateSeconds} s` },
      { figure: `import it into npm start (validate, diff, apply; CLI)`, value: `${result.importSeconds} s: ${result.importSummary}` },
      {
        figure: 'one directory in memory (V8 heap): sample 9 grids vs 2,434',
        value: `${result.sampleDirectoryKiB} KiB vs ${result.generatedDirectoryMiB} MiB (${result.people.toLocaleString('en')} people)`,
      },
      {
        figure: `local platform's heap: sample → every function (${HANDLER_NAMES.length}) holding the 2,434 grids`,
        value: `${result.platformHeapBeforeImportMiB} → ${result.platformHeapAfterImportMiB} MiB`,
      },
      {
        figure: 'router alone (grid tier), per case: 9 grids vs 2,434',
        value: `${result.routerSampleMicroseconds} µs vs ${result.routerGeneratedMicroseconds} µs`,
      },
      { figure: 'report → routed (POST /events), 9 grids', value: routing(result.reportSample) },
      { figure: 'report → routed (POST /events), 2,434 grids', value: routing(result.reportGenerated) },
    ];
  },
};
