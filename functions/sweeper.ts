/** Scheduled every few minutes: starts any lifecycle that did not start when its event was stored. */
import { sweepUnstarted } from '../shared/core/sweep';
import { getDependencies } from '../shared/runtime';

export const handler = async () => sweepUnstarted(await getDependencies());
