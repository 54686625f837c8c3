/**
 * Where the app's sources live, resolved from this file rather than the working directory, so
 * that `cdk synth` and the infra tests find the same files wherever they are started from.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** NodejsFunction wants a lock file to find the project root and pin the bundle's dependencies. */
export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');

/** Each handler name is a module `functions/<name>.ts` that exports `handler`. */
export const handlerEntry = (handlerName: string): string => path.join(PROJECT_ROOT, 'functions', `${handlerName}.ts`);

/** The one definition of the event lifecycle, deployed here and run by the local engine. */
export const EVENT_LIFECYCLE_ASL = path.join(PROJECT_ROOT, 'workflows', 'event-lifecycle.asl.json');
