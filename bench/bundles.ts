/**
 * Bundles: `cdk synth` (esbuild, minified, as infra/constructs/gridflow-function.ts sets it up) into a
 * temporary folder, then the size of each Lambda's bundle (index.mjs / index.js; the source map beside
 * it is not counted). For the largest bundle, what takes the space (esbuild's metafile, same options);
 * and what each bundle would weigh with zod imported as a namespace (`import * as z from 'zod'`), which
 * lets esbuild drop the parts of zod that are not used.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { round, type BenchPart, type Row } from './lib';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET_BYTES = 300 * 1024;

export interface BundleSize {
  name: string;
  asset: string;
  file: string;
  bytes: number;
  kib: number;
  gzipBytes: number;
  sourceMapBytes: number;
  overTargetBytes: number;
  /** How far over (or, negative, under) the target, in percent of the target. */
  overTargetPercent: number;
  /** With `import * as z from 'zod'` in place of `import { z } from 'zod'` (esbuild, same options). */
  withNamespaceZodImportBytes?: number;
}

export interface BundlesResult {
  synthSeconds: number;
  targetBytes: number;
  functions: BundleSize[];
  largest: { name: string; bytes: number; overTargetBytes: number; overTargetPercent: number };
  allUnderTarget: boolean;
  /** What the largest bundle holds, by package or source folder, in bytes of minified output. */
  largestContents: Record<string, number>;
  allUnderTargetWithNamespaceZodImport: boolean;
  /** True when zod takes over 200 KiB of the largest bundle: the sources import it as `{ z }`, which keeps all of it. */
  zodImportedByName: boolean;
}

export const bundlesPart: BenchPart<BundlesResult> = {
  key: 'bundles',
  title: 'Lambda bundles (cdk synth, esbuild, minified)',
  // Sizes only: it runs while the open-cases part creates its cases (which it slows, not its memory).
  runsBeside: 'openCases',
  async run(ctx) {
    const out = mkdtempSync(join(tmpdir(), 'gridflow-bench-synth-'));
    try {
      ctx.log('bundles: npx cdk synth --quiet -c nag=false (bundles every function with esbuild)');
      const started = Date.now();
      await synth(out);
      const synthSeconds = round((Date.now() - started) / 1000);
      ctx.log(`bundles: synthesized in ${synthSeconds} s`);

      const template = JSON.parse(readFileSync(join(out, 'GridFlow.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
      };
      const functions: BundleSize[] = [];
      for (const [logicalId, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        const asset = resource.Metadata?.['aws:asset:path'];
        if (!asset) continue;
        const file = ['index.mjs', 'index.js'].map((name) => join(out, asset, name)).find(existsSync);
        if (!file) continue;
        const cdkPath = resource.Metadata?.['aws:cdk:path'] ?? logicalId;
        const name = /\/Functions\/([^/]+)\//.exec(cdkPath)?.[1] ?? cdkPath;
        const bytes = statSync(file).size;
        const map = `${file}.map`;
        functions.push({
          name,
          asset,
          file: file.slice(out.length + 1),
          bytes,
          kib: round(bytes / 1024),
          gzipBytes: gzipSync(readFileSync(file)).length,
          sourceMapBytes: existsSync(map) ? statSync(map).size : 0,
          overTargetBytes: bytes - TARGET_BYTES,
          overTargetPercent: round(((bytes - TARGET_BYTES) / TARGET_BYTES) * 100),
        });
      }
      if (functions.length === 0) throw new Error('cdk synth produced no Lambda bundles');
      functions.sort((a, b) => b.bytes - a.bytes);

      const largest = functions[0];
      const largestContents = (await bundle(largest.name, false)).contents;
      // Where the sources still import zod by name, what each bundle would weigh with the namespace import
      // (in a full run, or whenever a bundle misses the target).
      const namedZodImport = (largestContents.zod ?? 0) > 200 * 1024;
      if (!ctx.quick || functions.some((fn) => fn.bytes >= TARGET_BYTES)) {
        ctx.log("bundles: each bundle with `import * as z from 'zod'` (esbuild, same options)");
        for (const fn of functions) {
          if (!existsSync(join(PROJECT_ROOT, 'functions', `${fn.name}.ts`))) continue;
          fn.withNamespaceZodImportBytes = (await bundle(fn.name, true)).bytes;
        }
      }
      for (const fn of functions)
        ctx.log(
          `bundles: ${fn.name.padEnd(15)} ${fn.kib} KiB${fn.withNamespaceZodImportBytes ? ` (${round(fn.withNamespaceZodImportBytes / 1024)} KiB with the namespace import)` : ''}`,
        );
      return {
        synthSeconds,
        targetBytes: TARGET_BYTES,
        functions,
        largest: {
          name: largest.name,
          bytes: largest.bytes,
          overTargetBytes: largest.overTargetBytes,
          overTargetPercent: largest.overTargetPercent,
        },
        allUnderTarget: functions.every((fn) => fn.bytes < TARGET_BYTES),
        largestContents,
        allUnderTargetWithNamespaceZodImport: functions.every((fn) => (fn.withNamespaceZodImportBytes ?? fn.bytes) < TARGET_BYTES),
        zodImportedByName: namedZodImport,
      };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  rows(result) {
    const rows: Row[] = result.functions.map((fn) => ({
      figure: `${fn.name} bundle`,
      value: `${fn.kib} KiB${fn.overTargetBytes > 0 ? ` (+${fn.overTargetPercent}%)` : ''}`,
      target: '< 300 KiB',
      met: fn.bytes < result.targetBytes,
    }));
    const zod = result.largestContents.zod;
    if (zod) rows.push({ figure: `of ${result.largest.name}: zod`, value: `${round(zod / 1024)} KiB`, met: null });
    if (result.zodImportedByName) {
      rows.push({
        figure: "all bundles with `import * as z from 'zod'`",
        value: `largest ${round(Math.max(...result.functions.map((fn) => fn.withNamespaceZodImportBytes ?? fn.bytes)) / 1024)} KiB`,
        target: '< 300 KiB',
        met: result.allUnderTargetWithNamespaceZodImport,
      });
    }
    return rows;
  },
};

function synth(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', 'synth', '--quiet', '-c', 'nag=false', '-o', out], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cdk synth exited with ${code}:\n${output.slice(-3000)}`))));
  });
}

/** Rewrites the named import of zod to a namespace import, in the project's own sources only. */
const namespaceZod: Plugin = {
  name: 'namespace-zod-import',
  setup(builder) {
    builder.onLoad({ filter: /\/(shared|functions)\/.*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"),
      loader: 'ts',
    }));
  },
};

/** Bundles a handler as GridFlowFunction does (ESM, node22, minified, AWS SDK external), in memory. */
async function bundle(name: string, rewriteZod: boolean): Promise<{ bytes: number; contents: Record<string, number> }> {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'functions', `${name}.ts`)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    outfile: join(tmpdir(), 'gridflow-bench-bundle', 'index.mjs'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: rewriteZod ? [namespaceZod] : [],
  });
  const output = Object.values(result.metafile.outputs).find((entry) => entry.entryPoint);
  const contents: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const key =
      pkg ??
      input
        .split('/')
        .slice(0, input.startsWith('shared/') ? 2 : 1)
        .join('/');
    contents[key] = (contents[key] ?? 0) + bytesInOutput;
  }
  const sorted = Object.fromEntries(Object.entries(contents).sort((a, b) => b[1] - a[1]));
  return { bytes: output?.bytes ?? 0, contents: sorted };
}
