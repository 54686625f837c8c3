import type { Clock } from '../ports';

/** Real time: the cloud's clock. */
export const systemClock: Clock = { now: () => new Date(), scale: 1 };
