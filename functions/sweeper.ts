/**
 * Scheduled every few minutes: starts any lifecycle that did not start when its event was stored, and
 * sends the reminder digests whose window has ended.
 */
import { sweep } from '../shared/core/sweep';
import type { CoreDependencies } from '../shared/core/dependencies';
import { makeBackgroundHandler } from '../shared/composition/make-handler';

export const work = (_payload: unknown, deps: CoreDependencies) => sweep(deps);

export const handler = makeBackgroundHandler(work);
