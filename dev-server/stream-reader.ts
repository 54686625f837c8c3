/**
 * What Lambda's event source mapping does for the SMS sender in the cloud, on one machine: reads the table's
 * stream through the edge port (DynamoDB Streams' own protocol, forwarded to DynamoDB Local), keeps the records
 * the mapping's filter lets through (SMS_INTENT_STREAM_FILTER), and hands them to the sender function in
 * batches, as Lambda would (`{ Records }`). A batch item failure is retried from that record with backoff; after
 * `maxRetries` the record goes to `undelivered.jsonl` in the data folder (the cloud's on-failure queue) and the
 * reader moves on. Where it got to in each shard is kept in the data folder, so a restart goes on from there;
 * without one it starts at the oldest record (the sender skips intents already settled).
 */
import { appendJsonLinesSync, readJsonFile, writeFileAtomic } from './durable-files';
import { SMS_INTENT_STREAM_FILTER, type IntentStreamRecord } from '../shared/adapters/dynamodb/dynamodb-sms-stream';

export interface StreamReaderOptions {
  /** The edge port (DynamoDB Streams is answered there). */
  endpoint: string;
  tableName: string;
  /** The sender function, invoked as Lambda invokes it from a stream. */
  deliver: (event: { Records: StreamRecord[] }) => Promise<{ batchItemFailures?: { itemIdentifier: string }[] }>;
  /** Where the reader keeps its place in each shard (and the undelivered records go); none: memory only. */
  dataDir?: string;
  /**
   * Read every shard from its oldest record, whatever place was kept: DynamoDB Local lost writes (the journal
   * wrote some again), so it may hand out again the sequence numbers of lost records that the kept place is
   * already past. The sender skips every intent already settled.
   */
  fromStart?: boolean;
  /** Records per invocation (the mapping's batch size). */
  batchSize?: number;
  /** A shard with nothing new is read again after this many ms (Lambda polls about four times a second). */
  idleMs?: number;
  maxRetries?: number;
  log: (line: string) => void;
}

export type StreamRecord = IntentStreamRecord & { eventID?: string; eventSource?: string; eventSourceARN?: string };

interface Shard {
  ShardId: string;
  ParentShardId?: string;
}

const CHECKPOINT_FILE = 'sms-stream.json';
const SHARDS_READ_EVERY_MS = 5000;
const UNDELIVERED_FILE = 'undelivered.jsonl';

export class StreamReader {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** The last sequence number handed over (or given up on), per shard. */
  private readonly done: Record<string, string>;
  private readonly finishedShards = new Set<string>();
  /** Passes over the stream begun and ended; callers waiting for a pass that began after they asked. */
  private passesBegun = 0;
  private readonly waiting: { after: number; resolve: () => void }[] = [];
  private rewound = false;

  constructor(private readonly options: StreamReaderOptions) {
    const file = options.dataDir && `${options.dataDir}/${CHECKPOINT_FILE}`;
    this.done = (file && !options.fromStart && readJsonFile<Record<string, string>>(file, options.log)) || {};
    if (options.fromStart) options.log('SMS stream reader: DynamoDB Local lost writes; reading the stream from its oldest record');
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    for (const waiter of this.waiting.splice(0)) waiter.resolve();
  }

  /**
   * Reads every shard again from its oldest record: DynamoDB Local died while the platform ran and the journal
   * wrote some of what it lost again (as `fromStart`, for a restart of DynamoDB Local alone).
   */
  rewind(): void {
    this.rewound = true;
    this.wake?.();
  }

  /**
   * Resolves once every record written before the call has been handed to the sender: after a whole pass over
   * the stream that began after it (the reader is woken for it). At once when the reader is not running.
   */
  caughtUp(): Promise<void> {
    if (!this.running) return Promise.resolve();
    const after = this.passesBegun;
    const passed = new Promise<void>((resolve) => this.waiting.push({ after, resolve }));
    this.wake?.();
    return passed;
  }

