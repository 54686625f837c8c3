/**
 * Phone verification codes (shared/core/verify-phone.ts): one pending code per phone, stored hashed (keyed, so the
 * table does not give the code away), with the tries made at it. Asking again replaces it; a right try uses it up.
 */

/** The phone's pending code, as a try sees it. */
export interface PendingCode {
  /** The code's keyed hash (ReporterCredentials.hashCode), never the code. */
  codeHash: string;
  /** Tries at this code, the one just counted included. */
  tries: number;
  /** Until when the code is good (policy time). */
  expiresAt: Date;
}

export interface VerificationStore {
  /** Puts a new code for the phone (E.164), replacing any: no tries yet. Removed by `keepUntil` (TTL). */
  putCode(phone: string, codeHash: string, expiresAt: Date, keepUntil: Date): Promise<void>;
  /** Counts a try at the phone's pending code and returns it; undefined when there is none. */
  countTry(phone: string): Promise<PendingCode | undefined>;
  /** Uses the code up: removes it if it is still `codeHash`. False when another try used it (or a new one replaced it) first. */
  useCode(phone: string, codeHash: string): Promise<boolean>;
}
