/** Policy time. In local mode a time scale makes policy time run faster than the wall clock. */
export interface Clock {
  now(): Date;
  /** Policy seconds per wall-clock second (1 in the cloud). */
  readonly scale: number;
}
