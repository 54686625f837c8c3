/**
 * Scheduled every few minutes: starts any lifecycle that did not start when its event was stored, and
 * sends the reminder digests whose window has ended.
 */
import { sweep } from '../shared/core/sweep';
import { getDependencies } from '../shared/runtime';

export const handler = async () => sweep(await getDependencies());
