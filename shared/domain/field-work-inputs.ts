/**
 * What the field-work use cases take (campaigns, patrols): plain domain types. The zod schemas in
 * shared/schemas/campaigns.ts and patrols.ts parse requests into exactly these shapes (checked at compile time there).
 */
import type { CaseLocation } from './case-inputs';
import type { PatrolKind } from './patrols';

/** A campaign (闭环排查): a task for every grid worker of the units named. */
export interface CreateCampaignInput {
  title: string;
  instructions: string;
  deadlineAt: string;
  units: string[];
}

/** A grid worker's answer to a campaign. */
export interface CampaignResponseInput {
  note: string;
  photos: string[];
  /** The task is done. */
  done: boolean;
}

export interface ListCampaignsInput {
  unit?: string;
  /** Deadlines from … to. */
  from?: string;
  to?: string;
}

/** Something found on a patrol; `report` true reports it as a case in the same call. */
export interface PatrolFinding {
  itemCode: string;
  description: string;
  severity?: number;
  location?: CaseLocation;
  photos: string[];
  gridCode?: string;
  report: boolean;
}

/** A patrol (三查): daily of a grid (gridCode), weekly of a community or monthly of a town (unitCode). */
export interface PatrolInput {
  gridCode?: string;
  unitCode?: string;
  kind: PatrolKind;
  at?: string;
  points: { lat: number; lng: number; at?: string }[];
  note?: string;
  findings: PatrolFinding[];
}

export interface ListPatrolsInput {
  unit?: string;
  /** YYYY-MM-DD (Asia/Shanghai). */
  day?: string;
  limit: number;
  cursor?: string;
}
