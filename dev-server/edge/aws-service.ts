/**
 * The edge port: the local gateway's one port also answers the AWS protocols the Lambda composition speaks
 * (Step Functions and DynamoDB over JSON 1.0 with `X-Amz-Target`, SNS over the query protocol), so the same
 * SDK clients as in Lambda run locally with only `AWS_ENDPOINT_URL` pointing here — and the `aws` CLI too.
 * Each service is one `AwsService`; the gateway asks them in order before its own routes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export interface EdgeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EdgeReply {
  status: number;
  headers: Record<string, string>;
  /** A stream is piped to the caller as it comes (a forwarded reply). */
  body: string | Buffer | Readable;
}

export interface AwsService {
  /** For logs and the permission recorder, e.g. `states`, `sns`, `dynamodb`. */
  readonly name: string;
  /** True when the request is this service's (by `X-Amz-Target` prefix, or the query protocol's `Action`). */
  accepts(request: EdgeRequest): boolean;
  handle(request: EdgeRequest): Promise<EdgeReply>;
}

/** The `X-Amz-Target` header of a JSON-protocol call, e.g. `AWSStepFunctions.StartExecution`. */
export function amzTarget(request: EdgeRequest): string | undefined {
  const value = request.headers['x-amz-target'];
  return Array.isArray(value) ? value[0] : value;
}

/** A JSON 1.0 reply (Step Functions, DynamoDB). */
export function jsonReply(status: number, body: unknown): EdgeReply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}

/** A JSON 1.0 error as the SDK v3 reads it: `__type` names the exception. */
export function jsonError(status: number, type: string, message: string): EdgeReply {
  return jsonReply(status, { __type: type, message });
}
