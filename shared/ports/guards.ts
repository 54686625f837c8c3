/** Request guards: idempotency claims, hourly rate-limit windows and one-off claims (all expire). */
import type { Patrol } from '../domain/patrols';

/** The claim on an Idempotency-Key, written in the same transaction as what the request makes. */
export interface IdempotencyClaim {
  /** Scoped to the caller and the operation (see shared/core/idempotency.ts). */
  key: string;
  bodyHash: string;
  expiresAt: Date;
}

/** What an earlier request with a key made: a case's id (POST /events) or the patrol itself (POST /patrols). */
export interface ClaimRecord {
  bodyHash: string;
  eventId?: string;
  patrol?: Patrol;
}

export interface RequestGuards {
  /** The record of an idempotency claim (read consistently), if the key was claimed. */
  findClaim(key: string): Promise<ClaimRecord | undefined>;
  /** Counts a hit against a fixed window; returns the hits in the window including this one. */
  countHit(bucket: string, expiresAt: Date): Promise<number>;
  /** Claims a one-off key (a reminder sent today); true for the first caller only, until it expires. */
  claimOnce(key: string, expiresAt: Date): Promise<boolean>;
}
