/**
 * One platform per data folder. `platform.lock` in the folder names the process that runs it (its pid, the
 * kernel's start time of that pid, so a reused pid is not taken for it, and its API once it listens). A start
 * finding a live holder refuses, naming it; a lock left by a process that is gone (killed outright) is taken over.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJsonFile, type Warn, writeFileAtomic } from './durable-files';

export const LOCK_FILE = 'platform.lock';

interface Holder {
  pid: number;
  /** The process's start time (clock ticks since boot, /proc/<pid>/stat), where the system tells it. */
  started?: string;
  url?: string;
}

export interface DataFolderLock {
  /** Adds the API's address, for the message a second start shows. */
  announce(url: string): void;
  release(): void;
}

export class DataFolderInUse extends Error {}

export function lockDataFolder(dataDir: string, warn: Warn): DataFolderLock {
  const file = join(dataDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, started: startTimeOf(process.pid) };
  const write = (holder: Holder, exclusive = false) => writeFileAtomic(file, JSON.stringify(holder), { exclusive });
  try {
    write(me, true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = readJsonFile<Holder>(file, warn);
    if (holder && running(holder)) throw inUse(dataDir, holder);
    if (holder) warn(`${file}: pid ${holder.pid} is gone (stopped outright); taking the data folder over`);
    write(me);
    // Two starts taking over the same stale lock at once: the last rename wins, the other refuses.
    const now = readJsonFile<Holder>(file, warn);
    if (now?.pid !== me.pid) throw inUse(dataDir, now ?? holder ?? me);
  }
  let held = true;
  return {
    announce: (url) => held && write({ ...me, url }),
    release: () => {
      if (!held) return;
      held = false;
      if (existsSync(file) && readJsonFile<Holder>(file, warn)?.pid === me.pid) rmSync(file, { force: true });
    },
  };
}

/** The API of the platform running on the data folder, once it listens; undefined when none runs there. */
export function runningPlatformUrl(dataDir: string): string | undefined {
  const holder = readJsonFile<Holder>(join(dataDir, LOCK_FILE), () => {});
  return holder && running(holder) ? holder.url : undefined;
}

function inUse(dataDir: string, holder: Holder): DataFolderInUse {
  return new DataFolderInUse(
    `GridFlow is already running on the data folder ${resolve(dataDir)}: process ${holder.pid}${holder.url ? `, API ${holder.url}` : ' (still starting)'}. ` +
      `Stop it first (Ctrl-C where it runs, or kill ${holder.pid}), or give this one another folder (GRIDFLOW_DATA_DIR).`,
  );
}

function running(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // Alive: the same process, unless it has exited and awaits its parent (Z) or the pid was reused since.
  const stat = statOf(holder.pid);
  if (stat?.[0] === 'Z') return false;
  const started = stat?.[19];
  return !holder.started || !started || started === holder.started;
}

const startTimeOf = (pid: number) => statOf(pid)?.[19];

/** /proc/<pid>/stat from field 3 on (state; field 22 is the start time), past the command name; undefined off Linux. */
function statOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
  } catch {
    return undefined;
  }
}
