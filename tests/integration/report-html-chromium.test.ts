/**
 * The monthly bulletin as a district leader opens it: GET /reports/monthly as HTML from the local
 * stack, rendered by headless Chromium (Debian's /usr/bin/chromium; .ci/run installs it). The DOM
 * Chromium builds must hold the charts — svg elements with their class, their title and their bars
 * — and a screenshot must come out as a PNG. The CSV is fetched by Accept, as a spreadsheet would.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { at, eventually, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, XIAOJINKOU, type Stack } from '../support/local-stack';

const CHROMIUM = '/usr/bin/chromium';
const PERIOD = '2026-11';
const DAY = '2026-11-23';
const run = promisify(execFile);

let stack: Stack;
let workDir: string;
let district: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is needed: apt-get install -y chromium (.ci/run installs it)`);
  workDir = mkdtempSync(join(tmpdir(), 'gridflow-report-'));
  stack = await startStack({ timeScale: 1, clockStart: at(`${DAY} 09:00`) });
  district = stack.token('district_center', HUICHENG);
  await seedHistory();
}, 30_000);

afterAll(async () => {
  await stack?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Three grid-worker reports (one handled) and a street stall that the street's urban-management team clears on time. */
async function seedHistory() {
  const worker = (grid: string) => stack.token('grid_worker', grid);
  const grid2 = `${JINYUAN}002`;
  const reports = [
    { token: worker(JINYUAN_GRID_1), body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description: '金英街排水口堵塞' } },
    {
      token: worker(JINYUAN_GRID_1),
      body: { itemCode: '01-01', gridCode: JINYUAN_GRID_1, severity: 4, description: '金英街另一排水口堵塞' },
    },
    { token: worker(grid2), body: { itemCode: '03-08', gridCode: grid2, severity: 4, description: '夜间噪音扰民' } },
    {
      token: stack.token('town_center', XIAOJINKOU),
      body: { itemCode: '01-04', gridCode: grid2, severity: 2, description: '占道经营堵塞主干道' },
    },
  ];
  const ids = await Promise.all(
    reports.map(async ({ token, body }) => {
      const created = await stack.call('POST', '/events', { token, body });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      await eventually(
        async () => ((await stack.call('GET', `/events/${id}`, { token: district })).body.stage === 'routed' ? true : undefined),
        `${id} routed`,
      );
      return id;
    }),
  );
  const complete = (id: string, token: string) =>
    stack.call('POST', `/events/${id}/actions`, { token, body: { action: 'complete', note: '已处置' } });
  const [drain, stall] = await Promise.all([
    complete(ids[0], worker(JINYUAN_GRID_1)),
    complete(ids[3], stack.token('department', XIAOJINKOU, { department: 'urban-management' })),
  ]);
  expect([drain.status, stall.status]).toEqual([200, 200]);
}

