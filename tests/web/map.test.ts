/**
 * The map in Chromium against a real local platform (issue 16): it draws exactly the grids of the caller's units
 * (GET /boundaries) and a marker for each open case with a place, inside the view; a marker shows its case on hover
 * and opens it; the heat layer counts an item's reports per grid; a day's patrol trails; a base map's tiles under the
 * polygons when config.json names a tile address. And axe-core finds no serious or critical issue on the board, a case
 * and the map.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { localSiteSettings } from '../../dev-server/web-site';
import { REPO_ROOT } from '../../web/build';
import { newPage, openSignedIn, SCREENS_DIR, startBrowser } from '../support/browser';
import { at, eventWhen, HUICHENG, JINYUAN, JINYUAN_GRID_1, type Stack, startStack, XIAOJINKOU } from '../support/local-stack';

// Run inside the page (playwright serialises these functions): the browser's globals, which Node's types do not know.
declare const document: { querySelectorAll(selector: string): { length: number } };
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Other waits on a reading: with room for a machine loaded by a whole test suite. */
const WAIT_MS = 20_000;
const AXE_SOURCE = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let stack: Stack;
let browser: Browser;
let district: string;
const grid = (n: number) => `${JINYUAN}00${n}`;
/** Places inside Jinyuan's grids 1, 3, 5 and 7 (the sample's outlines). */
const PLACES: Record<number, { lat: number; lng: number }> = {
  1: { lat: 23.1315, lng: 114.4152 },
  3: { lat: 23.1332, lng: 114.417 },
  5: { lat: 23.1402, lng: 114.4201 },
  7: { lat: 23.1351, lng: 114.4188 },
};
const ids: Record<string, string> = {};

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ timeScale: 1, clockStart: at('2026-11-23 09:00') }), startBrowser()]);
  district = stack.token('district_center', HUICHENG);
  const report = async (key: string, gridNumber: number, itemCode: string, severity: number, withPlace: boolean) => {
    const created = await stack.call('POST', '/events', {
      token: stack.token('grid_worker', grid(gridNumber)),
      body: {
        itemCode,
        gridCode: grid(gridNumber),
        severity,
        description: `地图测试 ${key}`,
        ...(withPlace && { location: { ...PLACES[gridNumber], address: '金源社区' } }),
      },
    });
    expect(created.status).toBe(201);
    ids[key] = created.body.id;
  };
  await report('drain1', 1, '01-01', 3, true);
  await report('drain1b', 1, '01-01', 4, true);
  await report('drain5', 5, '01-01', 4, true);
  await report('flood3', 3, '02-03', 2, true);
  await report('slope7', 7, '02-04', 1, true);
  await report('noise2', 2, '03-08', 4, false);
  for (const id of Object.values(ids)) await eventWhen(stack, id, district, (event) => event.stage === 'routed', 'routed');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The grids of a unit, as the public GET /units lists them. */
async function gridsUnder(unit: string): Promise<string[]> {
  const { body } = await stack.call('GET', `/units?under=${unit}&level=grid`);
  return body.items.map((each: { code: string }) => each.code).sort();
}

/** The open cases of a unit with a place, as GET /events?sort=urgency lists them. */
async function placedOpenCases(token: string, unit: string): Promise<string[]> {
  const { body } = await stack.call('GET', `/events?sort=urgency&unit=${unit}&limit=100`, { token });
  return body.items
    .filter((event: { location?: unknown }) => event.location)
    .map((event: { id: string }) => event.id)
    .sort();
}

async function drawn(page: Page, selector: string, attribute: string): Promise<string[]> {
  return (await page.locator(selector).evaluateAll((nodes, name) => nodes.map((node) => node.getAttribute(name) ?? ''), attribute)).sort();
}