  private passEnded(begun: number): void {
    for (const waiter of [...this.waiting]) {
      if (begun > waiter.after) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private async run(): Promise<void> {
    const iterators = new Map<string, string>();
    let streamArn: string | undefined;
    let shards: Shard[] = [];
    let shardsReadAt = 0;
    while (this.running) {
      if (this.rewound) {
        this.rewound = false;
        for (const shard of Object.keys(this.done)) delete this.done[shard];
        this.finishedShards.clear();
        iterators.clear();
        streamArn = undefined;
        this.options.log('SMS stream reader: DynamoDB Local lost writes; reading the stream from its oldest record');
      }
      let busy = false;
      const pass = ++this.passesBegun;
      try {
        streamArn ??= await this.latestStream();
        if (streamArn) {
          // The shard list changes when a shard closes (its children appear): read it again then, or every few seconds.
          if (Date.now() - shardsReadAt > SHARDS_READ_EVERY_MS || shards.every((shard) => this.finishedShards.has(shard.ShardId))) {
            shards = await this.shards(streamArn);
            shardsReadAt = Date.now();
          }
          for (const shard of shards) {
            if (this.finishedShards.has(shard.ShardId) || !this.running) continue;
            let iterator = iterators.get(shard.ShardId) ?? (await this.iterator(streamArn, shard.ShardId));
            const page = await this.call('GetRecords', { ShardIterator: iterator, Limit: 1000 });
            const records = (page.Records ?? []) as StreamRecord[];
            if (records.length) busy = true;
            await this.handOver(shard.ShardId, records, streamArn);
            if (page.NextShardIterator) iterator = page.NextShardIterator;
            else this.finishedShards.add(shard.ShardId);
            iterators.set(shard.ShardId, iterator);
          }
        }
      } catch (error) {
        // An expired iterator or DynamoDB Local restarting: start again from where the reader got to.
        iterators.clear();
        streamArn = undefined;
        shardsReadAt = 0;
        if (this.running) this.options.log(`SMS stream reader: ${String(error)}; reading again`);
        await this.pause(1000);
        continue;
      }
      this.passEnded(pass);
      if (!busy && !this.waiting.length) await this.pause(this.options.idleMs ?? 250);
    }
  }

  /** The records the filter lets through, in batches, each batch retried from a failed record. */
  private async handOver(shardId: string, records: StreamRecord[], streamArn: string): Promise<void> {
    const wanted = records.filter(passesFilter).map((record) => ({ ...record, eventSource: 'aws:dynamodb', eventSourceARN: streamArn }));
    const size = this.options.batchSize ?? 25;
    for (let start = 0; start < wanted.length; ) {
      const batch = wanted.slice(start, start + size);
      const handed = await this.deliverWithRetries(batch);
      // Nothing handed over: stopping. The next start goes on from the kept place.
      if (handed === 0) return;
      start += handed;
      const last = wanted[start - 1]?.dynamodb?.SequenceNumber;
      if (last) this.checkpoint(shardId, last);
    }
    // Records the filter dropped are done too.
    const lastSeen = records.at(-1)?.dynamodb?.SequenceNumber;
    if (lastSeen && wanted.length === 0) this.checkpoint(shardId, lastSeen);
  }

  /** Hands a batch to the sender; returns how many of its records are done (delivered, or given up on). */
  private async deliverWithRetries(batch: StreamRecord[]): Promise<number> {
    const maxRetries = this.options.maxRetries ?? 10;
    for (let attempt = 0; ; attempt++) {
      let failedAt: number;
      try {
        const result = await this.options.deliver({ Records: batch });
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed === undefined) return batch.length;
        failedAt = Math.max(
          0,
          batch.findIndex((record) => record.dynamodb?.SequenceNumber === failed),
        );
      } catch (error) {
        this.options.log(`SMS sender failed: ${String(error)}`);
        failedAt = 0;
      }
      if (failedAt > 0) return failedAt; // what came before the failed record is done; go on from it
      if (attempt >= maxRetries || !this.running) {
        if (!this.running) return 0;
        this.giveUp(batch[0]);
        return 1;
      }
      await this.pause(Math.min(100 * 2 ** attempt, 10_000));
    }
  }

  private giveUp(record: StreamRecord): void {
    this.options.log(`SMS sender: a stream record failed after ${this.options.maxRetries ?? 10} retries; kept in ${UNDELIVERED_FILE}`);
    if (this.options.dataDir) appendJsonLinesSync(`${this.options.dataDir}/${UNDELIVERED_FILE}`, [record]);
  }

  private checkpoint(shardId: string, sequenceNumber: string): void {
    this.done[shardId] = sequenceNumber;
    if (this.options.dataDir) writeFileAtomic(`${this.options.dataDir}/${CHECKPOINT_FILE}`, JSON.stringify(this.done));
  }

  private async latestStream(): Promise<string | undefined> {
    const { Streams } = await this.call('ListStreams', { TableName: this.options.tableName });
    return (Streams as { StreamArn: string }[] | undefined)?.at(-1)?.StreamArn;
  }

  /** The stream's shards, parents first (a child's records come after its parent's). */
  private async shards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let after: string | undefined;
    do {
      const { StreamDescription } = await this.call('DescribeStream', {
        StreamArn: streamArn,
        ...(after ? { ExclusiveStartShardId: after } : {}),
      });
      shards.push(...(StreamDescription.Shards as Shard[]));
      after = StreamDescription.LastEvaluatedShardId;
    } while (after);
    return shards;
  }

  private async iterator(streamArn: string, shardId: string): Promise<string> {
    const after = this.done[shardId];
    const from = (position: Record<string, string>) =>
      this.call('GetShardIterator', { StreamArn: streamArn, ShardId: shardId, ...position });
    if (!after) return (await from({ ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
    try {
      return (await from({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after })).ShardIterator;
    } catch (error) {
      // The kept place is not in the shard (DynamoDB Local killed before its last writes were on disk): read the
      // shard from its oldest record; the sender skips every intent already settled.
      this.options.log(`SMS stream reader: shard ${shardId} has no record ${after} (${String(error)}); reading it from the start`);
      delete this.done[shardId];
      return (await from({ ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: DynamoDB Streams' JSON replies, read field by field above.
  private async call(operation: string, body: unknown): Promise<any> {
    const reply = await fetch(this.options.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
        // DynamoDB Local (run with -sharedDb) reads no signature; it wants the header.
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
    const text = await reply.text();
    if (!reply.ok) throw new Error(`DynamoDB Streams ${operation}: ${reply.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The event source mapping's filter, as Lambda applies it: each listed field equals one of its values or has the prefix. */
function passesFilter(record: StreamRecord): boolean {
  return matches(SMS_INTENT_STREAM_FILTER, record);
}

function matches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern))
    return pattern.some((rule) =>
      typeof rule === 'object' && rule !== null && 'prefix' in rule
        ? typeof value === 'string' && value.startsWith(String(rule.prefix))
        : rule === value,
    );
  if (typeof pattern !== 'object' || pattern === null || typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, inner]) => matches(inner, (value as Record<string, unknown>)[key]));
}
