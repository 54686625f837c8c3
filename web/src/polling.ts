/** How often the board asks what changed (GET /events?changedSince=…): the bench times update latency against it. */
export const POLL_MS = 5000;
