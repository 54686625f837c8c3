/**
 * DynamoDB on the edge port: every `DynamoDB_20120810.*` and `DynamoDBStreams_20120810.*` request is forwarded to DynamoDB Local as it came
 * (the SDK's signature and headers kept; DynamoDB Local does not check signatures) and its reply streamed
 * back untouched — status, `x-amz-crc32` (the SDK checks it), `x-amzn-requestid`. The platform's own table
 * traffic takes this path too: one way in, which a journal can later sit on.
 */
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { type AwsService, amzTarget, jsonError } from './aws-service';

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

export function dynamoDbService(options: { endpoint: string }): DynamoDbService {
  const target = new URL(options.endpoint);
  // Kept-alive connections: a new TCP connection per call would double the added latency.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    name: 'dynamodb',
    accepts: (request) => /^DynamoDB(Streams)?_20120810\./.test(amzTarget(request) ?? ''),
    async handle(request) {
      const headers: Record<string, string> = { 'content-length': String(request.body.length) };
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = request.headers[name];
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      try {
        const reply = await new Promise<IncomingMessage>((resolve, reject) => {
          const outgoing = httpRequest({ agent, host: target.hostname, port: target.port, path: '/', method: 'POST', headers }, resolve);
          outgoing.once('error', reject);
          outgoing.end(request.body);
        });
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
    close: () => agent.destroy(),
  };
}
