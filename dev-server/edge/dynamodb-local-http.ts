/**
 * The one HTTP connection pool to DynamoDB Local, shared by the edge port's forwarder and the journal's replay.
 * Kept-alive connections: a new TCP connection per call would double the added latency.
 */
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';

export interface DynamoDbLocalHttp {
  /** POSTs a JSON 1.0 body with these headers; the reply as it comes. */
  post(headers: Record<string, string>, body: Buffer | string): Promise<IncomingMessage>;
  /** A call answered in full: for the journal's replay. */
  call(target: string, body: string): Promise<{ status: number; body: string }>;
  close(): void;
}

export function dynamoDbLocalHttp(endpoint: string): DynamoDbLocalHttp {
  const target = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const post = (headers: Record<string, string>, body: Buffer | string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest({ agent, host: target.hostname, port: target.port, path: '/', method: 'POST', headers }, resolve);
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  return {
    post,
    async call(amzTarget, body) {
      const reply = await post(
        {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': amzTarget,
          'content-length': String(Buffer.byteLength(body)),
          // DynamoDB Local wants a credential but checks no signature (-sharedDb: one database whatever the key).
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body,
      );
      const chunks: Buffer[] = [];
      for await (const chunk of reply) chunks.push(chunk as Buffer);
      return { status: reply.statusCode ?? 500, body: Buffer.concat(chunks).toString('utf8') };
    },
    close: () => agent.destroy(),
  };
}
