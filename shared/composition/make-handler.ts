/**
 * The Lambda entries: each module in functions/ binds its route (or its background work) to the cloud
 * composition here, with Powertools' logger given the Lambda context on every invocation.
 *
 * When the module initialises inside Lambda (AWS_LAMBDA_FUNCTION_NAME is set) the composition is built at
 * once: a missing variable fails the init with the error logged, instead of every request answering 500.
 * Anywhere else — the dev server and the tests import the same modules for their `route` — it is built at
 * the handler's first call, if ever, so importing a function module never needs the cloud's environment.
 * Each handler composes its own (one per module, so one per Lambda container): no module-level state.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CoreDependencies } from '../core/dependencies';
import { bindRoute, type ApiHandler, type ApiRoute, type AppDependencies } from '../http/api-handler';
import type { RouteAuth } from '../http/routes';
import { cloudDependencies, coreLoggerOf, type CompositionOverrides } from './cloud-dependencies';

export interface CloudOptions {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to a Powertools logger named by POWERTOOLS_SERVICE_NAME. */
  logger?: Logger;
  /** What the composition takes instead of the cloud's (see cloud-dependencies.ts), and the SDK clients' hook. */
  overrides?: CompositionOverrides;
}

/** A function no route calls (a workflow step, a scheduled job): its payload and the core's dependencies in, its result out. */
export type BackgroundWork<Result> = (payload: unknown, deps: CoreDependencies) => Promise<Result>;

export function makeHandler<Auth extends RouteAuth>(route: ApiRoute<Auth>, options: CloudOptions = {}): ApiHandler {
  const { logger, dependencies } = cloudComposition(options);
  return bindRoute(route, dependencies, coreLoggerOf(logger)).use(injectLambdaContext(logger));
}

export function makeBackgroundHandler<Result>(work: BackgroundWork<Result>, options: CloudOptions = {}) {
  const { logger, dependencies } = cloudComposition(options);
  return middy<unknown, Result, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (payload) => {
      const deps = dependencies();
      await deps.refreshReference?.();
      return work(payload, deps);
    });
}

function cloudComposition(options: CloudOptions): { logger: Logger; dependencies: () => AppDependencies } {
  const env = options.env ?? process.env;
  const logger = options.logger ?? new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'gridflow' });
  const compose = () => {
    try {
      return cloudDependencies(env, logger, options.overrides);
    } catch (error) {
      logger.error('GridFlow cannot start: its dependencies could not be built from the environment', error as Error);
      throw error;
    }
  };
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    const deps = compose();
    return { logger, dependencies: () => deps };
  }
  let deps: AppDependencies | undefined;
  return { logger, dependencies: () => (deps ??= compose()) };
}
