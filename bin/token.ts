/**
 * npm run -s token -- --role ROLE --unit CODE [--department CODE] [--name NAME] [--phone PHONE] [--sub ID]
 * Prints one local ID token (Cognito's shape, valid a day) and nothing else, signed with the local user
 * pool's key in the data folder (GRIDFLOW_DATA_DIR; made here if `npm start` has not made it yet).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../dev-server/adapters/local-jwt';
import { isUnitCode } from '../shared/domain/unit-codes';
import { UnitDirectory } from '../shared/domain/units';
import { ROLES, type Role } from '../shared/domain/types';
import { localSettings } from './local-settings';
import { sampleClaims } from './sample-users';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    unit: { type: 'string' },
    department: { type: 'string' },
    name: { type: 'string' },
    phone: { type: 'string' },
    sub: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(
    `${message}\nUsage: npm run -s token -- --role ROLE --unit CODE [--department CODE] [--name NAME] [--phone PHONE]\n`,
  );
  process.exit(2);
}

if (!values.role || !(ROLES as readonly string[]).includes(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (!values.unit || !isUnitCode(values.unit)) fail('--unit must be a unit code (6, 9, 12 or 15 digits)');
if (values.role === 'department' && !values.department) fail('--department is required for --role department');

const { dataDir } = localSettings();
const districtFile = join(dataDir, 'district.json');
const directory = existsSync(districtFile) ? new UnitDirectory(JSON.parse(readFileSync(districtFile, 'utf8'))) : UnitDirectory.sample();
const { department, name, phone, sub } = values;
const claims = sampleClaims(directory, values.role as Role, values.unit, { department, name, phone, sub });
process.stdout.write(`${LocalSigningKey.loadOrCreate(join(dataDir, LOCAL_KEY_FILE)).idToken(claims)}\n`);
