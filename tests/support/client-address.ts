/**
 * Requests from another client: a loopback address other than 127.0.0.1 (127.0.0.2, 127.0.1.7…), which the local
 * gateway reports as the source IP, as API Gateway reports the client's. For per-client rules (limits, keys).
 */
import { request } from 'node:http';

/** POSTs JSON to `baseUrl` + `path` from the loopback address `from`, without a token. */
export function postFrom(
  baseUrl: string,
  from: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, baseUrl);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers },
      },
      (reply) => {
        let received = '';
        reply.on('data', (chunk) => (received += chunk));
        reply.on('end', () => resolve({ status: reply.statusCode ?? 0, body: JSON.parse(received), headers: reply.headers }));
      },
    );
    outgoing.once('error', reject);
    outgoing.end(text);
  });
}
