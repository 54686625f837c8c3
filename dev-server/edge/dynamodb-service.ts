/**
 * DynamoDB on the edge port: every `DynamoDB_20120810.*` and `DynamoDBStreams_20120810.*` request is forwarded to DynamoDB Local as it came
 * (the SDK's signature and headers kept; DynamoDB Local does not check signatures) and its reply streamed
 * back untouched — status, `x-amz-crc32` (the SDK checks it), `x-amzn-requestid`. The platform's own table
 * traffic takes this path too: one way in, on which the journal sits (dynamodb-journal.ts): with a data folder,
 * every `TransactWriteItems` is on disk before DynamoDB Local sees it.
 */
import type { IncomingMessage } from 'node:http';
import { type AwsService, amzTarget, jsonError } from './aws-service';
import { type DynamoDbJournal, UnconditionedTransaction } from './dynamodb-journal';
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
  return {
    name: 'dynamodb',
    accepts: (request) => /^DynamoDB(Streams)?_20120810\./.test(amzTarget(request) ?? ''),
    async handle(request) {
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
      try {
        const reply: IncomingMessage = await http.post(headers, request.body);
        if (entry !== undefined) journal?.settle(entry, reply.statusCode === 200);
        const replyHeaders: Record<string, string> = {};
        for (const name of FORWARDED_REPLY_HEADERS) {
          const value = reply.headers[name];
          if (typeof value === 'string') replyHeaders[name] = value;
        }
        return { status: reply.statusCode ?? 500, headers: replyHeaders, body: reply };
      } catch (error) {
        return jsonError(500, 'InternalServerError', `DynamoDB Local did not answer: ${(error as Error).message}`);
      }
    },
    close: () => http.close(),
  };
}
