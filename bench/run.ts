/**
 * npm run bench [-- --quick] [-- --only intake,flood,conflicts,open,cost,bundles,reports,board,crash,memory,ready,stop,mixed,district]
 *
 * Runs the benchmark parts against the local stack (each starts its own platform: the real ASL on the
 * local engine, the local gateway, its own in-memory DynamoDB Local; an isolated part runs alone in a child
 * process), prints a table and writes
 * bench/results/latest.json: one object, one key per part, every figure's unit in its name (see `units`).
 * With --only, the result goes to bench/results/only-<parts>.json instead.
 *
 * A part is a module exporting a BenchPart (lib.ts): add one to PARTS and it runs, prints and is saved.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boardPart } from './board';
import { bundlesPart } from './bundles';
import { conflictsPart } from './conflicts';
import { costPart } from './cost';
import { crashPart } from './crash';
import { districtScalePart } from './district-scale';
import { floodPart } from './flood';
import { intakePart } from './intake';
import { memoryPart } from './memory';
import { mixedPart } from './mixed';
import { fmt, machine, type BenchContext, type BenchPart, type Prices, type Row } from './lib';
import { openCasesPart } from './open-cases';
import { readyPart } from './ready';
import { reportsPart } from './reports';
import { stopDurabilityPart } from './stop-durability';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PARTS: BenchPart<any>[] = [
  intakePart,
  floodPart,
  conflictsPart,
  openCasesPart,
  costPart,
  bundlesPart,
  reportsPart,
  boardPart,
  crashPart,
  memoryPart,
  stopDurabilityPart,
  readyPart,
  mixedPart,
  districtScalePart,
];

const UNITS = {
  Ms: 'milliseconds',
  Seconds: 'seconds',
  PerSecond: 'per second (wall clock)',
  MiB: 'mebibytes (RSS: resident set size)',
  Bytes: 'bytes',
  KiB: 'kibibytes',
  usd: 'US dollars at bench/prices.json',
  Units: 'DynamoDB request units (WRU: write, RRU: read) as AWS bills them, unless named localReported…',
  Percent: 'percent',
  ratio: 'a ratio of two figures measured in the same run (1 = equal)',
  counts: 'plain numbers without a suffix are counts (requests, reports, cases, transitions, calls, SMS messages or parts)',
};

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  if (args.includes('--child')) return child(args, quick);
  const onlyArg = args.find((arg) => arg.startsWith('--only'));
  const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : undefined;
  const parts = PARTS.filter((part) => !only || only.some((name) => part.key.toLowerCase().startsWith(name.toLowerCase())));

  const started = Date.now();
  const prices = loadPrices();
  const ctx: BenchContext = { quick, prices, log: logger(started) };
  const host = machine();
  ctx.log(
    `${quick ? 'quick' : 'full'} run on ${host.nproc} cores, ${host.memoryTotalGiB} GiB, Node ${host.node}, load average ${host.loadAverageAtStart.join(' ')}`,
  );

  const results: Record<string, unknown> = {};
  const timings: Record<string, number> = {};
  const tables: { part: BenchPart; rows: Row[] }[] = [];
  let failed = false;
  const runPart = async (part: BenchPart) => {
    const partStarted = Date.now();
    ctx.log(`── ${part.title} ──`);
    try {
      const result = part.isolated ? await runIsolated(part, quick, started) : await part.run(ctx);
      results[part.key] = result;
      tables.push({ part, rows: part.rows(result) });
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ctx.log(`${part.key} FAILED: ${message}`);
      results[part.key] = { error: error instanceof Error ? error.message : String(error) };
      tables.push({ part, rows: [{ figure: 'failed', value: error instanceof Error ? error.message : String(error), met: false }] });
    }
    timings[part.key] = Math.round((Date.now() - partStarted) / 100) / 10;
    ctx.log(`${part.key} took ${timings[part.key]} s`);
  };
  for (const part of parts) {
    if (part.runsBeside && parts.some((other) => other.key === part.runsBeside)) continue; // started with it
    await Promise.all([runPart(part), ...parts.filter((other) => other.runsBeside === part.key).map(runPart)]);
  }
  // In the order of PARTS, whichever finished first.
  tables.sort((a, b) => PARTS.indexOf(a.part) - PARTS.indexOf(b.part));

  const output = {
    mode: quick ? 'quick' : 'full',
    startedAt: new Date(started).toISOString(),
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    partSeconds: timings,
    machine: { ...host, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
    units: UNITS,
    // In the order of PARTS (a part run beside another may finish first).
    ...Object.fromEntries(PARTS.filter((part) => part.key in results).map((part) => [part.key, results[part.key]])),
  };
  // A run of some parts (--only) leaves the last full or quick run's latest.json alone.
  const name = only ? `only-${parts.map((part) => part.key).join('-')}.json` : 'latest.json';
  const file = new URL(`./results/${name}`, import.meta.url);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);

  printTable(tables);
  console.log(
    `\n${quick ? 'Quick' : 'Full'} run: ${fmt(output.wallSeconds, 1)} s on ${host.nproc} cores (load average now ${output.machine.loadAverageAtEnd.join(' ')}). Written: bench/results/${name}`,
  );
  if (failed) process.exitCode = 1;
}

function logger(started: number) {
  return (line: string) => {
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`[bench ${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}] ${line}`);
  };
}

/** Runs a part in a child process (the same tsx loader), which writes its result to a file. */
async function runIsolated(part: BenchPart, quick: boolean, started: number): Promise<unknown> {
  const folder = mkdtempSync(join(tmpdir(), 'gridflow-bench-'));
  const file = join(folder, 'result.json');
  try {
    const script = fileURLToPath(import.meta.url);
    const childArgs = [...process.execArgv, script, '--child', part.key, file, String(started), ...(quick ? ['--quick'] : [])];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, childArgs, { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    const outcome = JSON.parse(readFileSync(file, 'utf8')) as { result?: unknown; error?: string };
    if (outcome.error !== undefined || code !== 0) throw new Error(outcome.error ?? `the child process exited with ${code}`);
    return outcome.result;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** In the child: run the one part and leave its result (or error) in the file. */
async function child(args: string[], quick: boolean) {
  const [key, file, started] = args.slice(args.indexOf('--child') + 1);
  const part = PARTS.find((candidate) => candidate.key === key);
  if (!part) throw new Error(`No part ${key}`);
  try {
    const result = await part.run({ quick, prices: loadPrices(), log: logger(Number(started)) });
    writeFileSync(file, JSON.stringify({ result }));
  } catch (error) {
    writeFileSync(file, JSON.stringify({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  }
  // The platform's timers and the AWS SDK's sockets may linger; the result is written.
  process.exit(0);
}

function printTable(tables: { part: BenchPart; rows: Row[] }[]) {
  const lines: string[][] = [];
  for (const { part, rows } of tables) {
    lines.push([`${part.title}`, '', '', '']);
    for (const row of rows)
      lines.push([
        `  ${row.figure}`,
        row.value,
        row.target ?? '',
        row.met === undefined || row.met === null ? '' : row.met ? 'met' : 'MISSED',
      ]);
  }
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...lines.map((line) => [...line[column]].length), ['figure', 'value', 'target', ''][column].length),
  );
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));
  console.log('');
  console.log([pad('figure', widths[0]), pad('value', widths[1]), pad('target', widths[2]), ''].join('  '));
  console.log(widths.map((width) => '─'.repeat(width)).join('  '));
  for (const line of lines)
    console.log(
      line
        .map((cell, column) => pad(cell, widths[column]))
        .join('  ')
        .trimEnd(),
    );
}

function loadPrices(): Prices {
  const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as Prices;
  const numbers = [
    prices.stepFunctionsStandardPerThousandTransitionsUsd,
    prices.lambdaPerMillionRequestsUsd,
    prices.lambdaArm64PerGbSecondUsd,
    prices.lambdaMemoryMb?.httpHandler,
    prices.lambdaMemoryMb?.workflowStep,
    prices.dynamoDbPerMillionWriteRequestUnitsUsd,
    prices.dynamoDbPerMillionReadRequestUnitsUsd,
    prices.httpApiPerMillionRequestsUsd,
    prices.smsPerPartUsd,
  ];
  if (numbers.some((value) => typeof value !== 'number' || !Number.isFinite(value)))
    throw new Error('bench/prices.json: every price must be a number');
  return prices;
}

await main();
