/**
 * Throughput settings, from the CDK context (`cdk.json` or `-c key=value`); the README's "Sizing" says
 * how to choose them:
 *   reportsRateLimit, reportsBurstLimit     the POST /events throttle (default 200 requests/s, burst 400)
 *   workflowStepReservedConcurrency         concurrency reserved for workflow-step (default: none)
 */
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { DEFAULT_REPORTS_THROTTLE } from './constructs/gridflow-http-api';

export interface ThroughputSettings {
  readonly reportsThrottle: Required<ThrottleSettings>;
  /**
   * Off by default: a new account's Lambda quota can be as low as 10 concurrent executions, and Lambda
   * refuses a reservation that would leave fewer than 100 unreserved — the deployment would fail.
   */
  readonly workflowStepReservedConcurrency?: number;
}

export function throughputSettings(scope: Construct): ThroughputSettings {
  const positiveInteger = (key: string): number | undefined => {
    const raw = scope.node.tryGetContext(key);
    if (raw === undefined || raw === '' || raw === null) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`Context ${key} must be a positive whole number, not "${raw}"`);
    return value;
  };
  return {
    reportsThrottle: {
      rateLimit: positiveInteger('reportsRateLimit') ?? DEFAULT_REPORTS_THROTTLE.rateLimit,
      burstLimit: positiveInteger('reportsBurstLimit') ?? DEFAULT_REPORTS_THROTTLE.burstLimit,
    },
    workflowStepReservedConcurrency: positiveInteger('workflowStepReservedConcurrency'),
  };
}

/** Reserves concurrency for a function built elsewhere (its construct takes no such prop). */
export function reserveConcurrency(fn: IFunction, reserved: number | undefined): void {
  if (reserved === undefined) return;
  (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = reserved;
}
