/**
 * npm run report -- <daily|weekly|monthly|quarterly> --unit CODE [--period PERIOD] [--department CODE] [--out DIR]
 *
 * Writes a report as HTML and CSV, `<out>/<kind>-<scope>-<period>.html|csv` (default out: ./reports),
 * and prints their paths. The report comes over HTTP, as the district center sees it: from a running
 * `npm start` at GRIDFLOW_URL (default: the API of the GridFlow running on the data folder, else
 * http://localhost:$PORT) if one answers, otherwise from GridFlow started here on the data folder
 * (GRIDFLOW_DATA_DIR) for the time it takes, then stopped. Tokens are signed with the data folder's key, so the
 * server must run on the same data folder; the unit, the department and the district center are that GridFlow's
 * (its version in effect, through its admin API).
 *
 *   npm run report -- monthly --unit 441302 --period 2026-11
 *   npm run report -- weekly --unit 441302010 --period 2026-W48 --department urban-management
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../dev-server/adapters/local-jwt';
import { writeFileAtomic } from '../dev-server/durable-files';
import { startLocalPlatform, type LocalPlatform } from '../dev-server/local-platform';
import type { Report } from '../shared/domain/reports';
import { renderCsv, reportFileName } from '../shared/presenters/reports/render-csv';
import { renderHtml } from '../shared/presenters/reports/render-html';
import { parsePeriod, PeriodError, REPORT_KINDS, type ReportKind } from '../shared/domain/periods';
import { districtOf, isUnitCode } from '../shared/domain/unit-codes';
import type { UnitDirectory } from '../shared/domain/units';
import { localSettings, type LocalSettings } from './local-settings';
import { sampleClaims } from './sample-users';
import { platformUrl, runningDistrict } from './running-district';

const USAGE = 'Usage: npm run report -- <daily|weekly|monthly|quarterly> --unit CODE [--period PERIOD] [--department CODE] [--out DIR]';

interface ReportRequest {
  kind: ReportKind;
  unit: string;
  period?: string;
  department?: string;
  out: string;
}

class UsageError extends Error {}

try {
  const settings = localSettings();
  const request = parseRequest(process.argv.slice(2));
  const report = await withGridFlow(settings, async (url) => {
    const key = LocalSigningKey.loadOrCreate(join(settings.dataDir, LOCAL_KEY_FILE));
    const district = await runningDistrict(url, key);
    if (!district) throw new Error(`GridFlow at ${url} refused the token: is it running on this data folder (GRIDFLOW_DATA_DIR)?`);
    checkAgainstDistrict(request, district.directory);
    return fetchReport(url, key.idToken(sampleClaims(district.directory, 'district_center', districtOf(request.unit))), request);
  });
  for (const path of writeReport(report, request.out)) console.log(path);
  process.exit(0);
} catch (error) {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : `No report: ${(error as Error).message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}

/** The arguments, checked before anything starts: a typo is a clear message, not a 4xx. */
function parseRequest(args: string[]): ReportRequest {
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[];
      allowPositionals: true;
      options: { unit: { type: 'string' }; period: { type: 'string' }; department: { type: 'string' }; out: { type: 'string' } };
    }>
  >;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { unit: { type: 'string' }, period: { type: 'string' }, department: { type: 'string' }, out: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const kind = positionals[0];
  if (!kind || !(REPORT_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`The report must be one of ${REPORT_KINDS.join(', ')}${kind ? `, not "${kind}"` : ''}`);
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}"`);
  if (!values.unit) throw new UsageError('--unit is required, e.g. --unit 441302 (the district) or --unit 441302010 (a street)');
  if (!isUnitCode(values.unit)) throw new UsageError(`--unit must be a unit code of 6, 9, 12 or 15 digits, not "${values.unit}"`);
  if (values.period) {
    try {
      parsePeriod(kind as ReportKind, values.period);
    } catch (error) {
      if (error instanceof PeriodError) throw new UsageError(`--period: ${error.message}`);
      throw error;
    }
  }
  return {
    kind: kind as ReportKind,
    unit: values.unit,
    period: values.period,
    department: values.department,
    out: values.out ?? 'reports',
  };
}

/** The unit and department, checked against the running GridFlow's district (its version in effect). */
function checkAgainstDistrict(request: ReportRequest, directory: UnitDirectory): void {
  if (!directory.unit(request.unit))
    throw new UsageError(
      `--unit ${request.unit} is not a unit of the district (${directory.districts().join(', ')}); GET /units lists them`,
    );
  if (request.department && !directory.department(request.department)) {
    throw new UsageError(
      `--department ${request.department} does not exist; one of ${directory
        .allDepartments()
        .map((department) => department.code)
        .join(', ')}`,
    );
  }
}

/** Runs `load` against the GridFlow that answers (platformUrl), or against one started here and stopped after. */
async function withGridFlow<T>(settings: LocalSettings, load: (url: string) => Promise<T>): Promise<T> {
  const url = platformUrl(settings);
  if (await answers(url)) return load(url);
  if (!existsSync(settings.dataDir)) {
    throw new Error(
      `GridFlow does not answer at ${url} and there is no data folder at ${resolve(settings.dataDir)}: start it (npm start) or set GRIDFLOW_DATA_DIR`,
    );
  }
  console.error(`GridFlow does not answer at ${url}: starting it on ${resolve(settings.dataDir)} for this report…`);
  let platform: LocalPlatform | undefined;
  try {
    platform = await startLocalPlatform({ port: 0, dataDir: settings.dataDir, timeScale: 1, quiet: true });
    return await load(platform.url);
  } finally {
    await platform?.stop();
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok && ((await response.json()) as { service?: string }).service === 'gridflow';
  } catch {
    return false;
  }
}

/** The report as JSON, rendered here: one build, so the HTML and the CSV show the same figures. */
async function fetchReport(url: string, token: string, request: ReportRequest): Promise<Report> {
  const query = new URLSearchParams({ unit: request.unit, format: 'json' });
  if (request.period) query.set('period', request.period);
  if (request.department) query.set('department', request.department);
  const response = await fetch(`${url}/reports/${request.kind}?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (response.status === 401)
    throw new Error(`GridFlow at ${url} refused the token: is it running on this data folder (GRIDFLOW_DATA_DIR)?`);
  if (!response.ok)
    throw new Error(`GET /reports/${request.kind} answered ${response.status}: ${body?.error?.message ?? response.statusText}`);
  return body as unknown as Report;
}

function writeReport(report: Report, out: string): string[] {
  mkdirSync(out, { recursive: true });
  const files: [string, string][] = [
    [join(out, reportFileName(report, 'html')), renderHtml(report)],
    [join(out, reportFileName(report, 'csv')), renderCsv(report)],
  ];
  for (const [path, content] of files) writeFileAtomic(path, content);
  return files.map(([path]) => path);
}
