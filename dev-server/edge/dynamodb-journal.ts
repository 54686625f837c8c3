/**
 * A write-ahead journal for the transactions the edge port forwards to DynamoDB Local. DynamoDB Local can lose
 * a `TransactWriteItems` it acknowledged when it is killed (about 1 in 1,800; ../shared/local-engines.md),
 * and GridFlow's 2xx means "stored". So each transaction is appended here and fsynced — concurrent ones share
 * one fsync (group commit) — before it is forwarded, and its outcome is written before the reply leaves.
 *
 * At the next start the journal writes again what DynamoDB Local does not hold. Replay is safe because every
 * transaction carries a condition that fails once it has been applied (a case's version, a new item's
 * `attribute_not_exists`), so an applied one is cancelled as a whole, its unconditioned counter updates with
 * it; a transaction without any condition is refused up front. Acknowledged transactions go first, then those
 * whose outcome was never written (the platform died before the reply); transactions DynamoDB Local refused
 * are never replayed. A pass that wrote something is followed by another over the ones cancelled (a later
 * change waits for its earlier one), until nothing moves.
 *
 * Files: `<n>.jsonl` segments, a new one every `rotateMs`; a closed segment is deleted `keepMs` after it
 * closed — far longer than DynamoDB Local takes to store what it acknowledged.
 */
import { closeSync, fdatasync, mkdirSync, openSync, readdirSync, rmSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readJsonLines } from '../durable-files';
import { dynamoDbLocalHttp, type DynamoDbLocalHttp } from './dynamodb-local-http';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

export interface ReplaySummary {
  /** Written again: DynamoDB Local did not hold them. */
  restored: number;
  /** Of those, the ones whose reply never left (the platform died first). */
  restoredUnacknowledged: number;
  /**
   * How much older than the journal's last entry the oldest acknowledged transaction DynamoDB Local lost was:
   * the loss window seen, against which `keepMs` is chosen.
   */
  lostWindowMs?: number;
  /** Cancelled by their condition on every pass: DynamoDB Local held them already. */
  held: number;
  /** Refused for another reason (logged). */
  failed: number;
  /** Lines that could not be read (a segment torn by the kill). */
  torn: number;
  ms: number;
}

export interface JournalStats {
  transactions: number;
  fsyncs: number;
  /** The latest transactions' waits (up to `waitsKept`), from arriving to its entry being on disk, oldest first. */
  waitsMs: number[];
}

/** How many of the latest waits the journal keeps: a platform left running must not grow with every transaction. */
export const JOURNAL_WAITS_KEPT = 10_000;

export interface DynamoDbJournal {
  readonly replayed: ReplaySummary;
  /** Journals a `TransactWriteItems` body; resolves once it is on disk, with its entry number. */
  record(body: Buffer): Promise<number>;
  /** The forwarded transaction's outcome, written before its reply is sent. */
  settle(entry: number, applied: boolean): void;
  stats(): JournalStats;
  /**
   * Writes again what a DynamoDB Local that died lost (as at the start, from every entry kept): for its restart
   * on the same data folder while the platform runs.
   */
  writeAgain(): Promise<ReplaySummary>;
  close(): Promise<void>;
  /**
   * After close, once DynamoDB Local shut down by itself (it then holds everything it acknowledged): the entries
   * are removed, so the next start has nothing to write again and serves sooner.
   */
  checkpoint(): void;
}

/** A transaction that a replay could apply twice: the forwarder answers 400 with this message. */
export class UnconditionedTransaction extends Error {
  override name = 'UnconditionedTransaction';
}

const SEGMENT = /^(\d+)\.jsonl$/;

export async function openDynamoDbJournal(options: {
  dir: string;
  /** DynamoDB Local itself (not the edge port): a replay is not journaled again. */
  endpoint: string;
  log?: (line: string) => void;
  rotateMs?: number;
  keepMs?: number;
  /** How many of the latest waits stats() gives; default JOURNAL_WAITS_KEPT. */
  waitsKept?: number;
}): Promise<DynamoDbJournal> {
  mkdirSync(options.dir, { recursive: true });
  const log = options.log ?? (() => {});
  const existing = segmentsIn(options.dir, log);
  const http = dynamoDbLocalHttp(options.endpoint);
  const replayed = await replay(existing, http.call, log).finally(() => http.close());
  return new FileJournal(
    options.dir,
    options.endpoint,
    log,
    existing,
    replayed,
    options.rotateMs ?? 10_000,
    options.keepMs ?? 120_000,
    options.waitsKept ?? JOURNAL_WAITS_KEPT,
  );
}

