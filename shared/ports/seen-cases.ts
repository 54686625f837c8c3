/**
 * Which cases a person has opened, kept for the command center's level-1 banner: it stands for each person until that
 * person opens the case, on whatever screen they sign in (the district's big screen, a laptop, a phone).
 */

/** A case the person opened, and when (the first time). */
export interface SeenCase {
  id: string;
  at: string;
}

export interface SeenCaseStore {
  /** Records that `person` opened the case (a second time keeps the first time), dropped after `keepUntil` (TTL); the record. */
  markSeen(person: string, caseId: string, at: Date, keepUntil: Date): Promise<SeenCase>;
  /** The cases `person` has opened and that are still kept, in case id order. */
  seenBy(person: string): Promise<SeenCase[]>;
}
