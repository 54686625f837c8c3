/**
 * npm run district -- generate --out DIR
 *
 * The district's own data as a district keeps it (docs/district-data.md). `generate` writes a generated district of
 * 2,434 grids (bin/district/generated-district.ts) in the import formats. Every command prints a one-line summary
 * last and exits non-zero on any refusal.
 */
import { parseArgs } from 'node:util';
import { GENERATED_GRIDS, generatedDistrict } from './district/generated-district';
import { writeDistrictFiles } from './district/write-files';

const USAGE = `Usage: npm run district -- COMMAND [options]
  generate --out DIR     write a generated district (${GENERATED_GRIDS.toLocaleString('en')} grids, the sample's 13 towns and streets) in the import formats
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
  process.exit(command ? 0 : 2);
}

let options: { values: Record<string, string | boolean | undefined>; positionals: string[] };
try {
  options = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
const out = typeof options.values.out === 'string' ? options.values.out : undefined;

switch (command) {
  case 'generate': {
    if (!out) fail(`generate needs --out DIR\n${USAGE}`);
    const district = generatedDistrict();
    const written = writeDistrictFiles(out, district);
    for (const { file, bytes } of written) process.stdout.write(`  ${file}  ${bytes.toLocaleString('en')} bytes\n`);
    const grids = district.people.filter((person) => person.role === 'grid_worker').length;
    process.stdout.write(
      `generated: ${grids.toLocaleString('en')} grids, ${district.people.length.toLocaleString('en')} people, ${district.departments.length} departments in ${out}\n`,
    );
    break;
  }
  default:
    fail(`Unknown command '${command}'\n${USAGE}`);
}
