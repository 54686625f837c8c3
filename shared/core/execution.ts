/** How a case's lifecycle execution is named and what it starts with (the same in the cloud and locally). */

/** `E20261126-7K3M9Q` for a case's first execution, `E20261126-7K3M9Q-2` when a long case continues in a second. */
export function executionName(eventId: string, generation = 1): string {
  return generation > 1 ? `${eventId}-${generation}` : eventId;
}

/** The state machine starts at Register with no rounds counted. */
export function executionInput(eventId: string) {
  return { eventId, decision: { next: 'register', timeoutSeconds: 1, loops: 0, version: 0 } };
}
