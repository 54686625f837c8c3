/**
 * The local gateway stops reading a request body at GridFlow's limit (64 KiB, MAX_BODY_BYTES): a body over it
 * — announced by its Content-Length, or streamed chunked with none — gets the 413 the function returns in the
 * cloud for it, the connection is closed instead of drained, and the server has read no more than about the
 * limit. (In the cloud the HTTP API takes up to 10 MB and hands it to the function, whose check answers 413;
 * locally nothing over the limit is buffered.) A signed-in route answers the JWT authorizer's 401 first, as the
 * HTTP API does, and a body the AWS protocols do not own cannot get around the limit by its content type.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import type { Context } from 'aws-lambda';
import type { AwsService } from '../../dev-server/edge/aws-service';
import { startGateway } from '../../dev-server/gateway';
import { route as eventsCreate } from '../../functions/events-create';
import { bindRoute, MAX_BODY_BYTES, type ApiEvent, type AppDependencies } from '../../shared/http/api-handler';
import { GATEWAY_UNAUTHORIZED } from '../../shared/http/gateway-replies';

const MiB = 1024 * 1024;
/** The body sizes of the report (48 bodies of 9.5 MiB took the process from 294 to 485 MiB). */
const BIG = 9.5 * MiB;
/** What the server may read of a refused body: the limit, and what the socket had already taken in beyond it. */
const READ_AT_MOST = 4 * MAX_BODY_BYTES;

const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const deps = {
  logger: silent,
  tokenVerifier: {
    verify: async () => {
      throw new Error('no token is valid here');
    },
  },
} as unknown as AppDependencies;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let port: number;
const serverSockets: Socket[] = [];

beforeAll(async () => {
  // An AWS protocol on the edge port that takes nothing: an API route's body must not be read as one.
  const edge: AwsService = { name: 'none', accepts: () => false, handle: async () => ({ status: 500, headers: {}, body: '' }) };
  gateway = await startGateway({ port: 0, deps, awsServices: [edge] });
  gateway.server.on('connection', (socket: Socket) => serverSockets.push(socket));
  port = Number(new URL(gateway.url).port);
});

afterAll(async () => {
  await gateway?.close();
});

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: any;
  /** Bytes of the request the gateway's socket read (headers included). */
  serverBytesRead: number;
  /** The gateway closed the connection (the client saw its end). */
  closedByServer: boolean;
}

/**
 * Sends a request over a raw socket: its head, then (when `chunked`) up to `chunked` bytes of body in 64 KiB
 * chunks, as fast as the socket takes them, until the reply has come. Resolves with the reply once the gateway
 * has closed the connection, or — when it keeps it open — once the reply is whole.
 */
function rawRequest(head: string, chunked?: number): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const serverSocket = new Promise<Socket>((found) => gateway.server.once('connection', found));
    let received = Buffer.alloc(0);
    let reply: Omit<RawReply, 'serverBytesRead' | 'closedByServer'> | undefined;
    let sent = 0;
    let done = false;
    const finish = async (closedByServer: boolean) => {
      if (done || !reply) return;
      done = true;
      const server = await serverSocket;
      if (!closedByServer) await new Promise((settled) => setImmediate(settled));
      socket.destroy();
      resolve({ ...reply, serverBytesRead: server.bytesRead, closedByServer });
    };
    const pump = () => {
      while (chunked !== undefined && !reply && !socket.destroyed && sent < chunked) {
        const size = Math.min(64 * 1024, chunked - sent);
        sent += size;
        const last = sent >= chunked ? '0\r\n\r\n' : '';
        if (!socket.write(`${size.toString(16)}\r\n${'x'.repeat(size)}\r\n${last}`)) return socket.once('drain', pump);
      }
    };
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const end = received.indexOf('\r\n\r\n');
      if (reply || end < 0) return;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const text = bodyOf(received.subarray(end + 4), headers);
      if (text === undefined) return;
      reply = { status: Number(statusLine.split(' ')[1]), headers, body: text ? JSON.parse(text) : undefined };
      if (headers.connection !== 'close') void finish(false);
    });
    socket.on('end', () => void finish(true));
    socket.on('close', () => (reply ? void finish(true) : reject(new Error(`closed without a reply after ${sent} bytes of body`))));
    // Writing into a connection the gateway has closed: the reply is what counts.
    socket.on('error', () => {});
    socket.write(head);
    pump();
  });
}

