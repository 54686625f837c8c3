/**
 * The SDK client of GridFlow's table, as every function builds it: each call has a connect timeout, a timeout per
 * attempt and a bounded number of attempts, and a store that cannot be reached surfaces as StoreUnavailable (the
 * API's 503 with Retry-After) instead of hanging until the function's own timeout or becoming a 500.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StoreUnavailable } from '../domain/errors';
import { clientConfig } from './client-config';

export interface StoreCallLimits {
  /** Attempts per call, the first included (the SDK's standard retries, with backoff, between them). */
  attempts: number;
  /** To open a connection. */
  connectMs: number;
  /** One attempt, from sending to the whole reply. */
  attemptMs: number;
}

/**
 * DynamoDB answers in milliseconds; a call that takes seconds will not finish. Every attempt timed out still ends
 * within a function's 10 s (GridFlowFunction's default timeout), so the caller gets a 503, not a Lambda timeout.
 */
export const STORE_CALL_LIMITS: StoreCallLimits = { attempts: 3, connectMs: 1000, attemptMs: 2000 };

export function storeClient(env: NodeJS.ProcessEnv, limits: StoreCallLimits = STORE_CALL_LIMITS): DynamoDBClient {
  const client = new DynamoDBClient({
    ...clientConfig(env, 'DYNAMODB'),
    maxAttempts: limits.attempts,
    requestHandler: { connectionTimeout: limits.connectMs, requestTimeout: limits.attemptMs, throwOnRequestTimeout: true },
  });
  // Outside the retries: only what is left once every attempt has failed.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw unreachable(error) ? new StoreUnavailable(error) : error;
      }
    },
    { step: 'initialize', name: 'storeUnavailable', priority: 'high' },
  );
  return client;
}

/** Network failures by code; matched in the message too, as the SDK's wrapper of a non-Error keeps only its text. */
const NETWORK_FAILURE =
  /\b(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b|socket hang up/;
/** The store's own "too busy": retried by the SDK, and after the last attempt as unavailable as a dead store. */
const THROTTLED = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded']);

function unreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $metadata } = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  if (error.name === 'TimeoutError' || THROTTLED.has(error.name)) return true;
  if ((code && NETWORK_FAILURE.test(code)) || NETWORK_FAILURE.test(error.message)) return true;
  return ($metadata?.httpStatusCode ?? 0) >= 500;
}
