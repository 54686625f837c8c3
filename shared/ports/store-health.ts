/** Whether the store answers: GET /health reads through it. */
export interface StoreHealth {
  /** Resolves once the store has answered a read; throws (StoreUnavailable when it cannot be reached) otherwise. */
  check(): Promise<void>;
}