/** The reply's body once it is whole (by its Content-Length, or its chunks), else undefined. */
function bodyOf(data: Buffer, headers: Record<string, string>): string | undefined {
  if (headers['transfer-encoding'] !== 'chunked') {
    const length = Number(headers['content-length'] ?? 0);
    return data.length < length ? undefined : data.subarray(0, length).toString('utf8');
  }
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

const headOf = (method: string, path: string, headers: Record<string, string | number>) =>
  `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

/** What the function answers in the cloud for a body over the limit (the HTTP API hands it bodies up to 10 MB). */
async function cloudReplyToBigBody(): Promise<{ status: number; body: unknown }> {
  const handler = bindRoute(eventsCreate, () => deps, silent);
  const event = {
    version: '2.0',
    routeKey: 'POST /events',
    rawPath: '/events',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: `{"description":"${'x'.repeat(BIG)}"}`,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/events', sourceIp: '127.0.0.1' } },
  } as unknown as ApiEvent;
  const result = (await handler(event, {} as Context)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

describe('a body over 64 KiB', () => {
  it('streamed without a length: 413 as the function answers it, once the limit is read; the connection is closed, not drained', async () => {
    const reply = await rawRequest(headOf('POST', '/events', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), BIG);
    const cloud = await cloudReplyToBigBody();
    expect(cloud).toEqual({ status: 413, body: { error: { code: 'payload_too_large', message: 'The body is over 64 KiB' } } });
    expect({ status: reply.status, body: reply.body }).toEqual(cloud);
    expect(reply.headers.connection).toBe('close');
    expect(reply.closedByServer).toBe(true);
    expect(reply.serverBytesRead).toBeGreaterThan(MAX_BODY_BYTES);
    expect(reply.serverBytesRead).toBeLessThan(READ_AT_MOST);
  });

  it('announced by its Content-Length: refused before any of it is sent', async () => {
    const reply = await rawRequest(headOf('POST', '/events', { 'content-type': 'application/json', 'content-length': BIG }));
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual((await cloudReplyToBigBody()).body);
    expect(reply.headers.connection).toBe('close');
    expect(reply.closedByServer).toBe(true);
    expect(reply.serverBytesRead).toBeLessThan(1024);
  }, 10_000);

  it('one byte over the limit is refused; a body of exactly 64 KiB reaches the function', async () => {
    const exactly = `{"unknown":"${'x'.repeat(MAX_BODY_BYTES - 14)}"}`;
    expect(Buffer.byteLength(exactly)).toBe(MAX_BODY_BYTES);
    const headers = { 'content-type': 'application/json', 'content-length': MAX_BODY_BYTES + 1 };
    const over = await rawRequest(`${headOf('POST', '/events', headers)}${exactly} `);
    expect(over.status).toBe(413);
    const within = await fetch(`${gateway.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exactly });
    expect(within.status).toBe(400);
    expect(await within.json()).toMatchObject({
      error: { code: 'bad_request', fields: expect.arrayContaining([{ field: 'unknown', message: 'unknown field' }]) },
    });
  });

  it('on a signed-in route without a token: the JWT authorizer’s 401 first, as the HTTP API answers, without reading the body', async () => {
    const reply = await rawRequest(
      headOf('POST', '/events/E20261123-ABCDEF/actions', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }),
      BIG,
    );
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(GATEWAY_UNAUTHORIZED);
    expect(reply.headers.connection).toBe('close');
    expect(reply.serverBytesRead).toBeLessThan(READ_AT_MOST);
  });

  it('sent with a form content type to an API route: the API’s limit still holds', async () => {
    const reply = await rawRequest(
      headOf('POST', '/events', { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }),
      BIG,
    );
    expect(reply.status).toBe(413);
    expect(reply.serverBytesRead).toBeLessThan(READ_AT_MOST);
  });

  it('to no route: 404, and the connection is closed rather than the body drained', async () => {
    const reply = await rawRequest(headOf('POST', '/nowhere', { 'content-type': 'application/json', 'content-length': BIG }));
    expect(reply.status).toBe(404);
    expect(reply.headers.connection).toBe('close');
    expect(reply.closedByServer).toBe(true);
    expect(reply.serverBytesRead).toBeLessThan(1024);
  }, 10_000);
});

describe('a body within the limit', () => {
  it('keeps the connection alive', async () => {
    const body = '{"unknown":1}';
    const reply = await rawRequest(
      `${headOf('POST', '/events', { 'content-type': 'application/json', 'content-length': body.length })}${body}`,
    );
    expect(reply.status).toBe(400);
    expect(reply.headers.connection).toBe('keep-alive');
    expect(reply.closedByServer).toBe(false);
    expect(serverSockets.length).toBeGreaterThan(0);
  });
});