async function getReport(query: string, headers: Record<string, string> = {}, kind = 'monthly') {
  const period = kind === 'daily' ? DAY : PERIOD;
  const response = await fetch(`${stack.url}/reports/${kind}?unit=${HUICHENG}&period=${period}${query}`, {
    headers: { authorization: `Bearer ${district}`, ...headers },
  });
  // The bytes as sent: response.text() would drop the CSV's byte-order mark.
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

/** Headless Chromium on a local file, isolated (its own profile) and kept off the network. */
async function chromium(file: string, ...args: string[]): Promise<string> {
  const profile = mkdtempSync(join(workDir, 'profile-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ];
  const { stdout } = await run(CHROMIUM, [...flags, ...args, `file://${file}`], { timeout: 15_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The serialised svg element with this class in the DOM Chromium built, if any. */
function svgIn(dom: string, className: string): string | undefined {
  return new RegExp(`<svg[^>]*class="chart ${className}"[\\s\\S]*?</svg>`).exec(dom)?.[0];
}

test('the HTML bulletin renders in Chromium with its charts, and a screenshot of it is a PNG', async () => {
  const json = JSON.parse((await getReport('&format=json')).text);
  const page = await getReport('&format=html');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  const file = join(workDir, 'monthly.html');
  writeFileSync(file, page.text);
  const screenshot = join(workDir, 'monthly.png');

  const [dom] = await Promise.all([
    chromium(file, '--dump-dom'),
    chromium(file, '--hide-scrollbars', '--window-size=1000,1400', `--screenshot=${screenshot}`),
  ]);

  // The page rendered: Chromium's DOM has its title and its header.
  expect(dom).toMatch(/<title>惠城区 月通报 2026-11[^<]*<\/title>/);
  expect(dom).toContain('<header class="report-header">');
  expect(dom).not.toMatch(/<script/i);

  const byClass = svgIn(dom, 'chart-by-class')!;
  expect(byClass).toBeDefined();
  expect(byClass).toMatch(/<title>按大类/);
  const reportedBars = [...byClass.matchAll(/<rect class="bar bar-reported"[^>]*data-value="(\d+)"/g)].map((match) => Number(match[1]));
  expect(reportedBars).toEqual(json.byClass.map((entry: { reported: number }) => entry.reported));
  expect(reportedBars.reduce((sum, value) => sum + value, 0)).toBe(4);

  // The street team cleared its stall on time: a full bar in the department ranking, graded.
  const ranking = svgIn(dom, 'chart-ranking')!;
  expect(ranking).toBeDefined();
  expect(ranking).toMatch(/<rect class="bar bar-rate"[^>]*data-value="100"/);
  expect(ranking).toMatch(/<g class="grade-badge grade-[A-E]">/);

  const topGrids = svgIn(dom, 'chart-top-grids')!;
  expect(topGrids).toBeDefined();
  expect(topGrids.match(/<rect class="bar bar-reported"/g)).toHaveLength(json.hotspots.topGrids.length);

  const png = readFileSync(screenshot);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1000, 1400]); // IHDR: width, height
  expect(statSync(screenshot).size).toBeGreaterThan(10_000); // a drawn page, not a blank one
}, 30_000);

test('the CSV comes by Accept: text/csv, as an attachment Excel opens', async () => {
  const json = JSON.parse((await getReport('')).text);
  const csv = await getReport('', { accept: 'text/csv' });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="monthly-${HUICHENG}-${PERIOD}.csv"`);
  expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const lines = csv.text.slice(1).split('\r\n');
  expect(lines.slice(0, 2)).toEqual(['汇总 Summary', '指标 Figure,数值 Value']);
  expect(lines).toContain(`上报 Reported,${json.totals.reported}`);
  expect(lines).toContain('部门排名 Department ranking');
  expect(lines).toContain('按大类 By class');
});

test('?format= wins over Accept; a browser gets HTML; anything else gets JSON', async () => {
  // The daily summary: the same negotiation, a cheaper report.
  const contentType = async (query: string, accept?: string) =>
    (await getReport(query, accept ? { accept } : {}, 'daily')).headers.get('content-type');
  expect(await contentType('', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('text/html; charset=utf-8');
  expect(await contentType('&format=json', 'text/html')).toBe('application/json; charset=utf-8');
  expect(await contentType('&format=csv', 'text/html')).toBe('text/csv; charset=utf-8');
  expect(await contentType('', 'text/html;q=0.4, text/csv;q=0.6')).toBe('text/csv; charset=utf-8');
  const plain = await getReport('', { accept: '*/*' }, 'daily');
  expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(plain.headers.get('vary')).toBe('Accept');
  expect(JSON.parse(plain.text)).toMatchObject({ kind: 'daily', period: { label: DAY } });
  // Errors stay JSON whatever form was asked for.
  const wrongPeriod = await fetch(`${stack.url}/reports/monthly?unit=${HUICHENG}&period=2026-13&format=html`, {
    headers: { authorization: `Bearer ${district}` },
  });
  expect(wrongPeriod.status).toBe(400);
  expect(wrongPeriod.headers.get('content-type')).toBe('application/json; charset=utf-8');
});
