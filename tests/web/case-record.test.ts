/**
 * A case's page shows its whole record (issue 16), in Chromium against a real local platform: the timeline with who
 * and when, the deadline's history (an extension asked for), every SMS the case caused (template, the number masked,
 * sent), its duplicates and linked reporters, its photos as thumbnails, and the states its lifecycle visited. And the
 * "report ready" SMS's link opens the report in the app, after sign-in.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { newPage, openSignedIn, SCREENS_DIR, startBrowser } from '../support/browser';
import { runJob } from '../../shared/core/jobs';
import { act, at, eventWhen, HUICHENG, JINYUAN, smsWhen, type Stack, startStack } from '../support/local-stack';

// Run inside the page (playwright serialises these functions): the browser's globals, which Node's types do not know.
declare const document: { querySelector(selector: string): unknown };

/** A 1×1 PNG: what the photo host answers. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PAGE_WAIT_MS = 20_000;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ timeScale: 1, clockStart: at('2026-11-23 09:00') }), startBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a case that caused SMS and ran its lifecycle: timeline, deadline history, SMS, duplicates, photos and lifecycle states', async () => {
  const gridCode = `${JINYUAN}008`;
  const worker = stack.token('grid_worker', gridCode);
  const district = stack.token('district_center', HUICHENG);
  const place = { lat: 23.1411, lng: 114.4241, address: '金源社区第8网格 金源路' };
  const report = async (description: string, extra: Record<string, unknown>) => {
    const created = await stack.call('POST', '/events', {
      token: worker,
      body: { itemCode: '01-01', gridCode, severity: 4, description, location: place, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const id = await report('金源路排水口堵塞', { photos: ['https://photos.gridflow.test/drain-1.jpg'] });
  const later = await report('金源路排水口又堵了', { reporter: { name: '金源路居民', phone: '13000008888' } });
  for (const each of [id, later]) await eventWhen(stack, each, district, (event) => event.stage === 'routed', 'routed');
  await smsWhen(stack, id, 'case_assigned');
  // The handler signs for it and asks for more time; the later report is linked to it as a duplicate.
  const handler = await eventWhen(stack, id, district, (event) => event.assignee !== undefined, 'a handler');
  expect(handler.assignee.type).toBe('person');
  expect((await act(stack, id, worker, { action: 'acknowledge' })).status).toBe(200);
  // An hour past the deadline: within the original limit.
  const until = new Date(Date.parse(handler.deadlineAt) + 3600_000).toISOString();
  const extension = await act(stack, id, worker, { action: 'request_extension', until, note: '需要更换管道' });
  expect(extension.status).toBe(200);
  expect((await act(stack, later, district, { action: 'link_duplicate', duplicateOf: id })).status).toBe(200);
  await smsWhen(stack, id, 'extension_requested');

  const { context, page, errors } = await newPage(browser);
  await page.route('https://photos.gridflow.test/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL }));
  await openSignedIn(page, stack.url, district, `#/case/${id}`);
  await page.locator(`main.case[data-case="${id}"]`).waitFor();

  // The timeline: who did what, when.
  const acknowledged = page.locator('.timeline li[data-type="acknowledged"]');
  expect(await acknowledged.locator('.actor').textContent()).toContain('网格员');
  expect(await acknowledged.locator('time').textContent()).toMatch(/^2026-11-23 \d{2}:\d{2}$/);
  // The deadline's history: the routing that set it, the extension asked for, until when.
  const history = page.locator('section.deadline-history');
  const historyTypes = () => history.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
  expect(await historyTypes()).toEqual(['routed', 'extension_requested']);
  expect(await history.locator('li[data-type="extension_requested"]').textContent()).toContain('需要更换管道');
  // Which entries those are is the API's to say (one rule, in the domain): it marks them.
  const read = await stack.call('GET', `/events/${id}`, { token: district });
  const marked = read.body.timeline.filter((entry: { aboutDeadline?: true }) => entry.aboutDeadline === true);
  expect(marked.map((entry: { type: string }) => entry.type)).toEqual(['routed', 'extension_requested']);
  // Every SMS it caused, each sent, the numbers masked.
  await page.waitForFunction(
    () => document.querySelector('section.messages tr[data-template="extension_requested"][data-status="sent"]'),
    undefined,
    { timeout: PAGE_WAIT_MS },
  );
  const sms = page.locator('section.messages');
  const assigned = sms.locator('tr[data-template="case_assigned"]');
  expect(await assigned.getAttribute('data-status')).toBe('sent');
  expect(await assigned.locator('td').nth(2).textContent()).toMatch(/\d{3}\*{4}\d{4}$/);
  expect(await sms.textContent()).not.toMatch(/\d{11}/);
  // Duplicates and the linked reporter.
  expect(await page.locator(`.deadlines a[href="#/case/${later}"]`).count()).toBe(1);
  expect(await page.getByTestId('linked-reporters').textContent()).toBe('金源路居民 130****8888');
  // The photo, as a thumbnail that loaded.
  const photo = page.locator('.photos img');
  await photo.waitFor();
  await page.waitForFunction(() => (document.querySelector('.photos img') as { naturalWidth: number } | null)?.naturalWidth === 1);
  // The lifecycle: it registered the case and now waits on the handler; no console link on one machine.
  const lifecycle = page.locator('section.lifecycle');
  await lifecycle.locator(`[data-execution="${id}"] li[data-state="Register"]`).waitFor({ timeout: PAGE_WAIT_MS });
  expect(await lifecycle.locator('li').first().getAttribute('data-state')).toBe('Register');
  await lifecycle.locator('li.current').waitFor();
  expect(await lifecycle.locator('a').count()).toBe(0);
  await page.screenshot({ path: join(SCREENS_DIR, 'case-record.png'), fullPage: true });

  // The page follows the API's mark, not a list of its own: a reply that leaves the extension unmarked leaves it out.
  await page.route(`**/events/${id}`, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    for (const entry of body.timeline) if (entry.type === 'extension_requested') delete entry.aboutDeadline;
    await route.fulfill({ response, json: body });
  });
  await openSignedIn(page, stack.url, district, `#/case/${id}`);
  await history.locator('li[data-type="routed"]').waitFor();
  expect(await historyTypes()).toEqual(['routed']);
  expect(errors).toEqual([]);
  await context.close();
}, 90_000);

