import type { Clock } from '../ports/clock';

/** Real time: the cloud's clock. */
export const systemClock: Clock = { now: () => new Date(), scale: 1 };