/** Throws UnconditionedTransaction unless one of the transaction's items carries a condition. */
export function checkReplaySafe(body: Buffer): void {
  let items: Record<string, { ConditionExpression?: string } | undefined>[] = [];
  try {
    items = JSON.parse(body.toString('utf8')).TransactItems ?? [];
  } catch {
    return; // DynamoDB Local answers malformed bodies itself.
  }
  const conditioned = items.some(
    (item) => item.ConditionCheck || item.Put?.ConditionExpression || item.Update?.ConditionExpression || item.Delete?.ConditionExpression,
  );
  if (!conditioned)
    throw new UnconditionedTransaction(
      'GridFlow local: a transaction with no condition cannot be replayed safely after a crash (its updates would apply twice); give one of its items a ConditionExpression',
    );
}

class FileJournal implements DynamoDbJournal {
  private fd: number;
  private segmentNumber: number;
  private segmentOpenedAt = Date.now();
  /** Closed segments and when they closed. */
  private readonly closed: { name: string; at: number }[];
  private next: number;
  private pending: { line: string; arrived: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  private flushing?: Promise<void>;
  private readonly counts = { transactions: 0, fsyncs: 0 };
  /** The latest waits, a ring: the next one goes at `waitsNext % waitsKept`. */
  private readonly waits: number[] = [];
  private waitsNext = 0;
  private closedForGood = false;

  constructor(
    private readonly dir: string,
    private readonly endpoint: string,
    private readonly log: (line: string) => void,
    existing: Segment[],
    readonly replayed: ReplaySummary,
    private readonly rotateMs: number,
    private readonly keepMs: number,
    private readonly waitsKept: number,
  ) {
    const now = Date.now();
    // What was replayed is only acknowledged again: kept as if its segments closed now.
    this.closed = existing.map((segment) => ({ name: segment.name, at: now }));
    const last = existing.reduce((max, segment) => Math.max(max, segment.number, segment.lastEntry), 0);
    this.next = last + 1;
    this.segmentNumber = this.next;
    this.fd = openSync(join(dir, `${this.segmentNumber}.jsonl`), 'a');
  }

  record(body: Buffer): Promise<number> {
    checkReplaySafe(body);
    const entry = this.next++;
    this.counts.transactions += 1;
    const line = `${JSON.stringify({ n: entry, at: Date.now(), body: body.toString('utf8') })}\n`;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, arrived: performance.now(), resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    }).then(() => entry);
  }

  settle(entry: number, applied: boolean): void {
    // In the kernel before the reply is sent: a killed process does not lose it (a lost machine might, and then
    // the entry counts as unsettled, which replays after the acknowledged ones).
    writeSync(this.fd, `${JSON.stringify({ n: entry, ok: applied })}\n`);
  }

  stats(): JournalStats {
    const at = this.waitsNext % this.waitsKept;
    return { ...this.counts, waitsMs: [...this.waits.slice(at), ...this.waits.slice(0, at)] };
  }

  async writeAgain(): Promise<ReplaySummary> {
    await this.flushing;
    const http = dynamoDbLocalHttp(this.endpoint);
    return replay(segmentsIn(this.dir, this.log), http.call, this.log).finally(() => http.close());
  }

  async close(): Promise<void> {
    await this.flushing;
    closeSync(this.fd);
    this.closedForGood = true;
  }

  checkpoint(): void {
    if (!this.closedForGood) throw new Error('journal: a checkpoint needs the journal closed first (nothing may be appended after it)');
    for (const name of readdirSync(this.dir)) if (SEGMENT.test(name)) rmSync(join(this.dir, name), { force: true });
  }

  /** Writes whatever is waiting, one write and one fsync per round, until nothing waits. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      this.rotateIfDue();
      const batch = this.pending.splice(0);
      try {
        await writeAsync(this.fd, batch.map((each) => each.line).join(''));
        await fdatasyncAsync(this.fd);
        this.counts.fsyncs += 1;
        const now = performance.now();
        for (const each of batch) {
          this.waits[this.waitsNext++ % this.waitsKept] = now - each.arrived;
          each.resolve();
        }
      } catch (error) {
        for (const each of batch) each.reject(error as Error);
      }
    }
  }

  private rotateIfDue() {
    const now = Date.now();
    if (now - this.segmentOpenedAt < this.rotateMs) return;
    closeSync(this.fd);
    this.closed.push({ name: `${this.segmentNumber}.jsonl`, at: now });
    this.segmentNumber = this.next;
    this.segmentOpenedAt = now;
    this.fd = openSync(join(this.dir, `${this.segmentNumber}.jsonl`), 'a');
    while (this.closed.length > 0 && now - (this.closed[0] as { at: number }).at > this.keepMs) {
      rmSync(join(this.dir, (this.closed.shift() as { name: string }).name), { force: true });
    }
  }
}

/** A line of a segment: a transaction as it came, or the outcome of one. */
type JournalLine = Entry | { n: number; ok: boolean };

