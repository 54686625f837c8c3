/**
 * Only our own DynamoDB Local, one platform per data folder, through `npm start` itself: a stranger's process
 * named in the pid file is left alone; a second start on a running platform's data folder refuses, naming it,
 * and touches nothing; a DynamoDB Local orphaned by a platform killed outright is stopped by the next start; a
 * start that fails stops what it started; DynamoDB Local listens on 127.0.0.1 only, with telemetry off.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../dev-server/local-platform';
import { eventually, JINYUAN_GRID_1 } from '../support/local-stack';
import { call, exitOf, npmStart, root, spawnStart, tsx } from '../support/npm-start';

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const commandLine = (pid: number | string) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

/** The processes (live) whose command line names this folder: the DynamoDB Locals serving it. */
function javasServing(folder: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => commandLine(pid)[0] === 'java' && commandLine(pid).some((arg) => arg.startsWith(folder)))
    .map(Number)
    .filter(alive);
}

/** The addresses sockets listen on at this port (IPv4 and IPv6 tables of the kernel). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => fields[1].split(':')[0]),
  );
}
const LOOPBACK = ['0100007F', '0000000000000000FFFF00000100007F', '00000000000000000000000001000000'];

test('npm start stops only its own DynamoDB Local, refuses a second start on its data folder, and leaves nothing behind', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-ownership-'));
  const env = { GRIDFLOW_DATA_DIR: dataDir, PORT: String(await freePort()) };
  const pidFile = join(dataDir, 'dynamodb', 'dynamodb-local.pid');
  // Someone else's process, whose command line says DynamoDBLocal, named in a pid file left behind.
  const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)', 'DynamoDBLocal.jar'], { stdio: 'ignore' });
  mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
  writeFileSync(pidFile, String(stranger.pid));
  const groups: number[] = [];
  try {
    const first = await npmStart(env);
    groups.push(first.process.pid!);
    expect(alive(stranger.pid!)).toBe(true);
    const [java] = javasServing(dataDir);
    expect(javasServing(dataDir)).toEqual([java]);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(java));

    // Bound to 127.0.0.1 only; telemetry off (and no metadata file of its own written where it runs).
    const args = commandLine(java);
    const port = Number(args[args.indexOf('-port') + 1]);
    expect(listeningAddresses(port).length).toBeGreaterThan(0);
    for (const address of listeningAddresses(port)) expect(LOOPBACK).toContain(address);
    expect(args).toContain('-disableTelemetry');
    expect(readFileSync(`/proc/${java}/environ`, 'utf8').split('\0')).toContain('DDB_LOCAL_TELEMETRY=0');
    expect(existsSync(join(dataDir, 'dynamodb', 'dynamodb-local-metadata.json'))).toBe(false);

    // A second start on the same data folder refuses, names the running one, and leaves it alone.
    const second = spawnStart(env);
    groups.push(second.process.pid!);
    expect(await exitOf(second.process)).toBe(1);
    expect(second.output()).toMatch(/already running/);
    expect(second.output()).toContain(first.url);
    expect(second.output()).not.toMatch(/^\s+at /m);
    expect(javasServing(dataDir)).toEqual([java]);
    const { stdout } = await promisify(execFile)(tsx, ['bin/token.ts', '--role', 'grid_worker', '--unit', JINYUAN_GRID_1], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    const token = stdout.trim();
    expect((await call(first.url, 'GET', `/events?unit=${JINYUAN_GRID_1}`, token)).status).toBe(200);

    // The platform killed outright, its DynamoDB Local left running: the next start stops that one (it is ours).
    process.kill(first.process.pid!, 'SIGKILL');
    await exitOf(first.process);
    expect(alive(java)).toBe(true);
    const third = await npmStart(env);
    groups.push(third.process.pid!);
    expect(alive(java)).toBe(false);
    expect(javasServing(dataDir)).toHaveLength(1);
    expect((await call(third.url, 'GET', `/events?unit=${JINYUAN_GRID_1}`, token)).status).toBe(200);
    process.kill(-third.process.pid!, 'SIGINT');
    expect(await exitOf(third.process)).toBe(0);
    expect(alive(stranger.pid!)).toBe(true);

    // A start that fails (its port is taken) says why and stops the DynamoDB Local it started.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(Number(env.PORT), '127.0.0.1', resolve));
    try {
      const failed = spawnStart(env);
      groups.push(failed.process.pid!);
      expect(await exitOf(failed.process)).toBe(1);
      expect(failed.output()).toMatch(new RegExp(`port ${env.PORT}`));
      expect(failed.output()).not.toMatch(/^\s+at /m);
      await eventually(async () => (javasServing(dataDir).length === 0 ? true : undefined), 'no DynamoDB Local left', 10_000);
    } finally {
      taken.close();
    }
  } finally {
    stranger.kill('SIGKILL');
    for (const group of groups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const pid of javasServing(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Three starts that serve (up to 30 s each on a loaded machine) and two that stop early.
}, 180_000);
