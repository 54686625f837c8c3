/**
 * npm run -s token -- --role ROLE --unit CODE [--department CODE] [--name NAME] [--phone PHONE] [--person ID] [--sub ID]
 * Prints one local ID token (Cognito's shape, valid a day) and nothing else, signed with the local user
 * pool's key in the data folder (GRIDFLOW_DATA_DIR; made here if `npm start` has not made it yet). The unit and
 * department must be the district's, and the person is its roster's: the version in effect of the GridFlow running
 * on the data folder, read through its admin API (running-district.ts); only where none answers, the data folder's
 * old district.json or the sample. A refusal lists the valid values and says which district it went by.
 */
import { parseArgs } from 'node:util';
import { PERSON_ID_PATTERN } from '../shared/domain/caller';
import { isUnitCode, levelOfCode } from '../shared/domain/unit-codes';
import { ROLES, type Role } from '../shared/domain/types';
import { localSettings } from './local-settings';
import { sampleClaims } from './sample-users';
import { toolDistrict } from './running-district';

const USAGE = `Usage: npm run -s token -- --role ROLE --unit CODE [--department CODE] [--name NAME] [--phone PHONE] [--person ID] [--sub ID]
  --role        one of ${ROLES.join(', ')}
  --unit        a unit of the district (6, 9, 12 or 15 digits), e.g. 441302010001001 (a grid) or 441302 (the district)
  --department  the department's code, for --role department
  --person      the person id (custom:person), e.g. gw-ouyang-lingqiao (default: the roster's person of that role and unit)
  --name, --phone, --sub   override the name, phone or account subject (default: the person's; sub a UUID made from the person id)
Prints one local ID token, valid a day, signed with the key in GRIDFLOW_DATA_DIR (default ./.gridflow), for the
people of the district of the GridFlow running on that folder (the sample district where none answers).
Example: npm run -s token -- --role district_center --unit 441302
`;
/** How many valid values a refusal lists before it says how many more there are. */
const LISTED = 20;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

function listed(values: string[]): string {
  const shown = values.slice(0, LISTED).join(', ');
  return values.length > LISTED ? `${shown} … (${values.length} in all; GET /units lists them)` : shown;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      role: { type: 'string' },
      unit: { type: 'string' },
      department: { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      person: { type: 'string' },
      sub: { type: 'string' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
const role = text('role');
const unit = text('unit');
const department = text('department');

if (!role || !(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (!unit || !isUnitCode(unit)) fail('--unit must be a unit code (6, 9, 12 or 15 digits)');
if (role === 'department' && !department) fail('--department is required for --role department');

const { directory, source, key } = await toolDistrict(localSettings());
if (!directory.unit(unit)) {
  const level = levelOfCode(unit);
  const sameLevel = directory
    .allUnits()
    .filter((each) => each.level === level)
    .map((each) => each.code);
  fail(`--unit ${unit} is not a unit of the district (${source}); valid ${level ?? ''} units: ${listed(sameLevel)}`);
}
if (department && !directory.department(department))
  fail(
    `--department ${department} is not a department of the district (${source}); valid: ${listed(directory.allDepartments().map((each) => `${each.code} (${each.name})`))}`,
  );
const person = text('person');
if (person !== undefined && !PERSON_ID_PATTERN.test(person))
  fail('--person must be a person id: letters, digits and . _ : - only, up to 128');
const claims = sampleClaims(directory, role as Role, unit, {
  department,
  name: text('name'),
  phone: text('phone'),
  person,
  sub: text('sub'),
});
process.stdout.write(`${key.idToken(claims)}\n`);
