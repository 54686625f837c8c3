/**
 * The web app in a real browser: Debian's Chromium (/usr/bin/chromium; .ci/run installs it with fonts-noto-cjk),
 * driven by playwright-core, headless, never a browser download. One browser per test file; a context per person.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ensureWebBuild, REPO_ROOT } from '../../web/build';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Where the screenshots go: the README's, docs/screens, when asked (`npm run screens`); else a scratch folder, so that
 * a test run leaves no tracked file changed in a worktree.
 */
export const SCREENS_DIR =
  process.env.GRIDFLOW_SCREENS === 'docs' ? join(REPO_ROOT, 'docs', 'screens') : join(tmpdir(), 'gridflow-screens');

/** Builds the app if its build is missing or stale, and starts Chromium. */
export async function startBrowser(): Promise<Browser> {
  await ensureWebBuild((line) => console.error(line));
  mkdirSync(SCREENS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page of its own (sessionStorage is a tab's), at a laptop's size unless told. */
export async function newPage(
  browser: Browser,
  viewport = { width: 1440, height: 900 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  // Every error the page logs fails the test that looks at `errors`.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { context, page, errors };
}

/** Opens the app signed in with `token` by `?token=` (local mode's scripted sign-in), at `hash`. */
export async function openSignedIn(page: Page, url: string, token: string, hash = '#/'): Promise<void> {
  await page.goto(`${url}/?token=${encodeURIComponent(token)}${hash}`);
  await page.getByTestId('who').waitFor();
}

/** The action buttons a case page shows, in order. */
export async function actionButtons(page: Page): Promise<string[]> {
  await page.getByTestId('action-buttons').waitFor();
  return page
    .locator('[data-testid="action-buttons"] button')
    .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action') ?? ''));
}