/** Every marker lies inside the map's box on screen. */
async function markersInView(page: Page): Promise<boolean> {
  const map = await page.locator('.map-canvas svg').boundingBox();
  const boxes = await Promise.all((await page.locator('a[data-case] circle').all()).map((marker) => marker.boundingBox()));
  return (
    map !== null &&
    boxes.every(
      (box) =>
        box !== null &&
        box.x >= map.x &&
        box.y >= map.y &&
        box.x + box.width <= map.x + map.width &&
        box.y + box.height <= map.y + map.height,
    )
  );
}

test("the map draws the caller's grids and a marker for each open case with a place; a marker shows and opens its case", async () => {
  const { context, page, errors } = await newPage(browser, { width: 1920, height: 1080 });
  await openSignedIn(page, stack.url, district, '#/map');
  const grids = await gridsUnder(HUICHENG);
  const cases = await placedOpenCases(district, HUICHENG);
  expect(cases).toHaveLength(5);
  await page.waitForFunction((count) => document.querySelectorAll('a[data-case]').length === count, cases.length, { timeout: WAIT_MS });
  expect(await drawn(page, 'path[data-grid]', 'data-grid')).toEqual(grids);
  expect(await drawn(page, 'a[data-case]', 'data-case')).toEqual(cases);
  expect(await markersInView(page)).toBe(true);
  // Coloured as the board colours the clock: fresh clocks have most of their time left.
  expect(await page.locator(`a[data-case="${ids.drain1}"] circle`).getAttribute('class')).toBe('marker ample');
  // The streets around (the district's outlines), Jinyuan's community line.
  expect(await page.locator('path.unit.town').count()).toBe(13);
  expect(await page.getByText('1 件无位置 cases without a place').count()).toBe(1);

  await page.locator(`a[data-case="${ids.flood3}"]`).hover();
  expect(await page.getByTestId('hovered').textContent()).toContain(ids.flood3);

  await page.locator(`a[data-case="${ids.flood3}"]`).click();
  await page.locator(`main.case[data-case="${ids.flood3}"]`).waitFor();
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);

test('a grid worker sees their grid and its cases only; a street center its street', async () => {
  for (const [token, unit] of [
    [stack.token('grid_worker', JINYUAN_GRID_1), JINYUAN_GRID_1],
    [stack.token('town_center', XIAOJINKOU), XIAOJINKOU],
  ]) {
    const { context, page, errors } = await newPage(browser);
    await openSignedIn(page, stack.url, token, '#/map');
    const cases = await placedOpenCases(token, unit);
    await page.waitForFunction((count) => document.querySelectorAll('a[data-case]').length === count, cases.length, { timeout: WAIT_MS });
    expect(await drawn(page, 'path[data-grid]', 'data-grid')).toEqual(await gridsUnder(unit));
    expect(await drawn(page, 'a[data-case]', 'data-case')).toEqual(cases);
    expect(await markersInView(page)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }
}, 60_000);

test("the heat layer counts an item's reports per grid in the period; a day's patrol trails are drawn", async () => {
  const patrol = await stack.call('POST', '/patrols', {
    token: stack.token('grid_worker', grid(3)),
    body: {
      gridCode: grid(3),
      kind: 'daily',
      points: [
        { lat: 23.133, lng: 114.4125 },
        { lat: 23.1345, lng: 114.415 },
        { lat: 23.1365, lng: 114.4172 },
      ],
    },
  });
  expect(patrol.status).toBe(201);
  const { context, page, errors } = await newPage(browser, { width: 1920, height: 1080 });
  await openSignedIn(page, stack.url, district, '#/map');
  await page.locator(`polyline[data-trail="${patrol.body.id}"]`).waitFor({ timeout: WAIT_MS });

  await page.selectOption('form.heat-form select[name="matter"]', '01-01');
  await page.click('form.heat-form button[type="submit"]');
  await page.getByTestId('heat-note').filter({ hasText: '3 件 cases' }).waitFor({ timeout: WAIT_MS });
  // Grid 1 has two blocked drains (the most: the hottest class), grid 5 one; the others none of the item.
  expect(await page.locator(`path[data-grid="${grid(1)}"]`).getAttribute('class')).toBe('unit grid heat-5');
  expect(await page.locator(`path[data-grid="${grid(5)}"]`).getAttribute('class')).toBe('unit grid heat-3');
  expect(await page.locator(`path[data-grid="${grid(3)}"]`).getAttribute('class')).toBe('unit grid');
  // The README's picture: the heat of blocked drains, the trail, a case pointed at.
  await page.locator(`a[data-case="${ids.slope7}"]`).hover();
  await page.screenshot({ path: join(SCREENS_DIR, 'map.png') });
  expect(statSync(join(SCREENS_DIR, 'map.png')).size).toBeGreaterThan(20_000);
  // A class counts all its items: 02 holds the flooding and the slope.
  await page.selectOption('form.heat-form select[name="matter"]', '02');
  await page.click('form.heat-form button[type="submit"]');
  await page.getByTestId('heat-note').filter({ hasText: '2 件 cases' }).waitFor({ timeout: WAIT_MS });
  expect(await page.locator('path.heat-5').count()).toBe(2);
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);

test('a tile address in config.json lays a base map under the polygons (tiles answered by the test, none fetched)', async () => {
  // Locally the address comes from GRIDFLOW_TILE_URL; this platform has none set.
  expect(await (await fetch(`${stack.url}/config.json`)).json()).toEqual({});
  expect(localSiteSettings({ GRIDFLOW_TILE_URL: 'https://t{s}.tiles.test/{z}/{x}/{y}.png' })).toEqual({
    tileUrl: 'https://t{s}.tiles.test/{z}/{x}/{y}.png',
  });
  const { context, page, errors } = await newPage(browser);
  await page.route('**/config.json', (route) => route.fulfill({ json: { tileUrl: 'https://t{s}.tiles.test/vec_w/{z}/{x}/{y}.png' } }));
  const asked: string[] = [];
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  await page.route('https://*.tiles.test/**', (route) => {
    asked.push(new URL(route.request().url()).pathname);
    return route.fulfill({ body: png, contentType: 'image/png' });
  });
  await openSignedIn(page, stack.url, district, '#/map');
  await page.locator('image[data-tile]').first().waitFor({ timeout: WAIT_MS });
  const tiles = await drawn(page, 'image[data-tile]', 'data-tile');
  expect(tiles.length).toBeGreaterThan(0);
  expect(tiles.length).toBeLessThanOrEqual(64);
  // Jinyuan (114.4°E, 23.1°N) at a street's zoom: tile columns and rows of that place.
  const [z, x, y] = tiles[0].split('/').map(Number);
  expect(z).toBeGreaterThanOrEqual(12);
  expect(Math.floor(((114.42 + 180) / 360) * 2 ** z)).toBeGreaterThanOrEqual(x - 4);
  expect(y).toBeGreaterThan(0);
  await page.waitForFunction(() => document.querySelectorAll('g.units.over-tiles path[data-grid]').length > 0);
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.every((path) => /^\/vec_w\/\d+\/\d+\/\d+\.png$/.test(path))).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules and best practices). */
async function axeFindings(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

test('axe-core finds no serious or critical issue on the board, a case and the map', async () => {
  const { context, page } = await newPage(browser, { width: 1920, height: 1080 });
  await openSignedIn(page, stack.url, district);
  await page.locator(`tr[data-case="${ids.slope7}"]`).waitFor({ timeout: WAIT_MS });
  expect(await axeFindings(page)).toEqual([]);

  await page.goto(`${stack.url}/#/case/${ids.flood3}`);
  await page.getByTestId('action-buttons').waitFor({ timeout: WAIT_MS });
  expect(await axeFindings(page)).toEqual([]);

  await page.goto(`${stack.url}/#/map`);
  await page.locator('a[data-case]').first().waitFor({ timeout: WAIT_MS });
  expect(await axeFindings(page)).toEqual([]);
  await context.close();
}, 60_000);
