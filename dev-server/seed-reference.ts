/**
 * A data folder's first reference version (issue 14): the district and catalog files of a data folder from before
 * the documents were kept in the table (`district.json`, `catalog.json`, imported once as version 1 and no longer
 * read after), else the bundled samples; and the calendars. Only local mode and the tests seed: nothing here is in
 * a Lambda bundle. The calendars: every year chinese-days knows (seed-calendars.ts), with the working hours of the
 * 2026 file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusinessCalendar } from '../shared/domain/calendar';
import { Catalog, type CatalogFile } from '../shared/domain/catalog';
import type { ReferenceDocumentSet } from '../shared/domain/reference-documents';
import { chineseDaysCalendars } from './seed-calendars';
import { type DirectoryData, UnitDirectory, type UnitNode } from '../shared/domain/units';
import type { Clock } from '../shared/ports/clock';
import type { ReferenceStore } from '../shared/ports/reference';
import sampleUnits from '../shared/data/units-huicheng-sample.json' with { type: 'json' };
import sampleRoster from '../shared/data/roster.json' with { type: 'json' };
import sampleCatalog_ from '../shared/data/catalog.json' with { type: 'json' };
import holidays2026 from '../shared/data/holidays-cn-2026.json' with { type: 'json' };

/** Who applied a seeded version, in its audit. */
export const SEED_AUTHOR = 'gridflow-local-seed';

/** The sample district (Huicheng's nine grids) and its roster: tests and a new data folder's seed. */
export function sampleDirectory(): UnitDirectory {
  return new UnitDirectory(sampleDirectoryData());
}

export function sampleCatalog(): Catalog {
  return new Catalog(sampleCatalog_ as CatalogFile);
}

let calendar2026: BusinessCalendar | undefined;
/** The 2026 mainland calendar (immutable, so shared). */
export function sampleCalendar(): BusinessCalendar {
  calendar2026 ??= new BusinessCalendar(holidays2026);
  return calendar2026;
}

export function sampleDirectoryData(): DirectoryData {
  // JSON's types widen the boundaries' "Polygon" to string: the file is the sample, checked by the reference rules when seeded.
  return {
    units: sampleUnits.units as unknown as UnitNode,
    departments: sampleUnits.departments,
    people: sampleRoster.people as DirectoryData['people'],
  };
}

/** The directory and catalog a data folder's first version holds (tools read them before any platform runs). */
export function seedReferenceData(dataDir: string | undefined): { directory: UnitDirectory; catalog: Catalog } {
  const { directory, catalog } = seedFiles(dataDir);
  return { directory: new UnitDirectory(directory), catalog: new Catalog(catalog) };
}

export function seedDocuments(dataDir: string | undefined): ReferenceDocumentSet {
  const { directory, catalog } = seedFiles(dataDir);
  return {
    units: directory.units,
    departments: directory.departments,
    people: directory.people,
    catalog,
    'working-hours': { timezone: holidays2026.timezone, workingHours: holidays2026.workingHours },
    ...chineseDaysCalendars(),
  };
}

/** Applies the seed as version 1 when the table has no version yet; says what it did. */
export async function seedReference(store: ReferenceStore, dataDir: string | undefined, clock: Clock): Promise<string | undefined> {
  if (await store.current()) return undefined;
  const { imported } = seedFiles(dataDir);
  await store.apply(seedDocuments(dataDir), undefined, {
    appliedAt: clock.now().toISOString(),
    appliedBy: SEED_AUTHOR,
    note: imported.length
      ? `imported from the data folder's ${imported.join(' and ')}`
      : 'the sample district (Huicheng), its roster and catalog',
  });
  return imported.length
    ? `Reference data: the data folder's ${imported.join(' and ')} imported as version 1 (the files are no longer read)`
    : 'Reference data: the sample district seeded as version 1';
}

function seedFiles(dataDir: string | undefined): { directory: DirectoryData; catalog: CatalogFile; imported: string[] } {
  const imported: string[] = [];
  const read = <T>(name: string, sample: T): T => {
    const file = dataDir && join(dataDir, name);
    if (!file || !existsSync(file)) return sample;
    imported.push(name);
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  };
  return {
    directory: read('district.json', sampleDirectoryData()),
    catalog: read('catalog.json', sampleCatalog_ as CatalogFile),
    imported,
  };
}
