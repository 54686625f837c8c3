/**
 * The composition root handlers ask for their dependencies. In the cloud they are built once per Lambda
 * container from the environment; the local runtime installs its own (local engines) before serving.
 */
import type { TokenVerifier } from './auth/caller';
import type { CoreDependencies } from './core/dependencies';

export interface AppDependencies extends CoreDependencies {
  tokenVerifier: TokenVerifier;
}

let current: Promise<AppDependencies> | undefined;

export function useDependencies(deps: AppDependencies): void {
  current = Promise.resolve(deps);
}

export function getDependencies(): Promise<AppDependencies> {
  current ??= import('./adapters/aws/cloud-dependencies').then((module) => module.createCloudDependencies(process.env));
  return current;
}
