/** The lifecycle engine (Step Functions in the cloud, the local engine on one machine). */
export interface WorkflowPort {
  /**
   * Starts the lifecycle of an event; starting one that already runs is not an error. A long case
   * continues in later generations: execution `<id>`, then `<id>-2`, `<id>-3`, …
   */
  start(eventId: string, generation?: number): Promise<void>;
  /** Wakes a waiting task. Returns false when the token is no longer valid (the task timed out or finished). */
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean>;
}