test('the "report ready" SMS links the report\'s page in the app: opened, it asks for sign-in, then shows that report', async () => {
  await runJob(stack.platform.deps, 'daily-reports', at('2026-11-24 07:00'));
  await stack.platform.smsDelivered();
  const head = stack.platform.deps.directory.unitHead(JINYUAN);
  const ready = stack.platform.outbox.all().find((message) => message.template === 'report_ready' && message.to === head?.phone);
  const link = /查阅：(\S+)$/.exec(ready?.text ?? '')?.[1];
  expect(link).toBe(`${stack.url}/#/reports/daily/${JINYUAN}/2026-11-23`);

  const { context, page, errors } = await newPage(browser);
  await page.goto(link as string);
  // Not signed in: the sign-in first; the head signs in from the roster and lands on the report.
  await page.locator(`button[data-person="${head?.id}"]`).click();
  await page.getByTestId('who').waitFor();
  const report = page.frameLocator('iframe.report');
  await report.locator('header.report-header').waitFor({ timeout: PAGE_WAIT_MS });
  expect(await report.locator('head title').textContent()).toMatch(/金源社区.*日汇总 2026-11-23/);
  expect(await page.locator('select[name="kind"]').inputValue()).toBe('daily');
  expect(await page.locator('input[name="period"]').inputValue()).toBe('2026-11-23');
  expect(page.url()).toBe(link);
  expect(errors).toEqual([]);
  await context.close();
}, 60_000);
