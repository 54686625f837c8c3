/**
 * The board with 10,000 open cases (issue 16), in Chromium against a real local platform: the cases stored in
 * DynamoDB Local as the case store stores them; the board reads them all, keeps at most 200 rows in the document
 * (virtualised), and scrolling reaches the last; then it keeps them by polling what changed — a new report comes in,
 * a closed case goes.
 */
import type { Browser } from 'playwright-core';
import { newPage, openSignedIn, startBrowser } from '../support/browser';
import { act, at, HUICHENG, type Stack, startStack } from '../support/local-stack';
import { openCases, storeCases } from '../../bench/board-cases';

// Run inside the page (playwright serialises these functions): the browser's globals, which Node's types do not know.
declare const document: { querySelector(selector: string): unknown; querySelectorAll(selector: string): { length: number } };
declare const window: { scrollTo(x: number, y: number): void; scrollY: number };

const OPEN_CASES = 10_000;
const MAX_ROWS = 200;
/** The full read: a hundred pages of a hundred. */
const FULL_READ_MS = 60_000;
/** Two polls, with room for a loaded machine. */
const POLL_WAIT_MS = 20_000;

let stack: Stack;
let browser: Browser;
const start = at('2026-11-23 09:00');
const cases = openCases(OPEN_CASES, start);

beforeAll(async () => {
  // The cases are written while Chromium starts (and the app is built, when it is stale).
  const seeded = async () => {
    const started = await startStack({ timeScale: 1, clockStart: start });
    await storeCases(started.platform, cases);
    return started;
  };
  [stack, browser] = await Promise.all([seeded(), startBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The urgency list's order (the byUrgency index's): level 1 first, then the least time left. */
const urgencyKey = (event: { severity: number; deadlineAt?: string; id: string }) =>
  `${event.severity}#${event.deadlineAt ?? '9999'}#${event.id}`;

const rowsInDocument = (page: import('playwright-core').Page) => page.evaluate(() => document.querySelectorAll('tr[data-case]').length);

test('with 10,000 open cases the board keeps at most 200 rows in the document; scrolling reaches the last; changes come in by polling', async () => {
  const ordered = [...cases].sort((a, b) => (urgencyKey(a) < urgencyKey(b) ? -1 : 1));
  const [first, last] = [ordered[0]!.id, ordered[ordered.length - 1]!.id];
  const { context, page, errors } = await newPage(browser, { width: 1920, height: 1080 });
  await openSignedIn(page, stack.url, stack.token('district_center', HUICHENG));
  await page.locator(`tr[data-case="${first}"]`).waitFor({ timeout: FULL_READ_MS });
  await page.waitForFunction(
    (count) =>
      document.querySelector('[data-testid="updated"]') &&
      (document.querySelector('[data-testid="updated"]') as { textContent: string }).textContent === `${count} 件 cases`,
    OPEN_CASES,
    {
      timeout: FULL_READ_MS,
    },
  );
  const atTop = await rowsInDocument(page);
  expect(atTop).toBeGreaterThan(20);
  expect(atTop).toBeLessThanOrEqual(MAX_ROWS);

  // Scrolled to the end (the rows are measured as they come, so the end moves): the last case is there.
  await page.waitForFunction(
    (id) => {
      window.scrollTo(0, 10_000_000);
      return document.querySelector(`tr[data-case="${id}"]`) !== null;
    },
    last,
    { timeout: 20_000, polling: 100 },
  );
  expect(await rowsInDocument(page)).toBeLessThanOrEqual(MAX_ROWS);
  expect(await page.locator(`tr[data-case="${first}"]`).count()).toBe(0);

  // A new report is polled in; a case closed (linked to another as its duplicate) is polled out.
  const lastGrid = cases.find((event) => event.id === last)!.gridCode;
  const worker = stack.token('grid_worker', lastGrid);
  const reported = await stack.call('POST', '/events', {
    token: worker,
    body: { itemCode: '01-01', gridCode: lastGrid, severity: 4, description: '看板轮询：新上报' },
  });
  expect(reported.status).toBe(201);
  const counted = (count: number) =>
    page.waitForFunction(
      (expected) =>
        (document.querySelector('[data-testid="updated"]') as { textContent: string } | null)?.textContent === `${expected} 件 cases`,
      count,
      {
        timeout: POLL_WAIT_MS,
      },
    );
  await counted(OPEN_CASES + 1);
  const linked = await act(stack, last, worker, {
    action: 'link_duplicate',
    duplicateOf: reported.body.id,
    note: '同一件事',
  });
  expect([linked.status, linked.body?.error?.message]).toEqual([200, undefined]);
  await counted(OPEN_CASES);
  await page.waitForFunction((id) => document.querySelector(`tr[data-case="${id}"]`) === null, last, { timeout: POLL_WAIT_MS });
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
