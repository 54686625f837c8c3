/**
 * What the case use cases take (report, list, act, rate): plain domain types. The zod schemas in
 * shared/schemas/events.ts parse requests into exactly these shapes (checked at compile time there).
 */
import type { ActionName } from './actions';
import type { Source, Stage, Status, Tier } from './types';

export interface CaseLocation {
  lat: number;
  lng: number;
  address?: string;
}

/** A reported matter (上报). */
export interface ReportCaseInput {
  itemCode: string;
  gridCode: string;
  description: string;
  severity?: number;
  location?: CaseLocation;
  photos: string[];
  reporter?: { name?: string; phone?: string };
  source?: Source;
}

/** A listing of cases: filters, order and page. */
/** The most a page of a list holds; the urgency list, which a board reads whole, may take bigger pages. */
export const LIST_PAGE_MAX = 100;
export const URGENCY_PAGE_MAX = 500;

export interface ListCasesInput {
  unit?: string;
  status?: Status;
  stage?: Stage;
  tier?: Tier;
  overdue?: boolean;
  /** The caller's own open cases, soonest deadline first. */
  mine?: boolean;
  /** `urgency`: open cases most urgent first; default: by grid, then time. */
  sort?: 'unit' | 'urgency';
  from?: string;
  to?: string;
  /** The unit's cases changed at or after this moment, open or closed (a board's poll). */
  changedSince?: string;
  limit: number;
  cursor?: string;
}

/** What each action takes besides its name. */
export interface ActionFields {
  accept_report: { note?: string };
  void_report: { note: string };
  acknowledge: { note?: string };
  complete: { note: string; photos: string[] };
  assign: { department?: string; person?: string; note?: string };
  return: { note: string };
  escalate: { note: string };
  request_extension: { until: string; note: string };
  approve_extension: { note?: string };
  reject_extension: { note: string };
  verify_pass: { note?: string; photos: string[] };
  verify_fail: { note: string; photos: string[] };
  convene_meeting: { departments: string[]; at: string; note?: string };
  record_meeting_decision: { lead: string; helpers: string[]; deadlineAt: string; minutes: string };
  through_train: { note: string };
  nudge: { note?: string };
  invite_department: { department: string; note: string };
  evaluate: { score: number; note: string };
  rate: { score: number; note?: string };
  comment: { note: string };
  link_duplicate: { duplicateOf: string; note?: string };
}

/** An action on a case: its name and what that action takes. */
export type ActionInput = { [A in ActionName]: { action: A } & ActionFields[A] }[ActionName];

/** The reporter's rating (满意度) with the code from the feedback SMS. */
export interface RatingInput {
  code: string;
  score: number;
  note?: string;
}
