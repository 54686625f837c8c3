/**
 * 闭环排查 campaigns (story 5): a street or community center sends a task to every grid worker of the
 * units it names; each worker answers; the center sees who has and has not, and the late ones are reminded.
 */
import type { Actor } from './types';

export interface CampaignTarget {
  /** The grid worker's id (the `sub` of their token). */
  person: string;
  name: string;
  grid: string;
  phone: string;
}

export interface Campaign {
  id: string;
  title: string;
  instructions: string;
  /** Asia/Shanghai ISO. */
  deadlineAt: string;
  /** The units named (towns, communities or grids); every grid worker below them is a target. */
  units: string[];
  district: string;
  createdBy: Actor;
  /** The creator's units: their staff see the whole campaign. */
  creatorUnits: string[];
  createdAt: string;
  targets: CampaignTarget[];
}

export interface CampaignResponse {
  campaignId: string;
  person: string;
  name: string;
  grid: string;
  note: string;
  photos: string[];
  done: boolean;
  /** The latest answer (it replaces earlier ones) and the first. */
  at: string;
  firstAt: string;
  /** The first answer came after the deadline. */
  late: boolean;
  /** How many answers were given (the latest is kept). */
  responses: number;
}

/** What a list of campaigns shows, kept on the per-district index item (no campaign item read). */
export interface CampaignSummary {
  id: string;
  title: string;
  deadlineAt: string;
  units: string[];
  createdBy: Actor;
  creatorUnits: string[];
  createdAt: string;
  targets: number;
  responded: number;
}

/** Unit codes overlap when one contains the other. */
export function unitsOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** A new campaign's entry in its district's list: what lists and reminders read, nobody has answered yet. */
export function summaryOfNew(campaign: Campaign): CampaignSummary {
  return {
    id: campaign.id,
    title: campaign.title,
    deadlineAt: campaign.deadlineAt,
    units: campaign.units,
    createdBy: campaign.createdBy,
    creatorUnits: campaign.creatorUnits,
    createdAt: campaign.createdAt,
    targets: campaign.targets.length,
    responded: 0,
  };
}