interface Segment {
  name: string;
  number: number;
  lastEntry: number;
  lines: JournalLine[];
  /** Lines a kill cut short (skipped, reported by readJsonLines). */
  torn: number;
}

function segmentsIn(dir: string, log: (line: string) => void): Segment[] {
  return readdirSync(dir)
    .map((name) => ({ name, match: SEGMENT.exec(name) }))
    .filter((each): each is { name: string; match: RegExpExecArray } => each.match !== null)
    .map(({ name, match }) => {
      let torn = 0;
      const lines = readJsonLines<JournalLine>(join(dir, name), (warning) => {
        torn += 1;
        log(`journal: ${warning}`);
      });
      return { name, number: Number(match[1]), lastEntry: Math.max(0, ...lines.map((line) => line.n)), lines, torn };
    })
    .sort((a, b) => a.number - b.number);
}

interface Entry {
  n: number;
  at: number;
  body: string;
}

async function replay(segments: Segment[], call: DynamoDbLocalHttp['call'], log: (line: string) => void): Promise<ReplaySummary> {
  const started = performance.now();
  const entries = new Map<number, Entry>();
  const outcomes = new Map<number, boolean>();
  for (const line of segments.flatMap((segment) => segment.lines)) {
    if ('body' in line) entries.set(line.n, line);
    else outcomes.set(line.n, line.ok);
  }
  const torn = segments.reduce((sum, segment) => sum + segment.torn, 0);
  const ordered = [...entries.values()].sort((a, b) => a.n - b.n);
  const lastAt = ordered.reduce((latest, entry) => Math.max(latest, entry.at), 0);
  const acknowledged = ordered.filter((entry) => outcomes.get(entry.n) === true);
  const unsettled = ordered.filter((entry) => !outcomes.has(entry.n));
  const summary: ReplaySummary = { restored: 0, restoredUnacknowledged: 0, held: 0, failed: 0, torn, ms: 0 };
  for (const group of [acknowledged, unsettled]) {
    let waiting = group;
    let wrote = true;
    while (waiting.length > 0 && wrote) {
      wrote = false;
      const cancelled: Entry[] = [];
      for (const entry of waiting) {
        const outcome = await writeAgain(call, entry);
        if (outcome === 'written') {
          summary.restored += 1;
          if (group === unsettled) summary.restoredUnacknowledged += 1;
          else summary.lostWindowMs = Math.max(summary.lostWindowMs ?? 0, lastAt - entry.at);
          wrote = true;
        } else if (outcome === 'cancelled') cancelled.push(entry);
        else {
          summary.failed += 1;
          log(`journal: transaction ${entry.n} not written again: ${outcome.error}`);
        }
      }
      waiting = cancelled;
    }
    summary.held += waiting.length;
  }
  summary.ms = Math.round(performance.now() - started);
  if (ordered.length > 0)
    log(
      `journal: ${summary.restored} transaction(s) written again (${summary.restoredUnacknowledged} never acknowledged${
        summary.lostWindowMs === undefined
          ? ''
          : `; the oldest acknowledged one DynamoDB Local lost was ${summary.lostWindowMs} ms older than the last entry`
      }), ${summary.held} held already (${summary.ms} ms)`,
    );
  return summary;
}

async function writeAgain(call: DynamoDbLocalHttp['call'], entry: Entry): Promise<'written' | 'cancelled' | { error: string }> {
  // Without its idempotency token: DynamoDB Local remembers tokens for 10 minutes and would answer 200 unwritten.
  const { ClientRequestToken: _token, ...transaction } = JSON.parse(entry.body);
  const reply = await call('DynamoDB_20120810.TransactWriteItems', JSON.stringify(transaction));
  if (reply.status === 200) return 'written';
  let parsed: { __type?: string; message?: string; CancellationReasons?: { Code?: string }[] } = {};
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    // Reported below with the raw text.
  }
  const reasons = parsed.CancellationReasons ?? [];
  if (String(parsed.__type).endsWith('TransactionCanceledException') && reasons.some((reason) => reason.Code === 'ConditionalCheckFailed'))
    return 'cancelled';
  return { error: `${parsed.__type ?? reply.status}: ${parsed.message ?? reply.body.slice(0, 200)}` };
}
