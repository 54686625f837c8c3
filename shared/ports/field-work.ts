/** Field work: patrols (三查) and campaigns (闭环排查); shared/core/patrols.ts, shared/core/campaigns.ts. */
import type { Campaign, CampaignResponse, CampaignSummary } from '../domain/campaigns';
import type { Patrol } from '../domain/patrols';
import type { CounterIncrement } from '../domain/counters';
import type { IdempotencyClaim } from './guards';

/** A grid's daily patrol: the grid's marker for the day and what its first patrol of the day counts. */
export interface FirstOfDay {
  grid: string;
  day: string;
  counters: CounterIncrement[];
}

export interface PatrolPage {
  items: Patrol[];
  nextCursor?: string;
}

export interface FieldWorkStore {
  /**
   * Stores a patrol and adds `counters`, in one transaction. With `firstOfDay` (a grid's daily patrol) the
   * same transaction also puts the grid's marker for the day on the condition that it is absent and adds
   * `firstOfDay.counters` (e.g. `patrolledGrids`); when the marker exists already, the patrol is stored
   * without them. Concurrent patrols of one grid therefore count the grid once. Returns whether this
   * patrol was the grid's first of the day. With a claim, a second save with its key fails with IdempotencyKeyTaken.
   */
  savePatrol(
    patrol: Patrol,
    counters: CounterIncrement[],
    firstOfDay?: FirstOfDay,
    idempotency?: IdempotencyClaim,
  ): Promise<{ firstOfDay: boolean }>;
  /** Patrols of a unit and every unit below it on a day, by unit then time; `cursor` (from the same list) pages on. */
  patrolsOn(unitPrefix: string, day: string, limit: number, cursor?: string): Promise<PatrolPage>;
  /** The grids of a district with a daily patrol logged on a day. */
  patrolledGrids(district: string, day: string): Promise<string[]>;
  /** Stores a new campaign and its entry in its district's list by deadline. */
  createCampaign(campaign: Campaign): Promise<void>;
  /** A campaign and every answer to it. */
  getCampaign(id: string): Promise<{ campaign: Campaign; responses: CampaignResponse[] } | undefined>;
  /**
   * Stores a target's answer: the first one is created (and counted on the list entry); a later one
   * replaces its note, photos, done and `at`, keeps `firstAt` and `late`, and adds to `responses`.
   */
  saveCampaignResponse(
    campaign: Campaign,
    answer: Omit<CampaignResponse, 'firstAt' | 'responses'>,
  ): Promise<{ response: CampaignResponse; first: boolean }>;
  /** Campaigns of a district whose deadline (ISO UTC) lies between `from` and `to`, soonest first. */
  campaignsByDeadline(district: string, from: string, to: string): Promise<CampaignSummary[]>;
}
