/**
 * npm run district -- COMMAND …   (docs/district-data.md)
 *
 * The district's own data as a district keeps it: spreadsheets (XLSX or CSV) for the units, departments and people,
 * GeoJSON for the boundaries, JSON for the catalog and calendars. Every command prints a one-line summary last and
 * exits non-zero on any refusal. import, export and users talk to the platform's admin API — locally the running
 * `npm start` of GRIDFLOW_DATA_DIR, or a deployment with --api and --token — and never open its database.
 */
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Person } from '../shared/domain/units';
import { currentDocuments, Refusal, targetOf } from './district/admin-api';
import { exportDistrict, writeTemplate } from './district/export-command';
import { GENERATED_GRIDS, generatedDistrict } from './district/generated-district';
import { importDistrict } from './district/import-command';
import { syncUsers } from './district/users-sync';
import { TABLE_FORMATS, type TableFormat, writeDistrictFiles } from './district/write-files';

const USAGE = `Usage: npm run district -- COMMAND [options]
  generate --out DIR [--format csv|xlsx]   write a generated district (${GENERATED_GRIDS.toLocaleString('en')} grids in the sample's 13 towns and streets)
  import DIR|FILE… [--yes] [--note TEXT] [--all]
                                           validate the files as a new reference version, print the changes and every
                                           problem with its row and column; apply on --yes (or when confirmed)
  export --out DIR [--format xlsx|csv]     write the version in effect in the import formats
  template --out DIR [--format xlsx|csv]   write empty, documented sheets
  users sync [--dry-run] [--user-pool-id ID]
                                           make the Cognito user pool hold the roster in effect: create, update, disable
                                           accounts (username = person id) and their role groups; the pool from
                                           GRIDFLOW_USER_POOL_ID (the stack's UserPoolId output), your AWS credentials
Options of import and export: --api URL --token TOKEN (a deployment; or GRIDFLOW_API_URL, GRIDFLOW_TOKEN); locally the
running npm start of GRIDFLOW_DATA_DIR (default ./.gridflow), called with an admin token of its key (--as PERSON names it).
`;

const print = (line: string) => process.stdout.write(`${line}\n`);

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
  process.exit(command ? 0 : 2);
}

let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
try {
  parsed = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      all: { type: 'boolean' },
      note: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      as: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'user-pool-id': { type: 'string' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const text = (name: string) => (typeof parsed.values[name] === 'string' ? (parsed.values[name] as string) : undefined);
const out = text('out');
const format = (defaultFormat: TableFormat): TableFormat => {
  const given = text('format') ?? defaultFormat;
  if (!TABLE_FORMATS.includes(given as TableFormat)) usage(`--format is xlsx or csv, not '${given}'`);
  return given as TableFormat;
};
const needOut = () => out ?? usage(`${command} needs --out DIR`);
const target = { api: text('api'), token: text('token'), as: text('as') };

async function run(): Promise<number> {
  switch (command) {
    case 'generate': {
      const dir = needOut();
      const district = generatedDistrict();
      for (const { file, bytes } of await writeDistrictFiles(dir, district, format('csv')))
        print(`  ${file}  ${bytes.toLocaleString('en')} bytes`);
      const grids = district.people.filter((person) => person.role === 'grid_worker').length;
      print(
        `generated: ${grids.toLocaleString('en')} grids, ${district.people.length.toLocaleString('en')} people, ${district.departments.length} departments in ${dir}`,
      );
      return 0;
    }
    case 'import':
      if (parsed.positionals.length === 0) usage('import needs a folder or files');
      return importDistrict(
        parsed.positionals,
        { yes: parsed.values.yes === true, all: parsed.values.all === true, note: text('note'), ...target },
        print,
      );
    case 'export':
      return exportDistrict(needOut(), { format: format('xlsx'), ...target }, print);
    case 'template':
      return writeTemplate(needOut(), format('xlsx'), print);
    case 'users': {
      if (parsed.positionals[0] !== 'sync') usage('users needs a subcommand: users sync [--dry-run]');
      const userPoolId = text('user-pool-id') ?? process.env.GRIDFLOW_USER_POOL_ID;
      if (!userPoolId) usage('users sync needs the user pool: --user-pool-id ID or GRIDFLOW_USER_POOL_ID (the stack output UserPoolId)');
      const current = await currentDocuments(await targetOf(target), ['people']);
      if (!current) throw new Refusal('The platform has no reference version yet: no roster to sync');
      const client = new CognitoIdentityProviderClient({ maxAttempts: 8, retryMode: 'adaptive' });
      try {
        await syncUsers(current.documents.people as Person[], { client, userPoolId, dryRun: parsed.values['dry-run'] === true, print });
      } finally {
        client.destroy();
      }
      return 0;
    }
    default:
      usage(`Unknown command '${command}'`);
  }
}

try {
  process.exitCode = await run();
} catch (error) {
  // A refusal, or AWS refusing a call (no credentials, no such pool, not allowed): one line, exit 1.
  const aws = (error as { $metadata?: unknown }).$metadata !== undefined || (error as Error).name === 'CredentialsProviderError';
  if (!(error instanceof Refusal) && !aws) throw error;
  print(`${command}: refused: ${(error as Error).name === 'Error' ? '' : `${(error as Error).name}: `}${(error as Error).message}`);
  process.exitCode = 1;
}
