/**
 * The command center in Chromium against a real local platform (issue 16): a district operator signs in from the
 * roster and sees the board; a level-1 report raises the banner until the person opens it, on any screen; the buttons of a case are exactly
 * its allowedActions for each role (and the API refuses the rest); the street center finds a case in its queue and
 * dispatches it, and the department's clerk finds it among the team's cases, signs for it and completes it through
 * the pages, a stale form showing the 409; a report opens inside the app. And the initial JavaScript stays within its
 * budget.
 */
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST } from '../../web/build';

// Run inside the page (playwright serialises these functions): the browser's globals, which Node's types do not know.
declare const document: { querySelector(selector: string): unknown };
declare const sessionStorage: { getItem(key: string): string | null };
import { actionButtons, newPage, openSignedIn, SCREENS_DIR, startBrowser } from '../support/browser';
import {
  act,
  at,
  eventWhen,
  fetchEvent,
  HUICHENG,
  JINYUAN,
  JINYUAN_GRID_1,
  type Stack,
  startStack,
  XIAOJINKOU,
} from '../support/local-stack';

/** The budget for the JavaScript the first page loads, gzipped (issue 16). */
const INITIAL_JS_BUDGET = 300 * 1024;
/** The board reads again every 5 s: a surge of reports is there within two readings (issue 16: up to 10 s). */
const SURGE_WAIT_MS = 10_000;
/** Other waits on a reading: with room for a machine loaded by a whole test suite. */
const BOARD_WAIT_MS = 20_000;

let stack: Stack;
let browser: Browser;
let district: string;
const grid = (n: number) => `${JINYUAN}00${n}`;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ timeScale: 1, clockStart: at('2026-11-23 09:00') }), startBrowser()]);
  district = stack.token('district_center', HUICHENG);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A report by the grid's worker, once routed (its handler and clock set). */
async function reported(gridCode: string, itemCode: string, severity: number, description: string): Promise<string> {
  const created = await stack.call('POST', '/events', {
    token: stack.token('grid_worker', gridCode),
    body: { itemCode, gridCode, severity, description, location: { lat: 23.1315, lng: 114.4152, address: '金源社区' } },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  await eventWhen(stack, id, district, (event) => event.stage === 'routed', 'routed');
  return id;
}

async function rowIds(page: Page): Promise<string[]> {
  return page.locator('tr[data-case]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case') ?? ''));
}

