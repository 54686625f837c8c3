/**
 * The board in a headless Chromium (issue 16), with many open cases stored as the case store stores them
 * (board-cases.ts; 10,000, --quick 1,000):
 * - first paint with data: from a sign-in (a click on a person of the roster) to the board's first rows shown, and to
 *   every open case read (the full read's last page); a new browser context each run, the app's files cached by none;
 * - update latency: from a report POSTed (level 1, so its row is the first) to its row on the open board, which polls
 *   what changed every 5 s (POLL_MS): about half a poll on average, and the poll's own time.
 */
import { type Browser, chromium } from 'playwright-core';
import { ensureWebBuild } from '../web/build';
import { POLL_MS } from '../web/src/polling';
import { openCases, storeCases } from './board-cases';
import { type BenchPart, fmt, percentile, round, startBenchPlatform } from './lib';

const CHROMIUM = '/usr/bin/chromium';
const DISTRICT_OPERATOR = 'dc-huicheng-duty';
const GRID = '441302010001001';

export interface BoardResult {
  openCases: number;
  pollMs: number;
  firstPaint: { runs: number; firstRowsMsP50: number; firstRowsMsMax: number; allReadMsP50: number; allReadMsMax: number };
  updateLatency: { reports: number; msP50: number; msMax: number; msMin: number };
}

// Run inside the page (playwright serialises these functions): the browser's globals, which Node's types do not know.
declare const document: { querySelector(selector: string): { textContent: string } | null };

export const boardPart: BenchPart<BoardResult> = {
  key: 'board',
  title: 'Command center board (headless Chromium)',
  async run(ctx) {
    const count = ctx.quick ? 1_000 : 10_000;
    const runs = ctx.quick ? 2 : 3;
    const reports = ctx.quick ? 3 : 6;
    if (await ensureWebBuild(ctx.log)) ctx.log('board: the web app built');
    const clockStart = new Date();
    const bench = await startBenchPlatform({ clockStart });
    let browser: Browser | undefined;
    try {
      const seeding = Date.now();
      await storeCases(bench.platform, openCases(count, clockStart));
      ctx.log(`board: ${count} open cases stored in ${round((Date.now() - seeding) / 1000)} s`);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
      const counted = `${count} 件 cases`;

      const firstRows: number[] = [];
      const allRead: number[] = [];
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
        const page = await context.newPage();
        await page.goto(`${bench.platform.url}/`);
        const person = page.locator(`button[data-person="${DISTRICT_OPERATOR}"]`);
        await person.waitFor();
        const signIn = Date.now();
        await person.click();
        await page.locator('tr[data-case]').first().waitFor({ timeout: 60_000 });
        firstRows.push(Date.now() - signIn);
        await page.waitForFunction((text) => document.querySelector('[data-testid="updated"]')?.textContent === text, counted, {
          timeout: 120_000,
          polling: 20,
        });
        allRead.push(Date.now() - signIn);
        ctx.log(`board: run ${run + 1}: first rows ${firstRows[run]} ms, all ${count} read ${allRead[run]} ms`);
        await context.close();
      }

      // One board open (read whole), then reports one after another, each timed to its row.
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${bench.platform.url}/`);
      await page.locator(`button[data-person="${DISTRICT_OPERATOR}"]`).click();
      await page.waitForFunction((text) => document.querySelector('[data-testid="updated"]')?.textContent === text, counted, {
        timeout: 120_000,
      });
      const latencies: number[] = [];
      const worker = bench.token('grid_worker', GRID);
      for (let index = 0; index < reports; index++) {
        // Not in step with the polls: each report lands somewhere in a poll's interval.
        await new Promise((resolve) => setTimeout(resolve, 700 + ((index * 1_337) % POLL_MS)));
        const posted = Date.now();
        const reply = await fetch(`${bench.platform.url}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${worker}`, 'content-type': 'application/json' },
          body: JSON.stringify({ itemCode: '01-01', gridCode: GRID, severity: 1, description: `看板更新延迟 第${index + 1}件` }),
        });
        const body = (await reply.json()) as { id?: string };
        if (reply.status !== 201 || !body.id) throw new Error(`POST /events answered ${reply.status}: ${JSON.stringify(body)}`);
        await page.locator(`tr[data-case="${body.id}"]`).waitFor({ timeout: 3 * POLL_MS + 30_000 });
        latencies.push(Date.now() - posted);
        ctx.log(`board: report ${index + 1} on the board after ${latencies[index]} ms`);
      }
      await context.close();
      return {
        openCases: count,
        pollMs: POLL_MS,
        firstPaint: {
          runs,
          firstRowsMsP50: round(percentile(firstRows, 50)),
          firstRowsMsMax: Math.max(...firstRows),
          allReadMsP50: round(percentile(allRead, 50)),
          allReadMsMax: Math.max(...allRead),
        },
        updateLatency: {
          reports,
          msP50: round(percentile(latencies, 50)),
          msMax: Math.max(...latencies),
          msMin: Math.min(...latencies),
        },
      };
    } finally {
      await browser?.close();
      await bench.stop();
    }
  },
  rows(result) {
    const open = result.openCases.toLocaleString('en');
    return [
      {
        figure: `first paint with data: sign-in → first rows / all ${open} read (p50, max of ${result.firstPaint.runs})`,
        value: `${fmt(result.firstPaint.firstRowsMsP50)} ms (max ${fmt(result.firstPaint.firstRowsMsMax)}) / ${fmt(result.firstPaint.allReadMsP50)} ms (max ${fmt(result.firstPaint.allReadMsMax)})`,
      },
      {
        figure: `update latency: report POSTed → its row on the board (${result.updateLatency.reports} reports, polls every ${result.pollMs / 1000} s)`,
        value: `p50 ${fmt(result.updateLatency.msP50)} ms, min ${fmt(result.updateLatency.msMin)}, max ${fmt(result.updateLatency.msMax)}`,
      },
    ];
  },
};
