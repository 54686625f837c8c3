/**
 * How local mode writes and reads its files (the clock, the outbox, the stream checkpoint, pid and lock files,
 * the signing key, seeded reference data), so that a crash or a power cut never leaves half a file behind and
 * a half-written line never stops a start:
 * - a whole file is written to a temp file in the same folder, fsynced, then renamed over the old one (or linked,
 *   when it must not exist yet): readers see the old content or the new, never a mix or an empty file;
 * - JSON lines are appended with one write per batch and fdatasync; a line cut short by a crash is skipped and
 *   reported when read, and the next append starts on a new line instead of gluing itself onto it.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  linkSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type Warn = (line: string) => void;

let temps = 0;

/** Writes `path` whole or not at all. `exclusive`: fails with EEXIST when it exists (the first writer's file stays). */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: { mode?: number; exclusive?: boolean } = {}): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++temps}.tmp`);
  try {
    const fd = openSync(temp, 'w', options.mode ?? 0o644);
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.exclusive) linkSync(temp, path);
    else renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** A JSON file: undefined when it does not exist, or when it does not parse (reported, then treated as absent). */
export function readJsonFile<T>(path: string, warn: Warn): T | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch {
    warn(`${path} is not whole JSON (${text.length} bytes, torn by a crash?): ignored`);
    return undefined;
  }
}

/** Every whole line of a JSON-lines file (none when it does not exist); a line that does not parse is skipped and reported. */
export function readJsonLines<T>(path: string, warn: Warn): T[] {
  if (!existsSync(path)) return [];
  const records: T[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line) return;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        warn(`${path}: line ${index + 1} is not whole JSON (${line.length} characters, torn by a crash?): skipped`);
      }
    });
  return records;
}

/** Appends records as JSON lines, durably, before returning. */
export function appendJsonLinesSync(path: string, records: unknown[]): void {
  if (!records.length) return;
  const fd = openSync(path, 'a+');
  try {
    const torn = endsTorn(fd);
    writeSync(fd, `${torn ? '\n' : ''}${records.map((record) => `${JSON.stringify(record)}\n`).join('')}`);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A JSON-lines file appended to from async code: `append` resolves once its line is on disk. Lines appended while
 * a write is under way go together in the next write (one fdatasync for all of them), in the order appended.
 */
export class JsonLinesAppender {
  private queued: { line: unknown; done: () => void; failed: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly path: string) {}

  append(record: unknown): Promise<void> {
    return new Promise((done, failed) => {
      this.queued.push({ line: record, done, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    // Let the appends of this turn of the event loop join the first write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queued.length) {
      const batch = this.queued.splice(0);
      try {
        appendJsonLinesSync(
          this.path,
          batch.map(({ line }) => line),
        );
        for (const { done } of batch) done();
      } catch (error) {
        for (const { failed } of batch) failed(error);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.writing = false;
  }
}

/** Whether the file ends part-way through a line (a crash cut its last write short). */
function endsTorn(fd: number): boolean {
  const { size } = fstatSync(fd);
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}