test('a district operator signs in from the roster and sees the open cases, most urgent first, with their clocks', async () => {
  const ids = await Promise.all([
    reported(JINYUAN_GRID_1, '01-01', 4, '金英街排水口堵塞'),
    reported(grid(2), '03-08', 4, '夜间噪音扰民'),
    reported(grid(3), '02-03', 2, '金源路内涝积水'),
    reported(grid(5), '01-03', 3, '人行道破损'),
  ]);
  const { context, page, errors } = await newPage(browser, { width: 1920, height: 1080 });
  await page.goto(`${stack.url}/`);
  // The roster of the running platform, unit by unit: the district center's duty officer among them.
  const operator = page.locator('button[data-person="dc-huicheng-duty"]');
  await operator.waitFor();
  expect(await page.locator('.roster .unit h3').first().textContent()).toContain('惠城区');
  await operator.click();
  await page.getByTestId('who').waitFor();
  expect(await page.getByTestId('who').textContent()).toContain('惠城区网格中心值班员');
  expect(await page.evaluate(() => sessionStorage.getItem('gridflow.token'))).toMatch(/^eyJ/);

  await page.waitForFunction((expected) => expected.every((id) => document.querySelector(`tr[data-case="${id}"]`)), ids, {
    timeout: BOARD_WAIT_MS,
  });
  // Most urgent first, as the API lists them: the level-2 flooding before the level-3 and level-4 cases.
  const { body: urgent } = await stack.call('GET', `/events?sort=urgency&unit=${HUICHENG}&limit=100`, { token: district });
  expect(await rowIds(page)).toEqual(urgent.items.map((event: { id: string }) => event.id));
  expect((await rowIds(page))[0]).toBe(ids[2]);
  const flood = page.locator(`tr[data-case="${ids[2]}"]`);
  expect(await flood.locator('td').allTextContents()).toEqual([
    ids[2],
    '内涝积水',
    '金源社区第3网格',
    '街道 Street',
    expect.stringContaining('小金口街道水务站'),
    '未签收',
    expect.stringMatching(/^剩 \d/),
  ]);
  // A fresh clock has most of its time left: green.
  expect(await flood.locator('.countdown').getAttribute('data-urgency')).toBe('ample');
  // Counts per tier; a tier's button filters the rows.
  expect(await page.locator('.tiers button[data-tier="grid"] .count').textContent()).toBe('2');
  await page.locator('.tiers button[data-tier="town"]').click();
  expect(await rowIds(page)).toEqual([ids[2]]);
  await page.locator('.tiers button[data-tier="town"]').click();
  await page.selectOption('select[name="source"]', 'citizen');
  expect(await rowIds(page)).toEqual([]);
  await page.selectOption('select[name="source"]', '');
  // Per street and by class or item: Xiaojinkou holds them all; the flooding is a matter of safety (02).
  expect(await page.locator('.streets button[data-street="441302010"] .count').textContent()).toBe('4');
  await page.selectOption('select[name="matter"]', '02');
  expect(await rowIds(page)).toEqual([ids[2]]);
  await page.selectOption('select[name="matter"]', '');

  // A surge of reports shows on the open board within two readings.
  const surge = await Promise.all(
    [1, 2, 3, 4, 5].map(async (n) => {
      const created = await stack.call('POST', '/events', {
        token: stack.token('grid_worker', grid(n)),
        body: { itemCode: '01-02', gridCode: grid(n), severity: 4, description: `暴雨后积存垃圾 ${n}` },
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    }),
  );
  await page.waitForFunction((expected) => expected.every((id) => document.querySelector(`tr[data-case="${id}"]`)), surge, {
    timeout: SURGE_WAIT_MS,
  });
  await page.mouse.move(0, 1000);
  await page.screenshot({ path: join(SCREENS_DIR, 'board.png') });
  expect(statSync(join(SCREENS_DIR, 'board.png')).size).toBeGreaterThan(20_000);
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);

test('a level-1 report raises a banner on the board until the operator opens the case', async () => {
  const { context, page, errors } = await newPage(browser);
  await openSignedIn(page, stack.url, district);
  // ?token= is taken once and leaves the address bar.
  expect(page.url()).toBe(`${stack.url}/#/`);
  const id = await reported(grid(4), '02-09', 1, '金源路路面塌陷，有车辆陷落');
  const banner = page.getByTestId('level-one-banner');
  await banner.waitFor({ timeout: BOARD_WAIT_MS });
  expect(await banner.textContent()).toContain(id);
  await banner.locator(`a[href="#/case/${id}"]`).click();
  await page.locator(`main.case[data-case="${id}"]`).waitFor();
  expect(await banner.count()).toBe(0);
  // Back on the board the case is still there, the banner gone for this person.
  await page.goto(`${stack.url}/#/`);
  await page.locator(`tr[data-case="${id}"]`).waitFor({ timeout: BOARD_WAIT_MS });
  expect(await banner.count()).toBe(0);
  expect(errors).toEqual([]);
  await context.close();

  // The platform keeps who opened it: the same person on another screen (a fresh browser) has no banner for it;
  // another operator, who has not opened it, has.
  const screens = [district, stack.token('district_center', HUICHENG, { person: 'dc-huicheng-night', name: '夜班值班员' })];
  const bannersShown: boolean[] = [];
  for (const token of screens) {
    const other = await newPage(browser);
    await openSignedIn(other.page, stack.url, token);
    await other.page.locator(`tr[data-case="${id}"]`).waitFor({ timeout: BOARD_WAIT_MS });
    const shown = other.page.getByTestId('level-one-banner').locator(`a[href="#/case/${id}"]`);
    // The seen list is read beside the board: once the board shows, a banner that is due is up within a reading.
    bannersShown.push(
      await shown.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      ),
    );
    expect(other.errors).toEqual([]);
    await other.context.close();
  }
  expect(bannersShown).toEqual([false, true]);
}, 60_000);

test('for a grid worker, the district center and a supervisor the buttons shown are exactly the case’s allowedActions', async () => {
  const id = await reported(JINYUAN_GRID_1, '01-02', 4, '金英街积存垃圾');
  const people = [
    stack.token('grid_worker', JINYUAN_GRID_1),
    district,
    stack.token('supervisor', HUICHENG),
    stack.token('community_station', JINYUAN),
  ];
  const shown: string[][] = [];
  for (const token of people) {
    const { context, page, errors } = await newPage(browser);
    await openSignedIn(page, stack.url, token, `#/case/${id}`);
    const buttons = await actionButtons(page);
    expect(buttons).toEqual((await fetchEvent(stack, id, token)).allowedActions);
    shown.push(buttons);
    expect(errors).toEqual([]);
    await context.close();
  }
  expect(shown[0]).toEqual(['acknowledge', 'complete', 'escalate', 'request_extension', 'comment', 'link_duplicate']);
  expect(shown[1]).toEqual(['through_train', 'nudge', 'comment', 'link_duplicate']);
  expect(shown[2]).toEqual(['nudge', 'invite_department', 'evaluate', 'comment']);
  // What a page does not offer, the API refuses anyway.
  expect((await act(stack, id, people[1], { action: 'complete', note: '代为办结' })).status).toBe(403);
  expect((await act(stack, id, people[2], { action: 'acknowledge' })).status).toBe(403);
}, 60_000);

test('the street center dispatches a case to a department; its clerk signs for it and completes it; a stale form shows the 409', async () => {
  // A geological hazard: the street has no natural-resources team, so its center dispatches it.
  const id = await reported(grid(6), '02-04', 2, '金源山边坡出现裂缝');
  const center = stack.token('town_center', XIAOJINKOU);
  const clerk = stack.token('department', XIAOJINKOU, { department: 'emergency-management' });
  expect((await fetchEvent(stack, id, center)).assignee).toMatchObject({ type: 'unit', id: XIAOJINKOU });

  // The street center's queue of cases to dispatch holds it; its link opens the case.
  const dispatcher = await newPage(browser);
  await openSignedIn(dispatcher.page, stack.url, center, '#/queues');
  await dispatcher.page.locator(`[data-queue="dispatch"] tr[data-case="${id}"] a`).click({ timeout: BOARD_WAIT_MS });
  await dispatcher.page.locator(`main.case[data-case="${id}"]`).waitFor();
  expect(await actionButtons(dispatcher.page)).toContain('assign');
  await dispatcher.page.click('button[data-action="assign"]');
  await dispatcher.page.selectOption('form[data-form="assign"] select[name="department"]', 'emergency-management');
  await dispatcher.page.fill('form[data-form="assign"] textarea[name="note"]', '请街道应急办核查处置');
  await dispatcher.page.click('button[data-submit="assign"]');
  await dispatcher.page.getByTestId('handler').filter({ hasText: '小金口街道应急办' }).waitFor();
  // The center may send it elsewhere still (a reassignment, bounded): the buttons follow the case's allowedActions.
  expect(await actionButtons(dispatcher.page)).toEqual((await fetchEvent(stack, id, center)).allowedActions);
  // The center's board shows the new handler.
  await dispatcher.page.goto(`${stack.url}/#/`);
  await dispatcher.page.locator(`tr[data-case="${id}"] td`, { hasText: '小金口街道应急办' }).waitFor({ timeout: BOARD_WAIT_MS });
  expect(dispatcher.errors).toEqual([]);
  await dispatcher.context.close();

  // The clerk finds it among the team's own cases.
  const handler = await newPage(browser);
  await openSignedIn(handler.page, stack.url, clerk, '#/queues');
  await handler.page.locator(`[data-queue="mine"] tr[data-case="${id}"] a`).click({ timeout: BOARD_WAIT_MS });
  await handler.page.locator(`main.case[data-case="${id}"]`).waitFor();
  expect(await actionButtons(handler.page)).toEqual(['acknowledge', 'complete', 'return', 'escalate', 'request_extension', 'comment']);
  await handler.page.click('button[data-action="acknowledge"]');
  await handler.page.click('button[data-submit="acknowledge"]');
  await handler.page.getByTestId('handler').filter({ hasText: '已签收' }).waitFor();
  expect(await actionButtons(handler.page)).not.toContain('acknowledge');
  await handler.page.screenshot({ path: join(SCREENS_DIR, 'case.png'), fullPage: true });

  // A second tab of the clerk's has the completion form open when the first completes it.
  const stale = await newPage(browser);
  await openSignedIn(stale.page, stack.url, clerk, `#/case/${id}`);
  await stale.page.click('button[data-action="complete"]');
  await stale.page.fill('form[data-form="complete"] textarea[name="note"]', '重复提交');

  await handler.page.click('button[data-action="complete"]');
  await handler.page.fill('form[data-form="complete"] textarea[name="note"]', '已设置警示并清理坡面，居民已撤离');
  await handler.page.click('button[data-submit="complete"]');
  const done = await eventWhen(stack, id, center, (event) => event.handledAt !== undefined, 'completed');
  expect(done.handlingNote).toBe('已设置警示并清理坡面，居民已撤离');
  await handler.page.getByTestId('stage').filter({ hasNotText: '分流 Routed' }).waitFor();

  await stale.page.click('button[data-submit="complete"]');
  const refusal = stale.page.getByTestId('refusal');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/^冲突 Conflict .*is (feedback|verifying|archived)/);
  expect([...handler.errors, ...stale.errors.filter((error) => !error.includes('409'))]).toEqual([]);
  await Promise.all([handler.context.close(), stale.context.close()]);
}, 90_000);

test('a report opens inside the app, in a frame that runs nothing; its CSV downloads', async () => {
  const { context, page, errors } = await newPage(browser);
  await openSignedIn(page, stack.url, district, '#/reports');
  await page.selectOption('select[name="kind"]', 'daily');
  await page.fill('input[name="period"]', '2026-11-23');
  await page.click('form button[type="submit"]');
  const report = page.frameLocator('iframe.report');
  await report.locator('header.report-header').waitFor();
  expect(await report.locator('head title').textContent()).toMatch(/^惠城区 日汇总 2026-11-23/);
  expect(await page.locator('iframe.report').getAttribute('sandbox')).toBe('');
  await page.screenshot({ path: join(SCREENS_DIR, 'report.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=下载 CSV Download CSV')]);
  expect(download.suggestedFilename()).toBe(`daily-${HUICHENG}-2026-11-23.csv`);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(
    csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .slice(0, 2),
  ).toEqual(['汇总 Summary', '指标 Figure,数值 Value']);
  // A period that is no period is the API's 400, shown.
  await page.fill('input[name="period"]', '2026-13-01');
  await page.click('form button[type="submit"]');
  expect(await page.locator('main.reports p.error').textContent()).toContain('period');
  expect(errors.filter((error) => !error.includes('400'))).toEqual([]);
  await context.close();
}, 60_000);

test("a day's patrols and the grids' coverage; a campaign with who has and has not answered", async () => {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const campaign = await stack.call('POST', '/campaigns', {
    token: stack.token('town_center', XIAOJINKOU),
    body: {
      title: '独居老人入户走访排查',
      instructions: '逐户走访，拍照回复。',
      deadlineAt: '2026-11-27T17:00:00+08:00',
      units: [JINYUAN],
    },
  });
  expect(campaign.status).toBe(201);
  const answered = await stack.call('POST', `/campaigns/${campaign.body.id}/responses`, { token: worker, body: { note: '已走访3户' } });
  expect(answered.status).toBe(201);
  const logged = await stack.call('POST', '/patrols', {
    token: worker,
    body: { gridCode: JINYUAN_GRID_1, kind: 'daily', note: '金英街巡查', points: [{ lat: 23.1315, lng: 114.4152 }] },
  });
  expect(logged.status).toBe(201);
  const { body: day } = await stack.call('GET', `/patrols?unit=${HUICHENG}`, { token: district });
  const { context, page, errors } = await newPage(browser);
  await openSignedIn(page, stack.url, district, '#/patrols');
  const coverage = page.getByTestId('coverage');
  await coverage.waitFor();
  expect(await coverage.locator('h2').textContent()).toContain(`${day.coverage.patrolled} / ${day.coverage.grids}`);
  expect(day.coverage.patrolled).toBeGreaterThan(0);
  expect(await page.locator(`tr[data-patrol="${logged.body.id}"] td`).allTextContents()).toEqual(
    expect.arrayContaining(['每日巡查 Daily', '金源社区第1网格', '欧阳玲巧']),
  );
  const row = page.locator(`tr[data-campaign="${campaign.body.id}"]`);
  expect(await row.locator('td').last().textContent()).toBe(`1 / ${campaign.body.targets}`);
  await row.locator('button').click();
  const notAnswered = page.getByTestId('not-answered');
  await notAnswered.waitFor();
  expect(await notAnswered.textContent()).toContain('金源社区第2网格网格员');
  expect(await notAnswered.textContent()).not.toContain('欧阳玲巧');
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);

test('flood mode groups likely duplicates; one click links a group to its first report', async () => {
  // Three reports of one blocked drain at one place within minutes: each later one names the earlier as possible duplicates.
  const at7 = { lat: 23.1402, lng: 114.4233, address: '金源社区第7网格 金鸡路口' };
  const ids: string[] = [];
  for (const description of ['金鸡路口排水口堵塞', '金鸡路口积水，排水口堵了', '路口下水道冒水']) {
    const created = await stack.call('POST', '/events', {
      token: stack.token('grid_worker', grid(7)),
      body: { itemCode: '01-01', gridCode: grid(7), severity: 4, description, location: at7 },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  for (const id of ids) await eventWhen(stack, id, district, (event) => event.stage === 'routed', 'routed');
  const { context, page, errors } = await newPage(browser);
  await openSignedIn(page, stack.url, district);
  await page.check('input[name="flood"]');
  const group = page.locator(`[data-group="${ids[0]}"]`);
  await group.waitFor({ timeout: BOARD_WAIT_MS });
  expect(await group.locator('[data-member]').evaluateAll((links) => links.map((link) => link.getAttribute('data-member')))).toEqual(ids);
  await group.locator(`button[data-link-group="${ids[0]}"]`).click();
  // The two later reports follow the first, closed there: off the board; the first keeps their reporters.
  await page.waitForFunction((gone) => gone.every((id) => !document.querySelector(`tr[data-case="${id}"]`)), ids.slice(1), {
    timeout: BOARD_WAIT_MS,
  });
  expect(await page.locator(`tr[data-case="${ids[0]}"]`).count()).toBe(1);
  expect((await fetchEvent(stack, ids[0], district)).linkedReports).toEqual(ids.slice(1));
  expect(await group.count()).toBe(0);
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);

test('the page and its files are served at / beside the API, with their security headers; nothing outside the build', async () => {
  const page = await fetch(`${stack.url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())![1];
  const asset = await fetch(`${stack.url}${script}`);
  expect([asset.status, asset.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
  expect((await fetch(`${stack.url}/assets/none.js`)).status).toBe(404);
  expect((await fetch(`${stack.url}/assets/%2e%2e%2f%2e%2e%2fpackage.json`)).status).toBe(404);
  // The API's paths stay the API's.
  expect((await stack.call('GET', '/health')).body.status).toBe('ok');
});

test('local sign-in: the roster without phones; a token for a person of it, asked as JSON on localhost only', async () => {
  const { body } = await stack.call('GET', '/_local/people');
  expect(body.people).toContainEqual(
    expect.objectContaining({
      id: 'ds-emergency-management-441302010',
      name: '小金口街道应急办办件员',
      role: 'department',
      department: 'emergency-management',
      unitName: '小金口街道',
    }),
  );
  expect(JSON.stringify(body)).not.toMatch(/1300000\d{4}/);
  const signIn = (person: unknown, headers: Record<string, string> = {}) =>
    stack.call('POST', '/_local/sign-in', {
      rawBody: JSON.stringify({ person }),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const signed = await signIn('ld-zhang-wenzheng');
  expect(signed.status).toBe(200);
  const claims = JSON.parse(Buffer.from(signed.body.token.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ 'custom:person': 'ld-zhang-wenzheng', 'custom:role': 'leader', 'custom:units': HUICHENG, name: '张文正' });
  expect((await stack.call('GET', '/events?unit=441302', { token: signed.body.token })).status).toBe(200);
  expect((await signIn('nobody')).body.error.fields[0].field).toBe('person');
  expect((await signIn('ld-zhang-wenzheng', { 'content-type': 'text/plain' })).status).toBe(415);
  // A page whose own name was rebound to 127.0.0.1 sends its own name as the Host (fetch cannot set one: node:http).
  const rebound = await new Promise<number>((resolve, reject) => {
    const { port } = new URL(stack.url);
    const asked = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/_local/sign-in',
        headers: { host: 'rebound.example', 'content-type': 'application/json' },
      },
      (reply) => {
        reply.resume();
        resolve(reply.statusCode ?? 0);
      },
    );
    asked.once('error', reject);
    asked.end(JSON.stringify({ person: 'ld-zhang-wenzheng' }));
  });
  expect(rebound).toBe(403);
});

test('the initial JavaScript is at most 300 KB gzipped', () => {
  const index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const scripts = [
    ...index.matchAll(/<script[^>]*\bsrc="\/([^"]+)"/g),
    ...index.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g),
  ].map((match) => match[1]);
  expect(scripts.length).toBeGreaterThan(0);
  const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length, 0);
  console.log(`initial JavaScript: ${scripts.join(', ')} — ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  expect(gzipped).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
});
