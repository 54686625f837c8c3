/**
 * DynamoDB on the edge port: every `DynamoDB_20120810.*` and `DynamoDBStreams_20120810.*` request is forwarded to DynamoDB Local as it came
 * (the SDK's signature and headers kept; DynamoDB Local does not check signatures) and its reply streamed
 * back untouched — status, `x-amz-crc32` (the SDK checks it), `x-amzn-requestid`. The platform's own table
 * traffic takes this path too: one way in, on which the journal sits (dynamodb-journal.ts): with a data folder,
 * every `TransactWriteItems` is on disk before DynamoDB Local sees it.
 *
 * A DynamoDB Local that cannot answer is DynamoDB's own 503 `ServiceUnavailable` (the SDK retries it, then the API
 * answers 503 store_unavailable): at once when it refuses connections (dead, or down while the platform starts it
 * again), and once its liveness watch finds it hung (dynamodb-liveness.ts) — not merely slow.
 */
import type { IncomingMessage } from 'node:http';
import { type AwsService, amzTarget, jsonError } from './aws-service';
import { type DynamoDbJournal, UnconditionedTransaction } from './dynamodb-journal';
import { dynamoDbLiveness, Unresponsive } from './dynamodb-liveness';
import { dynamoDbLocalHttp } from './dynamodb-local-http';

/** Request headers DynamoDB Local reads (or the SDK's signature covers); hop-by-hop ones are not forwarded. */
const FORWARDED_REQUEST_HEADERS = [
  'content-type',
  'x-amz-target',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'user-agent',
];
const FORWARDED_REPLY_HEADERS = ['content-type', 'content-length', 'x-amz-crc32', 'x-amzn-requestid'];

export interface DynamoDbService extends AwsService {
  /** DynamoDB Local died: every call is answered 503 at once until `restarted`. */
  down(): void;
  /** DynamoDB Local runs again: calls wait until `ready` (what it lost written again) settles, then go through. */
  restarted(ready: Promise<unknown>): void;
  /** Closes the kept-alive connections to DynamoDB Local. */
  close(): void;
}

const TRANSACTION = 'DynamoDB_20120810.TransactWriteItems';

/**
 * The forwarder; with a journal still being opened (its replay under way), every request waits for it: a read
 * before the replay is over could miss an acknowledged write.
 */
export function dynamoDbService(options: {
  endpoint: string;
  journal?: DynamoDbJournal | Promise<DynamoDbJournal | undefined>;
}): DynamoDbService {
  const http = dynamoDbLocalHttp(options.endpoint);
  const liveness = dynamoDbLiveness(options.endpoint);
  let down = false;
  let ready: Promise<unknown> = Promise.resolve(options.journal);
  return {
    name: 'dynamodb',
    accepts: (request) => /^DynamoDB(Streams)?_20120810\./.test(amzTarget(request) ?? ''),
    async handle(request) {
      await ready.catch(() => undefined);
      if (down) return unavailable('DynamoDB Local is not running; the platform is starting it again');
      if (liveness.unresponsive) return unavailable('DynamoDB Local does not answer');
      const journal = await options.journal;
      const headers: Record<string, string> = { 'content-length': String(request.body.length) };
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = request.headers[name];
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      let entry: number | undefined;
      if (journal && amzTarget(request) === TRANSACTION) {
        try {
          entry = await journal.record(request.body);
        } catch (error) {
          if (error instanceof UnconditionedTransaction) return jsonError(400, 'ValidationException', error.message);
          return jsonError(500, 'InternalServerError', `The journal could not write: ${(error as Error).message}`);
        }
      }
      const forwarded = http.post(headers, request.body).then((reply) => {
        if (entry !== undefined) journal?.settle(entry, reply.statusCode === 200);
        return reply;
      });
      try {
        const reply: IncomingMessage = await liveness.watch(forwarded);
        const replyHeaders: Record<string, string> = {};
        for (const name of FORWARDED_REPLY_HEADERS) {
          const value = reply.headers[name];
          if (typeof value === 'string') replyHeaders[name] = value;
        }
        return { status: reply.statusCode ?? 500, headers: replyHeaders, body: reply };
      } catch (error) {
        // Let go of a hung call: should DynamoDB Local answer it after all, its outcome is still journaled.
        if (error instanceof Unresponsive) forwarded.then((late) => late.resume()).catch(() => {});
        return unavailable(`DynamoDB Local did not answer: ${(error as Error).message}`);
      }
    },
    down() {
      down = true;
    },
    restarted(replayed) {
      ready = replayed;
      down = false;
    },
    close: () => {
      liveness.stop();
      http.close();
    },
  };
}

const unavailable = (message: string) => jsonError(503, 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message);
